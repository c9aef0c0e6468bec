"""`guanjia` with no subcommand: open the book, seed a demo book if asked or empty, run the desk."""

from __future__ import annotations

import argparse


def run_desk(args: argparse.Namespace) -> int:
    """Run the desk on the book named by --db, GUANJIA_DB, the config, or the default path."""
    from tui.cli import UserError
    from tui.config import ConfigError, load_config
    from tui.i18n import language_from, t

    try:
        config = load_config()
    except ConfigError as exc:
        raise UserError(t("cli.config_unreadable", error=exc)) from None

    from store.db import BookError, open_book
    from tui.locations import database_url

    url = database_url(getattr(args, "db", None), config.database)
    try:
        database = open_book(url)
    except BookError as exc:
        raise UserError(str(exc)) from None

    from tui.demo import book_is_empty, seed_demo

    port = getattr(args, "port", None) or config.port
    demo = getattr(args, "demo", False) or (port is None and book_is_empty())
    if demo and book_is_empty():
        seed_demo()
    if demo and port is None:
        port = "sim://"  # the demo's phone: the simulated one, so a newcomer sees the desk work

    from tui.app import GuanjiaApp
    from tui.live import Live
    from tui.screens.book import Book

    def live(app: GuanjiaApp) -> Live:
        # Every terminal watches the book for changes; the one given a phone also runs the line worker.
        return Live(app.post_message, port=port, name=_terminal_name(), baudrate=getattr(args, "baud", None)
                    or config.baud, demo=demo)

    language = getattr(args, "lang", None) or language_from(config.language)  # --lang overrides, as everywhere
    app = GuanjiaApp(Book(), config, language=language, live=live)
    try:
        app.run()
    finally:
        database.close()
    return app.return_code or 0


def _terminal_name() -> str:
    """Who this terminal is, for "the line is held by ...": user@host."""
    import getpass
    import socket

    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "guanjia"
    return f"{user}@{socket.gethostname()}"
