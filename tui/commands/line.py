"""`guanjia line`: the line worker without a screen, for a service on the back-office box."""

from __future__ import annotations

NAME = "line"
HELP = "cli.line.help"


def add_arguments(parser) -> None:
    from tui.i18n import t

    parser.add_argument("--name", default=None, help=t("cli.line.name"))
    parser.add_argument("-v", "--verbose", action="store_true", help=t("cli.line.verbose"))
    parser.add_argument("--trace", metavar="FILE", default=None, help=t("cli.line.trace"))
    parser.add_argument("--mask-numbers", action="store_true", help=t("cli.line.mask_numbers"))
    parser.add_argument("--trace-size", type=float, default=10.0, metavar="MB", help=t("cli.line.trace_size"))


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
    recorder = _trace(args)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, worker.stop)
        await worker.run()

    try:
        asyncio.run(main())
    finally:
        close_book(db)
        if recorder is not None:
            recorder.close()
    return 0


def _trace(args):
    """The support trace's recorder, tapped into every port this process opens; None without --trace."""
    if not args.trace:
        return None
    from modem import port
    from modem.trace import Recorder
    from tui.cli import UserError
    from tui.i18n import t

    try:
        recorder = Recorder(args.trace, max_bytes=int(args.trace_size * 1024 * 1024), mask=args.mask_numbers)
    except OSError as exc:
        raise UserError(t("cli.line.trace_failed", file=args.trace, error=exc)) from None
    port.add_tap(recorder.tap)
    return recorder
