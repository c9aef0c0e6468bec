"""`guanjia monitor`: every event from the phone as one JSON object per line."""

from __future__ import annotations

NAME = "monitor"
HELP = "cli.monitor.help"


def add_arguments(parser) -> None:
    from tui.i18n import t

    parser.add_argument("--for", dest="seconds", type=float, default=None, metavar=t("cli.metavar.seconds"),
                        help=t("cli.monitor.for"))


def run(args) -> int:
    """Print events until interrupted (exit 0), flushing every line so pipes see it at once."""
    import asyncio

    from tui.commands._phone import port_of

    url = port_of(args)
    try:
        asyncio.run(_watch(url, args))
    except KeyboardInterrupt:
        pass
    return 0


async def _watch(url: str, args) -> None:
    import asyncio
    import json
    import signal
    import sys

    from modem.concat import Reassembler
    from modem.events import SmsPart, as_dict
    from modem.phone import Phone

    phone = Phone(url, baudrate=args.baud or 115200, read_only=True, reconnect=True)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, lambda: asyncio.ensure_future(phone.close()))
    if args.seconds is not None:
        loop.call_later(args.seconds, lambda: asyncio.ensure_future(phone.close()))
    reassembler = Reassembler()
    seen: set[str] = set()

    def show(record: dict) -> None:
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stdout.flush()

    await phone.open()
    async for event in phone.events():
        if isinstance(event, SmsPart):
            # The same part can be seen twice (announced, then found in a scan).
            if event.key in seen:
                continue
            seen.add(event.key)
            show(as_dict(event))
            whole = reassembler.add(event)
            if whole is not None:
                record = as_dict(whole)
                record["parts"] = len(whole.parts)
                show(record)
            continue
        show(as_dict(event))
