"""`guanjia ports`: which serial ports might be the phone, or what one of them is."""

from __future__ import annotations

NAME = "ports"
HELP = "list serial ports (stable /dev/serial/by-id names first), or --probe URL to ask one what it is"


def add_arguments(parser) -> None:
    parser.add_argument("--probe", metavar="URL", default=None,
                        help="talk to this port (or --port) and say what phone is there")


def run(args) -> int:
    """List ports (exit 1 when none), or probe one (exit 0 if usable, 1 if not, 2 if nothing answers)."""
    if args.probe or args.port:
        return _probe(args.probe or args.port, args.baud or 115200)
    from modem.ports import describe, list_ports

    ports = list_ports()
    for port in ports:
        print(describe(port))
    if not ports:
        print("no serial ports found; is the phone plugged in and in modem (not charging-only) mode?")
        return 1
    if not any(p.by_id_path for p in ports):
        print("# tip: use the /dev/serial/by-id/... name where there is one; /dev/ttyUSBn may change on replug")
    return 0


def _probe(url: str, baudrate: int) -> int:
    import asyncio

    from modem.probe import PhoneError, probe_port
    from tui.cli import UserError

    try:
        result = asyncio.run(probe_port(url, baudrate=baudrate))
    except PhoneError as exc:
        raise UserError(f"{url}: {exc}") from None
    print(result.summary)
    return 0 if result.usable else 1
