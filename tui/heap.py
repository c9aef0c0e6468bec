"""Python's cycle collector kept off the ring path.

A full collection walks every object the process holds: the start-up heap (Textual, the number-origin
table, the book's modules) as well as what the day left behind. CPython starts one once the objects that
survived younger collections grow past a quarter of the heap, and the allocation burst of a ring (a log
reload, a card, a repaint) is what tips it over: after a hundred-odd calls of the day every few rings
waited for a whole-heap walk before the caller's name reached the screen (hundreds of milliseconds on a
loaded counter PC). So: the start-up heap is frozen out of collections once the desk is up, automatic
full collections are off, and the desk runs one itself when no call is ringing.
"""

from __future__ import annotations

import gc

FULL_NEVER = 1_000_000  # gen-2 threshold: no automatic full collection (the desk runs them when idle)


_before: tuple[int, int, int] | None = None  # the thresholds settle() replaced


def settle() -> None:
    """The desk is up: collect once, freeze what is left (it lives as long as the process), and stop
    automatic full collections. Young collections (cheap: only new objects) go on as before."""
    global _before
    gc.collect()
    gc.freeze()
    if _before is None:
        _before = gc.get_threshold()
    gc.set_threshold(_before[0], _before[1], FULL_NEVER)


def release() -> None:
    """The desk is gone (the process may go on, as a test run does): the collector as it was."""
    global _before
    if _before is not None:
        gc.set_threshold(*_before)
        _before = None
    gc.unfreeze()


def collect_idle() -> int:
    """A full collection of everything made since settle(), at a moment no call rings; what it freed."""
    return gc.collect()
