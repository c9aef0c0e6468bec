"""`guanjia send NUMBER TEXT`: send one text now and print the modem's references."""

from __future__ import annotations

NAME = "send"
HELP = "send one text (any length, any script) and print the modem's message references"


def add_arguments(parser) -> None:
    parser.add_argument("number", help="who gets it: 13800138000, +8613800138000 ...")
    parser.add_argument("text", nargs="+", help="the text (quote it, or give it as several words)")
    parser.add_argument("--no-report", action="store_true", help="do not ask the network for a delivery report")


def run(args) -> int:
    """Exit 0 with the references on stdout, or a plain-words error and exit 2."""
    import asyncio

    from modem.numbers import valid_destination
    from modem.probe import PhoneError
    from tui.cli import UserError
    from tui.commands._phone import port_of

    number = "".join(ch for ch in args.number if ch not in " -()")
    if not valid_destination(number):
        raise UserError(f"{args.number!r} is not a phone number a text can go to")
    text = " ".join(args.text)
    if not text:
        raise UserError("the text is empty")
    url = port_of(args)
    try:
        references = asyncio.run(_send(url, args.baud or 115200, number, text, not args.no_report))
    except PhoneError as exc:
        raise UserError(f"not sent: {exc}") from None
    print(" ".join(str(r) for r in references))
    return 0


async def _send(url: str, baudrate: int, number: str, text: str, report: bool) -> list[int]:
    from modem.phone import Phone

    async with Phone(url, baudrate=baudrate, reconnect=False) as phone:
        return await phone.send_sms(number, text, request_report=report)
