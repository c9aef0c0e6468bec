"""`guanjia sim`: a simulated phone on a real pseudo-terminal, scriptable from the keyboard."""

from __future__ import annotations

NAME = "sim"
HELP = "cli.sim.help"



def commands_help() -> str:
    """The typed commands, in the current language (the command words themselves stay as typed)."""
    from tui.i18n import t

    return t("cli.sim.commands")


def add_arguments(parser) -> None:
    from tui.i18n import t

    parser.add_argument("--flavour", default="generic", help=t("cli.sim.flavour"))
    parser.add_argument("--echo", action="store_true", help=t("cli.sim.echo"))
    parser.add_argument("--ring-every", type=float, default=None, metavar="N", help=t("cli.sim.ring_every"))
    parser.add_argument("--demo", action="store_true", help=t("cli.sim.demo"))
    parser.add_argument("--link-dir", default=None, help=t("cli.sim.link_dir"))


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
    from tui.i18n import t

    print(t("cli.sim.started", flavour=sim.flavour.name, device=sim.device, commands=commands_help()),
          file=sys.stderr, flush=True)
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
    from tui.i18n import t

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
            return t("cli.sim.ringing", number=rest[0])
        if verb in ("sms", "smscmt") and len(rest) >= 2:
            indexes = await sim.deliver_sms(rest[0], " ".join(rest[1:]), via="cmt" if verb == "smscmt" else "cmti")
            return t("cli.sim.delivered", parts=len(indexes))
        if verb == "report" and rest:
            await sim.report(int(rest[0]), int(rest[1]) if len(rest) > 1 else 0)
            return t("cli.sim.reported")
        if verb == "signal" and rest:
            sim.set_signal(int(rest[0]))
            return t("cli.sim.signal", bars=rest[0])
        if verb == "slow" and rest:
            sim.slow(float(rest[0]))
            return t("cli.sim.slow", seconds=rest[0])
        if verb == "busy":
            sim.busy_at_start(int(rest[0]) if rest else 3)
            return t("cli.sim.busy")
        if verb == "fail":
            sim.fail_next_send(int(rest[0]) if rest else 500)
            return t("cli.sim.fail")
        if verb == "echo" and rest:
            sim.echo = rest[0] == "on"
            return t("cli.sim.echo_now", state=rest[0])
        if verb == "vanish":
            await sim.vanish()
            return t("cli.sim.unplugged")
        if verb == "back":
            await sim.come_back()
            return t("cli.sim.back", device=sim.device, path=sim.path)
        if verb == "sent":
            return "\n".join(f"{s.reference}\t{s.recipient}\t{s.text}" for s in sim.sent) or t("cli.sim.nothing_sent")
        if verb == "log":
            return "\n".join(sim.commands) or t("cli.sim.nothing_asked")
    except (ValueError, IndexError) as exc:
        return f"? {exc}"
    return f"? {' '.join(words)}\n{commands_help()}"
