"""`guanjia` with no subcommand: open the book, seed a demo book if asked or empty, run the desk."""

from __future__ import annotations

import argparse


def run_desk(args: argparse.Namespace) -> int:
    """Run the desk on the book named by --db, GUANJIA_DB, the config, or the default path."""
    from tui.cli import UserError
    from tui.config import ConfigError, load_config
    from tui.i18n import language_from

    try:
        config = load_config()
    except ConfigError as exc:
        raise UserError(f"the config file cannot be read: {exc}") from None

    from store.db import BookError, open_book
    from tui.locations import default_database_url

    url = getattr(args, "db", None) or config.database or default_database_url()
    try:
        database = open_book(url)
    except BookError as exc:
        raise UserError(str(exc)) from None

    from tui.demo import book_is_empty, seed_demo

    port = getattr(args, "port", None) or config.port
    if getattr(args, "demo", False) or (port is None and book_is_empty()):
        if book_is_empty():
            seed_demo()

    from tui.app import GuanjiaApp
    from tui.screens.book import Book

    app = GuanjiaApp(Book(), config, language=language_from(config.language))
    try:
        app.run()
    finally:
        database.close()
    return app.return_code or 0
