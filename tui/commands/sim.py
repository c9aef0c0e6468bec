"""`guanjia sim`: a simulated phone on a real pseudo-terminal, scriptable from the keyboard."""

from __future__ import annotations

NAME = "sim"
HELP = "start a simulated phone on a pseudo-terminal, print its path, and take commands (ring, sms, vanish ...)"

COMMANDS_HELP = """commands, one a line:
  ring NUMBER [withheld] [answer] [talk S] [rings N] [every S]   someone calls (missed unless answered)
  sms NUMBER TEXT...                              a text arrives (+CMTI); smscmt ... pushes it (+CMT)
  report REFERENCE [STATUS]                       the network reports on a sent part
  signal BARS | slow SECONDS | busy N | fail [CODE] | echo on|off
  vanish | back                                   unplug and plug in again (same path)
  sent | log                                      what the phone sent, what it was asked
  quit"""


def add_arguments(parser) -> None:
    parser.add_argument("--flavour", default="generic", help="generic, huawei, simcom or quectel")
    parser.add_argument("--echo", action="store_true", help="start with command echo on, like a fresh modem")
    parser.add_argument("--ring-every", type=float, default=None, metavar="N", help="a caller rings every N seconds")
    parser.add_argument("--demo", action="store_true", help="a lively shop: calls and texts now and then")
    parser.add_argument("--link-dir", default=None, help="where to put the stable path (default: a new temp dir)")


def run(args) -> int:
    """Run the phone until interrupted or `quit`."""
    import asyncio

    from modem.sim import SimPhone
    from tui.cli import UserError

    try:
        sim = SimPhone(args.flavour, echo=args.echo, link_dir=args.link_dir)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    try:
        asyncio.run(_serve(sim, args))
    except KeyboardInterrupt:
        pass
    return 0


def _read_stdin(loop, lines) -> None:
    import sys

    try:
        for line in sys.stdin:
            loop.call_soon_threadsafe(lines.put_nowait, line)
        loop.call_soon_threadsafe(lines.put_nowait, "")
    except RuntimeError:
        pass  # the phone was switched off while a line was being typed


async def _serve(sim, args) -> None:
    import asyncio
    import signal
    import sys
    import threading

    from modem.sim import demo

    await sim.start()
    print(sim.path, flush=True)
    print(f"# {sim.flavour.name} phone on {sim.device}; {COMMANDS_HELP}", file=sys.stderr, flush=True)
    tasks = set()

    def spawn(coro) -> None:
        task = asyncio.ensure_future(coro)
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    if args.ring_every:
        spawn(demo.ring_now_and_then(sim, args.ring_every))
    if args.demo:
        spawn(demo.shop_afternoon(sim))
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue = asyncio.Queue()
    # A daemon thread reads stdin, so a closed or redirected stdin (a service,
    # /dev/null) works the same and an interrupt never waits for a read.
    threading.Thread(target=_read_stdin, args=(loop, lines), daemon=True).start()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, lines.put_nowait, None)
    try:
        while True:
            raw = await lines.get()
            if raw is None:
                break
            if raw == "":
                continue  # end of input: keep the phone up until interrupted
            reply = await _obey(sim, raw.split(), spawn)
            if reply is None:
                return
            if reply:
                print(reply, flush=True)
    finally:
        for task in tasks:
            task.cancel()
        await sim.close()


async def _obey(sim, words: list[str], spawn) -> str | None:
    """Do one typed command; the reply to print, or None to quit."""
    if not words:
        return ""
    verb, rest = words[0].lower(), words[1:]
    try:
        if verb == "quit":
            return None
        if verb == "ring" and rest:
            def option(word: str, default: float | None) -> float | None:
                return float(rest[rest.index(word) + 1]) if word in rest else default

            spawn(sim.ring(rest[0], withheld="withheld" in rest, answer="answer" in rest,
                           hang_up_after=option("talk", None), every=option("every", 3.0),
                           rings=int(option("rings", 4))))
            return f"ringing from {rest[0]}"
        if verb in ("sms", "smscmt") and len(rest) >= 2:
            indexes = await sim.deliver_sms(rest[0], " ".join(rest[1:]), via="cmt" if verb == "smscmt" else "cmti")
            return f"delivered in {len(indexes)} part(s)"
        if verb == "report" and rest:
            await sim.report(int(rest[0]), int(rest[1]) if len(rest) > 1 else 0)
            return "reported"
        if verb == "signal" and rest:
            sim.set_signal(int(rest[0]))
            return f"signal {rest[0]}/5"
        if verb == "slow" and rest:
            sim.slow(float(rest[0]))
            return f"answering {rest[0]} s late"
        if verb == "busy":
            sim.busy_at_start(int(rest[0]) if rest else 3)
            return "SIM busy for a while"
        if verb == "fail":
            sim.fail_next_send(int(rest[0]) if rest else 500)
            return "the next send will fail"
        if verb == "echo" and rest:
            sim.echo = rest[0] == "on"
            return f"echo {rest[0]}"
        if verb == "vanish":
            await sim.vanish()
            return "unplugged"
        if verb == "back":
            await sim.come_back()
            return f"plugged in again on {sim.device} (same path {sim.path})"
        if verb == "sent":
            return "\n".join(f"{s.reference}\t{s.recipient}\t{s.text}" for s in sim.sent) or "(nothing sent)"
        if verb == "log":
            return "\n".join(sim.commands) or "(nothing asked)"
    except (ValueError, IndexError) as exc:
        return f"? {exc}"
    return f"? {' '.join(words)}\n{COMMANDS_HELP}"
