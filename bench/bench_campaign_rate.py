"""Campaign throughput: the real line worker sending a campaign to the simulated phone on a real pty.

    .venv/bin/python bench/bench_campaign_rate.py [--quick] [--texts N] [--send-delay S]

The simulated phone takes a fixed `send_delay` per text (the network accepting
it), so the phone cannot do more than 1/send_delay single-part texts a second:
the modem's limit. 0.25 s by default: about the quickest a real modem answers
+CMGS (LTE modules take from a quarter of a second, 2G/3G phones 1-4 s), short
enough for a quick run, and the harshest fair measure of the worker, whose own
time between two texts (writing the sent text, claiming the next, the AT round
trip) is the same however slow the phone is: a slower modem only raises the
fraction. The phone runs on the worker's event loop, so its own work (and any
lateness of its timer) counts against the worker too.

Figures, one JSON object per line:
- campaign_rate_modem_bound: the pacer set above the modem's limit, so the
  phone is the bottleneck; achieved texts/s over the modem's limit (goal >= 0.98),
  the median time between one text accepted and the next AT+CMGS (the worker's
  own time per text), and the median time the phone itself took per text;
- campaign_rate_pacer_bound: the shop's rate (120 a minute) below the modem's
  limit; achieved over configured, and the shortest gap between two texts
  handed to the phone (AT+CMGS) against the even spacing the pacer keeps
  between hand-overs; the gap between the network's answers may be a little
  shorter, as they vary, while no minute ever holds more than the rate.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from modem.sim import SimPhone  # noqa: E402
from store import campaigns, customers, settings  # noqa: E402
from store.audience import Audience  # noqa: E402
from store.db import close_book, open_book  # noqa: E402
from tui.worker import LineWorker  # noqa: E402

BODY = "{name}您好，本周金卡会员九折，欢迎光临。"  # one part (UCS-2, under 70 characters with the footer)


class Stamped(list):
    """A list that notes when each item was appended (perf_counter seconds)."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []

    def append(self, item) -> None:
        self.times.append(time.perf_counter())
        super().append(item)


async def send_campaign(texts: int, send_delay: float, rate_per_minute: int) -> dict:
    """Start a campaign of `texts` recipients and let a line worker send it all; the phone's timings."""
    with tempfile.TemporaryDirectory(prefix="guanjia-bench-") as tmp:
        db = open_book(f"sqlite:///{tmp}/rate.db")
        customers.add_many([customers.NewCustomer(name=f"客{i}", numbers=(f"+86139{i:08d}",), tier="金卡")
                            for i in range(texts)])
        settings.set("texts_per_minute", rate_per_minute)
        settings.set("quiet_start", "00:00")  # no quiet hours: the run must not depend on the time of day
        settings.set("quiet_end", "00:00")
        campaign = campaigns.create("bench", BODY, Audience())
        campaigns.start(campaign.id, now=datetime.now(timezone.utc))
        async with SimPhone() as sim:
            sim.send_delay = send_delay
            sim.sent = Stamped()
            sim.commands = Stamped()
            worker = LineWorker(sim.path, name="bench", notify=lambda fact: None)
            job = asyncio.create_task(worker.run())
            while len(sim.sent) < texts:
                if job.done():
                    job.result()
                    raise RuntimeError("the line worker stopped before the campaign was sent")
                await asyncio.sleep(0.05)
            worker.stop()
            await job
            accepted = sim.sent.times
            asked = [t for t, c in zip(sim.commands.times, sim.commands) if c.upper().startswith("AT+CMGS=")]
        progress = campaigns.progress(campaign.id)
        close_book(db)
    assert progress.sent == texts and len({s.recipient for s in sim.sent}) == texts, progress
    rate = (texts - 1) / (accepted[-1] - accepted[0])
    # From a text accepted to the next AT+CMGS: the worker's own time between texts.
    between = [nxt - done for done, nxt in zip(accepted, asked[1:])]
    return {"rate": rate, "between_ms": statistics.median(between) * 1000, "worst_between_ms": max(between) * 1000,
            "phone_ms": statistics.median(done - start for start, done in zip(asked, accepted)) * 1000,
            "min_handover_gap_s": min(b - a for a, b in zip(asked, asked[1:])),
            "min_accepted_gap_s": min(b - a for a, b in zip(accepted, accepted[1:]))}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="campaign throughput against the simulated phone")
    parser.add_argument("--quick", action="store_true", help="60 texts a figure instead of 300")
    parser.add_argument("--texts", type=int, default=None)
    parser.add_argument("--send-delay", type=float, default=0.25, help="seconds the phone takes per text")
    args = parser.parse_args(argv)
    texts = args.texts or (60 if args.quick else 300)
    limit = 1 / args.send_delay

    over = int(limit * 60 * 4)  # the pacer allows four times what the phone can do
    got = asyncio.run(send_campaign(texts, args.send_delay, over))
    print(json.dumps({"figure": "campaign_rate_modem_bound", "texts": texts, "send_delay_s": args.send_delay,
                      "pacer_per_minute": over, "achieved_per_s": round(got["rate"], 3),
                      "modem_limit_per_s": round(limit, 3), "fraction": round(got["rate"] / limit, 4),
                      "goal": 0.98, "between_texts_ms_p50": round(got["between_ms"], 2),
                      "between_texts_ms_max": round(got["worst_between_ms"], 2),
                      "phone_ms_p50": round(got["phone_ms"], 2)}), flush=True)

    shop_rate = 120  # two a second, under the phone's five
    paced = max(10, texts // 5)
    got = asyncio.run(send_campaign(paced, args.send_delay, shop_rate))
    configured = shop_rate / 60
    print(json.dumps({"figure": "campaign_rate_pacer_bound", "texts": paced, "send_delay_s": args.send_delay,
                      "pacer_per_minute": shop_rate, "achieved_per_s": round(got["rate"], 3),
                      "configured_per_s": round(configured, 3), "fraction": round(got["rate"] / configured, 4),
                      "even_gap_s": round(60 / shop_rate, 4), "min_handover_gap_s": round(got["min_handover_gap_s"], 4),
                      "min_accepted_gap_s": round(got["min_accepted_gap_s"], 4)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
