"""Putting long texts back together from their parts.

Parts arrive out of order, interleaved with other texts, twice (via +CMTI and
a storage scan), or across a restart. A long text is keyed by sender, reference,
total and reference width; a part already held (same sequence and same `key`),
or one of a text completed within the last `max_age_s`, is ignored. Parts that never complete are given up on after `max_age_s`
and delivered with a visible gap marker, so nothing received is ever lost.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from modem.events import SmsPart, SmsReceived

GAP = "[…]"  # stands where a part never arrived

Group = tuple[str, int, int, bool]


def join(parts: Iterable[SmsPart]) -> SmsReceived:
    """One text from parts of the same message, in order, with GAP where a part is missing."""
    by_sequence: dict[int, SmsPart] = {}
    for part in parts:
        sequence = part.concat.sequence if part.concat else 1
        by_sequence.setdefault(sequence, part)
    if not by_sequence:
        raise ValueError("join() needs at least one part")
    ordered = [by_sequence[s] for s in sorted(by_sequence)]
    first = ordered[0]
    total = max((p.concat.total for p in ordered if p.concat), default=1)
    pieces = []
    for sequence in range(1, max(total, max(by_sequence)) + 1):
        part = by_sequence.get(sequence)
        pieces.append(part.text if part is not None else GAP)
    return SmsReceived(
        sender=first.sender,
        text="".join(pieces),
        sent_at=min(p.sent_at for p in ordered),
        parts=tuple(ordered),
    )


@dataclass(slots=True)
class _Pending:
    started: float
    parts: dict[int, SmsPart] = field(default_factory=dict)


class Reassembler:
    """Holds parts of long texts until every part is in, or until they are too old to wait for."""

    def __init__(self, max_age_s: float = 600, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_age_s = max_age_s
        self._clock = clock
        self._pending: dict[Group, _Pending] = {}
        # Texts pushed out early (a reference reused before the old text completed),
        # handed over by the next expire().
        self._ready: list[SmsReceived] = []
        # Keys of parts of texts already handed over, so a late duplicate (a storage
        # scan finding a part again) does not start a second copy. Forgotten after max_age_s.
        self._done: dict[str, float] = {}

    @staticmethod
    def _group(part: SmsPart) -> Group:
        c = part.concat
        assert c is not None
        return (part.sender, c.reference, c.total, c.wide)

    def add(self, part: SmsPart) -> SmsReceived | None:
        """Take one part; return the whole text when this part completes it."""
        if part.key in self._done:
            return None
        if part.concat is None or part.concat.total <= 1:
            return self._complete([part])
        group = self._group(part)
        pending = self._pending.get(group)
        if pending is None:
            pending = self._pending[group] = _Pending(self._clock())
        held = pending.parts.get(part.concat.sequence)
        if held is not None:
            if held.key == part.key:
                return None  # the same part seen again
            # Same slot, different part: the sender reused the reference for a new
            # text before the old one completed. Give the old one up, start afresh.
            self._ready.append(self._complete(pending.parts.values()))
            pending = self._pending[group] = _Pending(self._clock())
        pending.parts[part.concat.sequence] = part
        if len(pending.parts) == part.concat.total:
            del self._pending[group]
            return self._complete(pending.parts.values())
        return None

    def _complete(self, parts: Iterable[SmsPart]) -> SmsReceived:
        whole = join(parts)
        now = self._clock()
        for part in whole.parts:
            self._done[part.key] = now
        return whole

    def expire(self) -> list[SmsReceived]:
        """Give up waiting on texts older than max_age_s: deliver them with gaps marked."""
        now = self._clock()
        out, self._ready = self._ready, []
        for group, pending in list(self._pending.items()):
            if now - pending.started >= self.max_age_s:
                del self._pending[group]
                out.append(self._complete(pending.parts.values()))
        self._done = {key: at for key, at in self._done.items() if now - at < self.max_age_s}
        return out

    def pending(self) -> list[SmsPart]:
        """Every part held, waiting for the rest of its text."""
        return [part for p in self._pending.values() for part in p.parts.values()]

    def restore(self, parts: Iterable[SmsPart]) -> list[SmsReceived]:
        """Reload parts kept from before a restart; returns any texts they complete.

        Restored parts start a fresh max_age_s wait: the clock is monotonic and
        does not survive a restart.
        """
        out = []
        for part in parts:
            whole = self.add(part)
            if whole is not None:
                out.append(whole)
        return out
