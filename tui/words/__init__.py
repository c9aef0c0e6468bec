"""The translation table, one file per area of the app; tui.i18n joins them."""
