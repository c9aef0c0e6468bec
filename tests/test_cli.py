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
