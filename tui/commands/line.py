"""`guanjia line`: the line worker without a screen, for a service on the back-office box."""

from __future__ import annotations

NAME = "line"
HELP = "hold the phone line headless: keep every call and text, send the outbox (for systemd)"


def add_arguments(parser) -> None:
    parser.add_argument("--name", default=None, help="how other terminals see this holder (default: line@HOST)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every call, text and line change")
    parser.add_argument("--trace", metavar="FILE", default=None,
                        help="a support trace: every byte to and from the phone, time-stamped (play it with "
                             "guanjia replay FILE)")
    parser.add_argument("--mask-numbers", action="store_true",
                        help="in the trace, replace every phone number by a stand-in (the texts stay readable)")
    parser.add_argument("--trace-size", type=float, default=10.0, metavar="MB",
                        help="start a new trace file past this size, keeping five (default 10 MB)")


def run(args) -> int:
    """Run until interrupted; exits non-zero only when the book cannot be opened or no phone is named."""
    import asyncio
    import logging
    import signal
    import socket

    from store.db import close_book
    from tui.cli import UserError
    from tui.commands._book import open_for
    from tui.config import load_config
    from tui.worker import LineWorker

    port = args.port or load_config().port
    if not port:
        raise UserError("no phone named: give --port (a device such as /dev/serial/by-id/..., "
                        "socket://host:port, or sim:// for the simulated phone), or set [line] port in the config")
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

    try:
        recorder = Recorder(args.trace, max_bytes=int(args.trace_size * 1024 * 1024), mask=args.mask_numbers)
    except OSError as exc:
        raise UserError(f"cannot write the trace {args.trace}: {exc}") from None
    port.add_tap(recorder.tap)
    return recorder
