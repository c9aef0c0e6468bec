"""Frozen slotted dataclasses built at the speed of plain ones, for the parser's hot lines.

A frozen dataclass's __init__ stores each field through object.__setattr__,
which is most of the cost of a small event (about 0.5 µs of a +CLIP's 1 µs).
`twin(cls)` makes an unfrozen class with the same slots and the same base;
an instance built from it becomes a genuine `cls` (equal, hashable, frozen)
by `__class__` assignment, which Python allows because the layouts are
identical. The twin is generated from cls's own fields, so they cannot drift:

    built = _CallerIdTwin(number, 145, None, 0)
    built.__class__ = CallerId
"""

from __future__ import annotations

from dataclasses import MISSING, field, fields, make_dataclass


def twin(cls: type) -> type:
    """An unfrozen class laid out like the frozen dataclass `cls` (same fields, defaults and base)."""
    spec: list = []
    for f in fields(cls):
        if f.default_factory is not MISSING:
            raise TypeError(f"{cls.__name__}.{f.name}: a default factory has no cheap twin")
        spec.append((f.name, f.type) if f.default is MISSING else (f.name, f.type, field(default=f.default)))
    # make_dataclass only writes the __init__ (plain `self.x = x` stores); the twin itself
    # must derive from cls's own base, or __class__ assignment refuses the layout.
    plain = make_dataclass(f"_{cls.__name__}Init", spec)
    return type(
        f"_{cls.__name__}Twin",
        cls.__bases__,
        {
            "__slots__": tuple(f.name for f in fields(cls)),
            "__init__": plain.__init__,
            "__module__": cls.__module__,
            # A frozen base (Event) brings a Python-level __setattr__/__delattr__ that would
            # make every store slow again: the twin takes object's back.
            "__setattr__": object.__setattr__,
            "__delattr__": object.__delattr__,
        },
    )
