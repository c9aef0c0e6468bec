"""Errors and reasons a person reads, said once in English and once as a code with its values.

store/ knows no languages: each carries its English sentence (str(exc), or
`Reason.text`) and a code naming the same sentence, so a screen or the command
line can say it in the shop's language (tui/words/problems.py) without parsing English.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class Problem(ValueError):
    """A ValueError with `code` and `values`; the English text is `english.format(**values)`."""

    def __init__(self, code: str, english: str | None = None, **values: object) -> None:
        if english is None:  # only English words, no code: said as they are in every language
            code, english = "", code.replace("{", "{{").replace("}", "}}")
        super().__init__(english.format(**values))
        self.code = code
        self.values = values

    @classmethod
    def like(cls, exc: BaseException) -> Problem:
        """This kind of problem saying what `exc` said (its code and values kept)."""
        made = cls(str(exc).replace("{", "{{").replace("}", "}}"))
        made.code, made.values = getattr(exc, "code", "") or "", dict(getattr(exc, "values", None) or {})
        return made


@dataclass(frozen=True, slots=True)
class Reason:
    """Why something was skipped or left out, kept as data: a code, its English sentence, its values."""

    code: str
    text: str
    values: dict[str, object] = field(default_factory=dict)

    @classmethod
    def of(cls, code: str, english: str, **values: object) -> Reason:
        return cls(code, english.format(**values), values)

    @classmethod
    def from_error(cls, exc: BaseException) -> Reason:
        """The reason an error gives: its code when it has one, else its English words."""
        return cls(getattr(exc, "code", "") or "", str(exc), dict(getattr(exc, "values", None) or {}))
