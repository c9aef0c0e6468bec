"""The one program's argument handling, shared by every subcommand."""

from tui.cli import build_parser


def test_db_and_port_before_or_after_the_subcommand():
    parser = build_parser()
    before = parser.parse_args(["--db", "sqlite:///a.db", "--port", "sim://", "find", "zs"])
    after = parser.parse_args(["find", "zs", "--db", "sqlite:///b.db", "--port", "/dev/ttyUSB2"])
    neither = parser.parse_args(["find", "zs"])
    assert (before.db, before.port) == ("sqlite:///a.db", "sim://")
    assert (after.db, after.port) == ("sqlite:///b.db", "/dev/ttyUSB2")
    assert (neither.db, neither.port, neither.baud) == (None, None, None)


def test_every_subcommand_of_the_design_is_there():
    names = set(build_parser()._subparsers._group_actions[0].choices)
    assert {"line", "monitor", "send", "ports", "sim", "find", "import", "export", "backup"} <= names


def test_every_command_finds_the_book_in_one_order(monkeypatch, tmp_path):
    """--db, then GUANJIA_DB (DESIGN: it overrides), then the config's database, then the data dir."""
    from types import SimpleNamespace

    from tui.commands._book import book_url

    config = tmp_path / "config" / "guanjia" / "config.toml"
    config.parent.mkdir(parents=True)
    assert book_url(SimpleNamespace(db=None)) == f"sqlite:///{tmp_path / 'data' / 'guanjia' / 'guanjia.db'}"
    config.write_text('database = "sqlite:///from-config.db"\n', encoding="utf-8")
    assert book_url(SimpleNamespace(db=None)) == "sqlite:///from-config.db"
    monkeypatch.setenv("GUANJIA_DB", "sqlite:///from-env.db")
    assert book_url(SimpleNamespace(db=None)) == "sqlite:///from-env.db"
    assert book_url(SimpleNamespace(db="sqlite:///given.db")) == "sqlite:///given.db"
