"""The command line's words: help, reports, questions and errors of `guanjia` and its subcommands.

ARGPARSE holds Chinese for argparse's own messages ("usage: ", "error: ..."),
keyed by argparse's English, which tui.cli hands it in place of gettext.
"""

WORDS = {
}

ARGPARSE = {
}
