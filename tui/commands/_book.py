"""Opening the book for a subcommand, with plain-words errors."""

from __future__ import annotations


def open_for(args):
    """The book named by --db (or GUANJIA_DB, the config, the data dir), bound to the models; UserError if not."""
    from store.db import BookError, open_book
    from tui.cli import UserError
    from tui.problems import said

    url = book_url(args)
    try:
        return url, open_book(url)
    except BookError as exc:
        raise UserError(said(exc)) from None


def book_url(args) -> str:
    """The book's URL for a subcommand, in the same order as the desk (tui.locations.database_url)."""
    from tui.cli import UserError
    from tui.config import ConfigError, load_config
    from tui.i18n import t
    from tui.locations import database_url

    try:
        configured = load_config().database
    except ConfigError as exc:
        raise UserError(t("cli.config_unreadable", error=exc)) from None
    return database_url(getattr(args, "db", None), configured)
