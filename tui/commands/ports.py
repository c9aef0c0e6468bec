"""`guanjia ports`: which serial ports might be the phone, or what one of them is."""

from __future__ import annotations

NAME = "ports"
HELP = "cli.ports.help"


def add_arguments(parser) -> None:
    from tui.i18n import t

    parser.add_argument("--probe", metavar="URL", default=None, help=t("cli.ports.probe"))


def run(args) -> int:
    """List ports (exit 1 when none), or probe one (exit 0 if usable, 1 if not, 2 if nothing answers)."""
    if args.probe or args.port:
        return _probe(args.probe or args.port, args.baud or 115200)
    from modem.ports import list_ports
    from tui.i18n import t

    ports = list_ports()
    for port in ports:
        print(_line(port))
    if not ports:
        print(t("cli.ports.none"))
        return 1
    if not any(p.by_id_path for p in ports):
        print(t("cli.ports.tip"))
    return 0


def _probe(url: str, baudrate: int) -> int:
    import asyncio

    from modem.probe import PhoneError, probe_port
    from tui.cli import UserError
    from tui.line_words import error_words, probe_words

    try:
        result = asyncio.run(probe_port(url, baudrate=baudrate))
    except PhoneError as exc:
        raise UserError(f"{url}: {error_words(exc)}") from None
    print(probe_words(result))
    return 0 if result.usable else 1


def _line(port) -> str:
    """One port as modem.ports.describe lays it out (the name to use, then what it is), in the shop's words."""
    from tui.i18n import t
    from tui.text import clean

    ident = f"{port.vid:04x}:{port.pid:04x}" if port.vid is not None and port.pid is not None else ""
    what = " ".join(x for x in (port.manufacturer, port.product or port.description, ident) if x)
    also = t("cli.ports.now", device=port.device) if port.by_id_path else ""
    return clean(f"{port.best_path}  {what or t('cli.ports.serial_port')}{also}", limit=300)
