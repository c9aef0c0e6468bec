"""Which phone a modem command talks to: --port, else the configured one."""

from __future__ import annotations


def port_of(args) -> str:
    """The port URL from `--port` or the config file; a plain-words error when there is none."""
    from tui.cli import UserError
    from tui.config import ConfigError, load_config

    if args.port:
        return args.port
    try:
        port = load_config().port
    except ConfigError as exc:
        raise UserError(str(exc)) from None
    if not port:
        raise UserError("no phone named: give --port (a device such as /dev/serial/by-id/..., "
                        "socket://host:port, or sim:// for the simulated phone), or set the port in the config")
    return port
