"""`guanjia find QUERY`: the customers the desk's search box would show, best first."""

from __future__ import annotations

NAME = "find"
HELP = "find customers by name, pinyin (zs), any part of a number, 尾号 1234, or tag"


def add_arguments(parser) -> None:
    parser.add_argument("query", nargs="+", help="what you would type in the search box")
    parser.add_argument("--limit", type=int, default=20, help="at most this many customers (default 20)")
    parser.add_argument("--why", action="store_true", help="also say what matched")


def run(args) -> int:
    """Print one customer a line: name, primary number, tier (tab-separated); exit 1 when nothing matches."""
    from store import search, settings
    from store.db import close_book
    from store.numbers import display
    from tui.commands._book import open_for
    from tui.text import clean

    _, db = open_for(args)
    try:
        region = settings.home_region()
        hits = search.search(" ".join(args.query), limit=max(1, args.limit), region=region)
        for hit in hits:
            fields = [clean(hit.name, limit=60), display(hit.primary_number, region) if hit.primary_number else "-",
                      clean(hit.tier, limit=20)]
            if args.why:
                fields.append(hit.why)
            print("\t".join(fields))
    finally:
        close_book(db)
    return 0 if hits else 1
