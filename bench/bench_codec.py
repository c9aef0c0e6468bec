"""SMS PDU codec throughput, ours against python-gsmmodem-new, on the same fixed mix of texts.

Prints one JSON object per figure: pdu_decode_per_s (received PDUs decoded per
second) and pdu_encode_per_s (texts turned into SUBMIT PDUs per second, long
ones split into parts). `--quick` runs a small version in about a second.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime, timedelta, timezone
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import gsmmodem.pdu as peer  # noqa: E402

from modem import pdu  # noqa: E402

PEER_NAME = f"python-gsmmodem-new {version('python-gsmmodem-new')}"
NUMBER = "+8613800138000"
WHEN = datetime(2025, 3, 8, 9, 30, 0, tzinfo=timezone(timedelta(hours=8)))

# What a shop's phone sends and receives: plain GSM7, GSM7 with extension
# characters, Chinese (UCS2), and long texts in both that need concatenation.
TEXTS = [
    "Your order 1024 is ready for pickup at the counter. Thank you!",
    "Promo [50% off] {today only} ~ bring this text | price EUR 5 ^_^ \\o/",
    "您好，您的订单已发货，请注意查收。如有问题请致电本店。",
    "Dear customer, thank you for shopping with us. " * 8,
    "尊敬的会员，本周六店庆全场八折，积分翻倍，欢迎光临！" * 5,
]


def _mix() -> tuple[list[str], list[str]]:
    texts = list(TEXTS)
    received = []
    for i, text in enumerate(texts):
        # Each text from another customer at another time, as in a shop's day.
        sender = f"+86138{i:04d}{i * 7919 % 10000:04d}"
        received += pdu.encode_deliver(sender, text, WHEN + timedelta(minutes=37 * i), concat_reference=i + 1)
    return texts, received


def _check_same_results(texts: list[str], received: list[str]) -> None:
    """Both sides must read and write the same thing, or the race means nothing."""
    ours = "".join(pdu.decode(h).text for h in received)
    theirs = "".join(peer.decodeSmsPdu(h)["text"] for h in received)
    if ours != theirs or ours != "".join(texts):
        raise SystemExit("decoders disagree on the benchmark mix")
    for text in texts:
        a = [p.hex for p in pdu.encode_submit(NUMBER, text, concat_reference=1)]
        b = peer.encodeSmsSubmitPdu(NUMBER, text, validity=timedelta(days=3))
        if len(a) != len(b) or "".join(pdu.decode(bytes(p.data).hex()).text for p in b) != text:
            raise SystemExit("encoders disagree on the benchmark mix")


def _best_seconds(work, rounds: int) -> float:
    started = time.perf_counter()
    for _ in range(rounds):
        work()
    return time.perf_counter() - started


def _rates(ours, theirs, items: int, rounds: int, repeats: int) -> tuple[float, float]:
    """Items per second for both sides, best of `repeats` runs taken in turn, so that
    a busy moment on a shared machine hits both sides alike rather than one."""
    peer_rounds = max(1, rounds // 4)
    best_ours = best_theirs = float("inf")
    for _ in range(repeats):
        best_ours = min(best_ours, _best_seconds(ours, rounds))
        best_theirs = min(best_theirs, _best_seconds(theirs, peer_rounds))
    return items * rounds / best_ours, items * peer_rounds / best_theirs


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a small run, in about a second")
    args = parser.parse_args(argv)
    rounds, repeats = (40, 3) if args.quick else (600, 15)
    texts, received = _mix()
    _check_same_results(texts, received)

    def ours_decode():
        for h in received:
            pdu.decode(h)

    def peer_decode():
        for h in received:
            peer.decodeSmsPdu(h)

    def ours_encode():
        for text in texts:
            pdu.encode_submit(NUMBER, text, reference=0, validity_minutes=4320)

    three_days = timedelta(days=3)

    def peer_encode():
        for text in texts:
            peer.encodeSmsSubmitPdu(NUMBER, text, reference=0, validity=three_days)

    inputs = f"{len(texts)} texts: GSM7, GSM7 extension, UCS2 Chinese, long GSM7 and long Chinese ({len(received)} PDUs)"
    figures = [
        ("pdu_decode_per_s", ours_decode, peer_decode, len(received), "PDUs decoded per second"),
        ("pdu_encode_per_s", ours_encode, peer_encode, len(texts), "texts encoded to SUBMIT PDUs per second"),
    ]
    for name, ours_work, peer_work, items, unit in figures:
        ours, theirs = _rates(ours_work, peer_work, items, rounds, repeats)
        print(
            json.dumps(
                {
                    "figure": name,
                    "ours": round(ours),
                    "peer": round(theirs),
                    "peer_name": PEER_NAME,
                    "ratio": round(ours / theirs, 2),
                    "unit": unit,
                    "inputs": inputs,
                    "goal": ">= 5x peer",
                },
                ensure_ascii=False,
            ),
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
