"""`guanjia find QUERY`: the customers the desk's search box would show, best first."""

from __future__ import annotations

NAME = "find"
HELP = "cli.find.help"


def add_arguments(parser) -> None:
    from tui.i18n import t

    parser.add_argument("query", nargs="+", metavar=t("cli.metavar.query"), help=t("cli.find.query"))
    parser.add_argument("--limit", type=int, default=20, help=t("cli.find.limit"))
    parser.add_argument("--why", action="store_true", help=t("cli.find.why"))


def run(args) -> int:
    """Print one customer a line: name, primary number, tier (tab-separated); exit 1 when nothing matches."""
    from store import search, settings
    from store.db import close_book
    from store.numbers import display
    from tui.commands._book import open_for
    from tui.match_words import match_reason
    from tui.text import clean

    _, db = open_for(args)
    try:
        region = settings.home_region()
        hits = search.search(" ".join(args.query), limit=max(1, args.limit), region=region)
        for hit in hits:
            fields = [clean(hit.name, limit=60), display(hit.primary_number, region) if hit.primary_number else "-",
                      clean(hit.tier, limit=20)]
            if args.why:
                fields.append(match_reason(hit.why))
            print("\t".join(fields))
    finally:
        close_book(db)
    return 0 if hits else 1
