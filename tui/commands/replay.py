"""`guanjia replay`: a support trace played to the phone's parser, its events printed as JSON lines."""

from __future__ import annotations

NAME = "replay"
HELP = "cli.replay.help"


def add_arguments(parser) -> None:
    from tui.i18n import t

    parser.add_argument("files", nargs="+", metavar="FILE", help=t("cli.replay.files"))
    parser.add_argument("--region", default="CN", help=t("cli.replay.region"))


def run(args) -> int:
    """Print every event the phone gives as the trace plays; 1 if the phone went its own way somewhere."""
    import asyncio
    import json
    import sys

    from modem.events import as_dict
    from modem.replay import Diverged, Player
    from tui.cli import UserError
    from tui.i18n import t

    def note(words: str) -> None:
        print(f"# {words}", file=sys.stderr, flush=True)

    try:
        player = Player(args.files, region=args.region, on_note=note)
    except (OSError, ValueError, Diverged) as exc:
        raise UserError(t("cli.replay.cannot", error=exc)) from None
    events = asyncio.run(player.play())
    for event in events:
        sys.stdout.write(json.dumps(as_dict(event), ensure_ascii=False) + "\n")
    sys.stdout.flush()
    print(f"# {len(player.records)} records played, {len(events)} events; "
          f"the phone went its own way {player.diverged} time(s)", file=sys.stderr)
    return 1 if player.diverged else 0
