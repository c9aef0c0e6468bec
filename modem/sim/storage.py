"""The simulated phone's SMS memories (SM, ME, SR ...): indexed slots with a status."""

from __future__ import annotations

from dataclasses import dataclass, field

# +CMGL/+CMGR <stat> in PDU mode (TS 27.005 §3.1).
REC_UNREAD, REC_READ, STO_UNSENT, STO_SENT = 0, 1, 2, 3


@dataclass(slots=True)
class Slot:
    stat: int
    pdu: str  # hex with the SMSC part

    @property
    def tpdu_length(self) -> int:
        """Octets after the SMSC part, the <length> the modem prints."""
        smsc_octets = int(self.pdu[:2], 16)
        return len(self.pdu) // 2 - 1 - smsc_octets


@dataclass(slots=True)
class Memory:
    name: str
    capacity: int
    slots: dict[int, Slot] = field(default_factory=dict)
    first_index: int = 0  # SIM memories count from 0 on some phones, 1 on others

    @property
    def used(self) -> int:
        """How many slots are taken."""
        return len(self.slots)

    def put(self, pdu: str, stat: int = REC_UNREAD) -> int | None:
        """Store a PDU in the lowest free slot; None when the memory is full."""
        for index in range(self.first_index, self.first_index + self.capacity):
            if index not in self.slots:
                self.slots[index] = Slot(stat, pdu)
                return index
        return None

    def listing(self, stat: int) -> list[tuple[int, Slot]]:
        """Slots matching a +CMGL <stat> (4 = all), in index order."""
        return [(i, s) for i, s in sorted(self.slots.items()) if stat == 4 or s.stat == stat]


def memories(names: tuple[str, ...], capacity: int = 50) -> dict[str, Memory]:
    """One empty memory per name; SR (reports) is smaller, as on real phones."""
    return {n: Memory(n, capacity if n != "SR" else max(capacity // 5, 5)) for n in names}
