"""`guanjia send NUMBER TEXT`: send one text now and print the modem's references."""

from __future__ import annotations

NAME = "send"
HELP = "cli.send.help"


def add_arguments(parser) -> None:
    from tui.i18n import t

    parser.add_argument("number", metavar=t("cli.metavar.number"), help=t("cli.send.number"))
    parser.add_argument("text", nargs="+", metavar=t("cli.metavar.text"), help=t("cli.send.text"))
    parser.add_argument("--no-report", action="store_true", help=t("cli.send.no_report"))


def run(args) -> int:
    """Exit 0 with the references on stdout, or a plain-words error and exit 2."""
    import asyncio

    from modem.numbers import valid_destination
    from modem.probe import PhoneError
    from tui.cli import UserError
    from tui.commands._phone import port_of
    from tui.i18n import t
    from tui.line_words import error_words

    number = "".join(ch for ch in args.number if ch not in " -()")
    if not valid_destination(number):
        raise UserError(t("cli.send.bad_number", number=args.number))
    text = " ".join(args.text)
    if not text:
        raise UserError(t("cli.send.empty"))
    url = port_of(args)
    try:
        references = asyncio.run(_send(url, args.baud or 115200, number, text, not args.no_report))
    except PhoneError as exc:
        raise UserError(t("cli.send.not_sent", why=error_words(exc))) from None
    print(" ".join(str(r) for r in references))
    return 0


async def _send(url: str, baudrate: int, number: str, text: str, report: bool) -> list[int]:
    from modem.phone import Phone

    async with Phone(url, baudrate=baudrate, reconnect=False) as phone:
        return await phone.send_sms(number, text, request_report=report)
