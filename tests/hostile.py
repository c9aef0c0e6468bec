"""Text a hostile or careless outside world can put in names, numbers and SMS bodies.

Every surface that shows outside data is tested with this whole corpus: each must
render literally, never crash, never run an action, never emit control codes.
"""

LONG = "长" * 10_000

HOSTILE = [
    "张三[/]",
    "a[/x",
    "[/",
    "[@click=app.quit]x",
    "[link=http://x]y",
    "[$accent]z",
    "[bold]",
    "[b]粗[/b]",
    "\x1b[31m红\x1b[0m",
    "\x1b]0;pwned\x07title",
    "carriage\rreturn",
    "ctrl\x1az",
    "nul\x00byte",
    "\u202eevil",
    "line\nbreak",
    LONG,
]

# Control characters that must never reach the rendered screen.
FORBIDDEN = ["\x1b", "\r", "\x1a", "\x00", "\x9b", "\u202e"]


def visible_marker(text: str) -> str:
    """A short piece of `text` that must appear literally on screen once rendered."""
    markers = {
        "张三[/]": "张三[/]",
        "a[/x": "a[/x",
        "[/": "[/",
        "[@click=app.quit]x": "[@click=app.quit]x",
        "[link=http://x]y": "[link=http://x]y",
        "[$accent]z": "[$accent]z",
        "[bold]": "[bold]",
        "[b]粗[/b]": "[b]粗[/b]",
    }
    return markers.get(text, "")
