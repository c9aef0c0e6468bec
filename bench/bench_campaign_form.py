"""The campaign form stays responsive while it previews 100,000 recipients.

    python bench/bench_campaign_form.py [--quick]

Builds the same book as bench_campaign.py (100,000 reachable customers), opens
the desk headless, F8 then n, and types a campaign's name in bursts, each burst
landing while the previous preview is still being worked out. A probe on the
event loop sleeps 5 ms over and over and records how late it wakes: that is
how long a keystroke would wait to be echoed. Figures, one JSON object per line:
- campaign_form_loop_lag_ms: the probe's worst and 99th-percentile lateness while
  typing through the previews (ours: preview on the book's thread, debounced),
  against the same preview run on the event loop (peer: the freeze a form that
  previews on every keystroke in the UI thread would show per key);
- campaign_form_preview_s: from the last keystroke to the preview on screen
  (includes the pause the form waits for: 0.3 s).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_campaign import BODY, _fill
from store.db import close_book, open_book, using
from tui.app import GuanjiaApp
from tui.screens import campaign_book
from tui.screens.book import Book
from tui.screens.campaign_form import CampaignForm

PROBE_S = 0.005


async def _type_through_previews(app: GuanjiaApp, bursts: int) -> tuple[list[float], float, float]:
    lags: list[float] = []
    running = True

    async def probe() -> None:
        while running:
            started = time.perf_counter()
            await asyncio.sleep(PROBE_S)
            lags.append(time.perf_counter() - started - PROBE_S)

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f8")
        await pilot.pause(0.5)
        await pilot.press("n")
        while not (isinstance(app.screen, CampaignForm) and app.screen.preview is not None):
            await pilot.pause(0.1)  # the first preview (everyone, no text) is ready
        form = app.screen
        form.query_one("#cf-text").text = BODY
        task = asyncio.create_task(probe())
        for burst in range(bursts):
            if burst:
                await pilot.pause(0.6)  # past the debounce: a preview starts, this burst types over it
            for ch in f"五月促销{burst}":
                await pilot.press(ch)
        typed_at = time.perf_counter()
        name = form.query_one("#cf-name").value
        while form.preview is None or form.preview[0].name != name.strip():
            await pilot.pause(0.01)
        preview_s = time.perf_counter() - typed_at
        running = False
        await task
        # The peer: the same preview on the event loop, as a form without a worker would run it per key.
        draft = form.preview[0]
        started = time.perf_counter()
        app.book.run(campaign_book.preview, draft)
        peer_s = time.perf_counter() - started
    return lags, preview_s, peer_s


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="campaign form responsiveness benchmark")
    parser.add_argument("--quick", action="store_true", help="10,000 recipients, fewer bursts")
    quick = parser.parse_args(argv).quick
    reachable = 10_000 if quick else 100_000
    with tempfile.TemporaryDirectory(prefix="guanjia-bench-") as tmp:
        url = f"sqlite:///{tmp}/campaign.db"
        close_book(open_book(url))
        _fill(Path(tmp) / "campaign.db", reachable)
        db = open_book(url)
        with using(db):
            app = GuanjiaApp(Book(), language="zh")
            lags, preview_s, peer_s = asyncio.run(_type_through_previews(app, 3 if quick else 6))
        close_book(db)
    lags_ms = sorted(x * 1000 for x in lags)
    p99 = lags_ms[min(len(lags_ms) - 1, int(len(lags_ms) * 0.99))]
    print(json.dumps({"figure": "campaign_form_loop_lag_ms", "recipients": reachable, "ours_max": round(lags_ms[-1], 1),
                      "ours_p99": round(p99, 1), "ours_median": round(statistics.median(lags_ms), 1),
                      "samples": len(lags_ms), "peer": round(peer_s * 1000, 1),
                      "peer_name": "the same preview on the event loop (one key's freeze)"}), flush=True)
    print(json.dumps({"figure": "campaign_form_preview_s", "recipients": reachable, "ours": round(preview_s, 3),
                      "debounce_s": 0.3}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
