"""`guanjia line`: the line worker without a screen, for a service on the back-office box."""

from __future__ import annotations

NAME = "line"
HELP = "cli.line.help"


def add_arguments(parser) -> None:
    from tui.i18n import t

    parser.add_argument("--name", default=None, help=t("cli.line.name"))
    parser.add_argument("-v", "--verbose", action="store_true", help=t("cli.line.verbose"))


def run(args) -> int:
    """Run until interrupted; exits non-zero only when the book cannot be opened or no phone is named."""
    import asyncio
    import logging
    import signal
    import socket

    from store.db import close_book
    from tui.cli import UserError
    from tui.commands._book import open_for
    from tui.commands._phone import port_of
    from tui.worker import LineWorker

    port = port_of(args)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    _, db = open_for(args)
    worker = LineWorker(port, name=args.name or f"line@{socket.gethostname()}", baudrate=args.baud)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, worker.stop)
        await worker.run()

    try:
        asyncio.run(main())
    finally:
        close_book(db)
    return 0
