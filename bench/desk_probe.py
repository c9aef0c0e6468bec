"""What bench_desk.py uses to ring the desk and see it on screen: a phone in its own process, the rendered
frames of a headless app, and a desk in tmux.

The phone runs in a child process (`python bench/desk_probe.py --serve-sim`) so that neither the phone nor
the desk shares the other's GIL; the ring's time is taken in the child just after the +CLIP write returns
(SimPhone.clip_written_ns, perf_counter_ns: the system's monotonic clock, the same in every process).
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


# -- the phone ---------------------------------------------------------------------------------------


class PhoneProcess:
    """A SimPhone in a child process, told one word a line: `ring NUMBER`, `hangup`."""

    def __init__(self) -> None:
        self.child = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--serve-sim"],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1,
                                      cwd=ROOT)
        self.path = self.child.stdout.readline().strip()
        if not self.path:
            raise RuntimeError("the simulated phone did not start")

    def _say(self, line: str) -> None:
        self.child.stdin.write(line + "\n")
        self.child.stdin.flush()

    def ring(self, number: str) -> None:
        """One ring (RING then +CLIP) from `number`; its time comes later from `stamp()`, so that a desk
        in this process is not kept waiting on the pipe while the ring arrives."""
        self._say(f"ring {number}")

    def stamp(self) -> int:
        """perf_counter_ns just after the last ring's +CLIP was written."""
        return int(self.child.stdout.readline())

    def hang_up(self) -> None:
        """The caller gives up: NO CARRIER."""
        self._say("hangup")

    def ring_out(self, number: str, rings: int = 2, every: float = 1.0) -> None:
        """`rings` rings from `number`, `every` seconds apart, then silence: nobody answered, the caller
        gave up, and the desk's phone finds the call gone (+CLCC) and calls it missed. Stamp as for ring()."""
        self._say(f"ringout {number} {rings} {every}")

    def stop(self) -> None:
        with _quiet():
            self.child.stdin.close()
        try:
            self.child.wait(10)
        except subprocess.TimeoutExpired:
            self.child.kill()
            self.child.wait()


class _quiet:
    def __enter__(self):
        return self

    def __exit__(self, *exc) -> bool:
        return exc[0] is not None and issubclass(exc[0], OSError)


async def serve_sim() -> None:
    """The child: a SimPhone on a pty; prints its path, then one stamp per ring."""
    sys.path.insert(0, str(ROOT))
    from modem.sim import SimPhone

    sim = await SimPhone().start()
    print(sim.path, flush=True)
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    pending = ""
    ringing: set[asyncio.Task] = set()

    async def ring(number: str, rings: int = 1, every: float = 3600) -> None:
        # One burst, then the sim waits (as a phone would between RINGs) until we hang up; or `rings`
        # bursts `every` seconds apart, after which the call is simply gone (rung out, missed).
        before = len(sim.clip_written_ns)  # the stamp is this call's first +CLIP, not a later burst's
        task = asyncio.ensure_future(sim.ring(number, rings=rings, every=every))
        ringing.add(task)
        task.add_done_callback(ringing.discard)
        while not task.done() and len(sim.clip_written_ns) == before:
            await asyncio.sleep(0)
        print(sim.clip_written_ns[before], flush=True)

    def readable() -> None:
        nonlocal pending
        data = os.read(sys.stdin.fileno(), 4096).decode()
        if not data:
            loop.remove_reader(sys.stdin.fileno())
            if not done.done():
                done.set_result(None)
            return
        pending += data
        *lines, pending = pending.split("\n")
        for line in lines:
            word, _, rest = line.partition(" ")
            if word == "ring":
                loop.create_task(ring(rest.strip()))
            elif word == "ringout":
                number, rings, every = rest.split()
                loop.create_task(ring(number, int(rings), float(every)))
            elif word == "hangup":
                for task in list(ringing):
                    task.cancel()
                sim.call = None
                sim.urc("NO CARRIER")

    loop.add_reader(sys.stdin.fileno(), readable)
    await done
    await sim.close()


# -- the book ----------------------------------------------------------------------------------------


def working_copy(book: Path) -> Path:
    """A copy of the benchmark book for runs that write to it (rings add calls; the line worker a lease),
    so the shared, deterministic book stays as generated. Made again when the book is newer."""
    copy = book.with_name(f"desk-{book.name}")
    if not copy.exists() or copy.stat().st_mtime < book.stat().st_mtime:
        tmp = copy.with_suffix(".tmp")
        shutil.copyfile(book, tmp)
        for suffix in ("-wal", "-shm"):
            stale = Path(str(copy) + suffix)
            if stale.exists():
                stale.unlink()
        os.replace(tmp, copy)
    return copy


def pick_callers(book: Path, count: int, seed: int = 4) -> list[tuple[str, str]]:
    """`count` distinct random customers with a Chinese name: (national number, name)."""
    con = sqlite3.connect(f"file:{book}?mode=ro", uri=True)
    try:
        top = con.execute("SELECT max(id) FROM customer").fetchone()[0]
        rng = random.Random(seed)
        found: dict[str, tuple[str, str]] = {}
        while len(found) < count:
            row = con.execute("SELECT c.name, p.national FROM customer c JOIN phone p ON p.customer_id = c.id "
                              "AND p.is_primary = 1 WHERE c.id = ?", (rng.randint(1, top),)).fetchone()
            # Latin names ("Tom Li") are skipped: a short one could be part of other text on screen.
            if row and row[0] not in found and not row[0].isascii() and len(row[0]) >= 2:
                found[row[0]] = (row[1], row[0])
        return list(found.values())
    finally:
        con.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


# -- what a headless app puts on screen ----------------------------------------------------------------


class FrameWatch:
    """Sees every frame a (headless) Textual app composes, as the terminal bytes it would write.

    Textual's compositor builds each update (a full layout or the changed chops) and hands it to
    App._display, which a headless driver then drops. Wrapping _display on the instance sees every
    frame at the moment it would be written: the bytes are made here (render_segments, as a real
    terminal run does) and searched for what we wait for; the time is taken after that.
    """

    def __init__(self, app) -> None:
        self.app = app
        self.wanted: str | None = None
        self.seen_ns: int | None = None
        self.frames = 0
        self.render_ns = 0
        self.update_began: int | None = None  # when the screen began the update that made the next frame
        self.seen_build_ns: int | None = None  # how long the update that showed `wanted` took to make
        original = app._display

        def display(screen, renderable) -> None:
            if renderable is not None and self.wanted is not None and self.seen_ns is None:
                began = time.perf_counter_ns()
                text = renderable.render_segments(app.console) if hasattr(renderable, "render_segments") else ""
                now = time.perf_counter_ns()
                self.frames += 1
                self.render_ns += now - began
                if self.wanted in text:
                    self.seen_ns = now
                    if self.update_began is not None:
                        self.seen_build_ns = now - self.update_began
            self.update_began = None
            original(screen, renderable)

        app._display = display

    def time_updates(self, screen) -> None:
        """Note when `screen` starts each update (a layout, or a repaint of dirty widgets), so the frame
        that shows the name can say how long it took to make (the rest was waiting for the loop)."""
        for name in ("_refresh_layout", "_compositor_refresh"):
            original = getattr(screen, name)

            def wrapped(*args, _original=original, **kwargs):
                if self.update_began is None:
                    self.update_began = time.perf_counter_ns()
                return _original(*args, **kwargs)

            setattr(screen, name, wrapped)

    def screen_text(self) -> str:
        """Every line on the current screen now."""
        screen = self.app.screen
        strips = screen._compositor.render_strips()
        return "\n".join("".join(segment.text for segment in strip) for strip in strips)

    def expect(self, text: str) -> None:
        """Wait for the first frame that contains `text`."""
        self.seen_ns = None
        self.seen_build_ns = None
        self.wanted = text


# -- a desk in tmux ----------------------------------------------------------------------------------


class TmuxDesk:
    """`guanjia` in a detached tmux session of its own (a private tmux server), read with capture-pane."""

    def __init__(self, db_url: str, port: str | None, size: tuple[int, int] = (80, 24)) -> None:
        self.socket = f"guanjia-bench-{os.getpid()}-{time.perf_counter_ns() % 10**9}"
        self.session = "desk"
        self.config_home = Path(ROOT / "bench" / "out" / f"xdg-{self.socket}")
        (self.config_home / "guanjia").mkdir(parents=True, exist_ok=True)
        command = [str(ROOT / ".venv" / "bin" / "guanjia"), "--db", db_url] + (["--port", port] if port else [])
        # Chinese, as the headless run: LC_ALL empty (the tmux server has C.UTF-8), LANG zh_CN.
        env = {"XDG_CONFIG_HOME": str(self.config_home), "LANG": "zh_CN.UTF-8", "LC_ALL": "", "PYTHONUTF8": "1",
               "TERM": "xterm-256color", "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        if os.environ.get("XDG_CACHE_HOME"):
            env["XDG_CACHE_HOME"] = os.environ["XDG_CACHE_HOME"]
        env_args = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
        self.started_ns = time.perf_counter_ns()
        self._tmux("new-session", "-d", "-s", self.session, "-x", str(size[0]), "-y", str(size[1]), *env_args,
                   " ".join(_quote(part) for part in command))
        self.polls = 0
        self.poll_ns = 0
        self._client: subprocess.Popen | None = None

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-u", "-L", self.socket, *args], capture_output=True, text=True,
                              cwd=ROOT, env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})
        if done.returncode:
            raise OSError(f"tmux {args[0]}: {done.stderr.strip()}")
        return done.stdout

    def _control(self) -> subprocess.Popen:
        """A control-mode client (no pane output sent to it, no size of its own): one capture costs
        ~0.1 ms instead of ~4 ms for a `tmux capture-pane` process, so polls can be fine and cheap."""
        if self._client is None:
            self._client = subprocess.Popen(["tmux", "-u", "-L", self.socket, "-C", "attach-session", "-t",
                                             self.session], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            bufsize=0, cwd=ROOT)
            self._reply()  # the attach itself answers with an empty block
            self._client.stdin.write(b"refresh-client -f no-output\n")
            self._reply()
        return self._client

    def _reply(self) -> str:
        lines: list[bytes] = []
        inside = False
        while True:
            line = self._client.stdout.readline()
            if not line:
                raise OSError("the tmux control client went away")
            if line.startswith(b"%begin"):
                inside = True
            elif inside and (line.startswith(b"%end") or line.startswith(b"%error")):
                return b"".join(lines).decode("utf-8", "replace")
            elif inside:
                lines.append(line)

    def capture(self) -> str:
        """The pane as text now."""
        began = time.perf_counter_ns()
        client = self._control()
        client.stdin.write(f"capture-pane -p -t {self.session}\n".encode())
        text = self._reply()
        self.polls += 1
        self.poll_ns += time.perf_counter_ns() - began
        return text

    def wait_for(self, text: str, timeout: float = 30.0, every: float = 0.001) -> int:
        """perf_counter_ns when a capture first showed `text` (the end of that capture); captures are
        `every` seconds apart (plus their own cost), which is the resolution."""
        deadline = time.perf_counter() + timeout
        while True:
            if text in self.capture():
                return time.perf_counter_ns()
            if time.perf_counter() > deadline:
                raise TimeoutError(f"tmux never showed {text!r}; the pane:\n{self.capture()}")
            time.sleep(every)

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", self.session, *keys)

    def desk_pid(self) -> int:
        """The guanjia process: the pane's own, or its child when a shell runs it."""
        pid = int(self._tmux("display-message", "-p", "-t", self.session, "#{pane_pid}").strip())
        for _ in range(3):
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                if b"guanjia" in cmdline.read():
                    return pid
            with open(f"/proc/{pid}/task/{pid}/children") as children:
                found = children.read().split()
            if not found:
                break
            pid = int(found[0])
        raise RuntimeError("no guanjia process in the pane")

    def quit(self) -> None:
        """Ctrl+Q, as the operator would (the line lease is let go), then the tmux server goes."""
        if self._client is not None:
            with _quiet():
                self._client.stdin.close()
            self._client.wait(10)
            self._client = None
        with _quiet():
            self.keys("C-q")
            deadline = time.perf_counter() + 10
            while time.perf_counter() < deadline:
                if subprocess.run(["tmux", "-L", self.socket, "has-session", "-t", self.session],
                                  capture_output=True).returncode:
                    break
                time.sleep(0.05)
        with _quiet():
            self._tmux("kill-server")
        shutil.rmtree(self.config_home, ignore_errors=True)

    def mean_poll_ms(self) -> float:
        """The mean cost of one capture."""
        return self.poll_ns / max(1, self.polls) / 1e6


def _quote(part: str) -> str:
    import shlex

    return shlex.quote(part)


def memory_mb(pid: int | str = "self") -> dict:
    """VmRSS and VmHWM (peak RSS) of a process, in MB."""
    out = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key = line.split(":")[0]
            if key in ("VmRSS", "VmHWM"):
                out[key] = round(int(line.split()[1]) / 1024, 1)
    return out


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve-sim"]:
        asyncio.run(serve_sim())
