"""Words of the reports screen and its exports."""

WORDS: dict[str, tuple[str, str]] = {
}
