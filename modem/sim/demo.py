"""A shop's afternoon on the simulated phone, for `guanjia sim --demo` and the desk's demo."""

from __future__ import annotations

import asyncio
import itertools
import random

from modem.sim.phone import SimPhone

CALLERS = ("13800138000", "13912345678", "+8618612345678", "02088886666")
TEXTS = (
    "老板，今晚六点订一张四人桌，谢谢！",
    "Table for two at 7pm please",
    "你好，请问明天中午还有包间吗？我们大概十个人，想吃北京烤鸭和清蒸鲈鱼，麻烦回复一下价格和是否需要订金，谢谢！",
)


async def ring_now_and_then(sim: SimPhone, every: float) -> None:
    """A caller every `every` seconds, in turn, each giving up after three rings."""
    for number in itertools.cycle(CALLERS):
        await asyncio.sleep(every)
        if sim.present:
            await sim.ring(number, rings=3, every=2.0)


async def shop_afternoon(sim: SimPhone, *, seed: int = 8, pace: float = 1.0) -> None:
    """Now and then a call (half of them answered on the handset) and a text, some long; forever.

    `pace` scales every pause (0.1 makes it ten times as lively).
    """
    rng = random.Random(seed)
    for text in itertools.cycle(TEXTS):
        await asyncio.sleep(rng.uniform(20, 40) * pace)
        if sim.present:
            await sim.ring(rng.choice(CALLERS), rings=3, every=2.5 * pace, answer=rng.random() < 0.5,
                           hang_up_after=rng.uniform(5, 20) * pace)
        await asyncio.sleep(rng.uniform(10, 20) * pace)
        if sim.present:
            await sim.deliver_sms(rng.choice(CALLERS), text)
