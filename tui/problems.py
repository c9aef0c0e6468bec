"""A store problem (an error or a kept reason with a code) in the shop's language.

store/ says what went wrong in English and as a code with values
(store.problems); the words for each code are in tui/words/problems.py. A
problem without a code, or with one the table lacks, keeps the store's English.
"""

from __future__ import annotations

from tui.i18n import TABLE, t


def field_words(field: str) -> str:
    """A customer field's name (notes, birthday, ...) in the shop's language."""
    key = f"problem.field.{field}"
    return t(key) if key in TABLE else field


def said(problem: object) -> str:
    """What `problem` (an exception, or a store.problems.Reason) says, in the current language."""
    code = getattr(problem, "code", "") or ""
    english = getattr(problem, "text", None) if not isinstance(problem, BaseException) else None
    fallback = english if english is not None else str(problem)
    key = f"problem.{code}"
    if not code or key not in TABLE:
        return fallback
    values = dict(getattr(problem, "values", None) or {})
    if "field" in values and isinstance(values["field"], str):
        values["field"] = field_words(values["field"])
    for name in ("status", "verb"):  # a campaign's state and what was asked of it, as words
        word = f"problem.{name}.{values.get(name)}"
        if word in TABLE:
            values[name] = t(word)
    try:
        return t(key, **values)
    except (KeyError, IndexError, ValueError):  # a value the words do not expect: the store's own words
        return fallback
