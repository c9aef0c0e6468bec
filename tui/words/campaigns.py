"""Words of campaigns: audience, preview, progress, pause and cancel."""

WORDS: dict[str, tuple[str, str]] = {
}
