"""Which phone a modem command talks to: --port, else the configured one."""

from __future__ import annotations


def port_of(args) -> str:
    """The port URL from `--port` or the config file; a plain-words error when there is none."""
    from tui.cli import UserError
    from tui.config import ConfigError, load_config
    from tui.i18n import t

    if args.port:
        return args.port
    try:
        port = load_config().port
    except ConfigError as exc:
        raise UserError(t("cli.config_unreadable", error=exc)) from None
    if not port:
        raise UserError(t("cli.no_phone"))
    return port
