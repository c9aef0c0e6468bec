"""`guanjia line`, the headless worker, as a real process on a real pty."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from modem.sim import SimPhone
from store import lease
from store.db import close_book, open_book, using
from store.models import Call, Message

GUANJIA = str(Path(sys.executable).with_name("guanjia"))


async def _until(predicate, timeout=20.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await loop.run_in_executor(None, predicate):
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.1)


async def test_line_keeps_calls_and_texts_and_lets_go_on_sigterm(tmp_path):
    url = f"sqlite:///{tmp_path / 'book.db'}"
    db = open_book(url)
    env = {**os.environ, "GUANJIA_DB": url}
    async with SimPhone() as sim:
        proc = await asyncio.create_subprocess_exec(GUANJIA, "line", "--port", sim.path, "--name", "back-office",
                                                    env=env, stderr=asyncio.subprocess.PIPE)
        try:
            with using(db):
                await _until(lambda: lease.current() is not None)
                assert lease.current().name == "back-office"
                await _until(lambda: "AT+CNMI" in " ".join(sim.commands))
                await sim.deliver_sms("+8613800138000", "后台收到了吗")
                await sim.ring("13900000000", rings=1, every=0.1)
                await _until(lambda: Message.select().where(Message.direction == "in").count() == 1)
                await _until(lambda: Call.select().count() == 1)
        finally:
            proc.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(proc.communicate(), 20)
    assert proc.returncode == 0, err.decode()
    with using(db):
        assert lease.current() is None  # let go on the way out: another terminal may take it now
    close_book(db)


async def test_line_without_a_port_says_so(tmp_path):
    proc = await asyncio.create_subprocess_exec(GUANJIA, "line", env={**os.environ, "GUANJIA_DB": f"sqlite:///{tmp_path}/b.db"},
                                                stderr=asyncio.subprocess.PIPE)
    _, err = await proc.communicate()
    assert proc.returncode == 2 and "no phone named" in err.decode()


def _push_heartbeat_ahead(hours: int = 1) -> lease.Holder:
    """Make the recorded holder's heartbeat fresh for an hour: only seeing its process gone can take the line."""
    import json
    from datetime import timedelta

    from store.models import Setting

    row = Setting.get(Setting.key == lease.KEY)
    d = json.loads(row.value)
    d["heartbeat"] = (lease._decode(row.value).heartbeat + timedelta(hours=hours)).isoformat()
    Setting.update(value=json.dumps(d, ensure_ascii=False)).where(Setting.key == lease.KEY).execute()
    return lease._decode(Setting.get(Setting.key == lease.KEY).value)


async def test_after_a_kill_the_next_line_takes_over_without_waiting_for_the_heartbeat(tmp_path):
    url = f"sqlite:///{tmp_path / 'book.db'}"
    db = open_book(url)
    env = {**os.environ, "GUANJIA_DB": url}
    async with SimPhone() as sim:
        first = await asyncio.create_subprocess_exec(GUANJIA, "line", "--port", sim.path, "--name", "first",
                                                     env=env, stderr=asyncio.subprocess.DEVNULL)
        second = None
        try:
            with using(db):
                await _until(lambda: lease.current() is not None)
                await _until(lambda: "AT+CNMI" in " ".join(sim.commands))
                # Mid-traffic: texts arriving, one of them being read, as the power goes.
                for n in range(3):
                    await sim.deliver_sms("+8613800138000", f"第{n}条")
                await _until(lambda: Message.select().where(Message.direction == "in").count() >= 1)
                first.send_signal(signal.SIGKILL)
                await first.wait()
                dead = _push_heartbeat_ahead()
                assert dead.pid == first.pid and dead.started  # the lease says when its process began
                second = await asyncio.create_subprocess_exec(GUANJIA, "line", "--port", sim.path, "--name", "second",
                                                              "-v", env=env, stderr=asyncio.subprocess.PIPE)
                await _until(lambda: lease.current() is not None and lease.current().name == "second")
                assert lease.current().pid == second.pid
                await sim.deliver_sms("+8613900000000", "接上了吗")
                await _until(lambda: Message.select().where(Message.body == "接上了吗").count() == 1)
                # Nothing of the first line's texts lost or kept twice.
                await _until(lambda: Message.select().where(Message.direction == "in").count() == 4)
        finally:
            for proc in (first, second):
                if proc is not None and proc.returncode is None:
                    proc.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(second.communicate(), 20) if second else (None, b"")
            await first.wait()
    log = err.decode()
    assert "line.holder" not in log and " held " not in log, log  # never told "held by" the dead one
    assert second.returncode == 0, log
    close_book(db)
