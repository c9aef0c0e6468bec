"""Words of the task list: call-backs, due contacts, birthdays, complaints, drifting customers."""

WORDS: dict[str, tuple[str, str]] = {
}
