"""The command palette's own words: Textual's built-in commands and the palette's prompts, in the shop's language."""

WORDS = {
    "palette.placeholder": ("搜索命令、页面或客户…", "Search for commands, screens or customers…"),
    "palette.themes": ("搜索配色…", "Search for themes…"),
    "palette.no_matches": ("没有找到", "No matches found"),
    "palette.builtin.theme": ("配色", "Theme"),
    "palette.builtin.theme.help": ("换一种界面配色", "Change the current theme"),
    "palette.builtin.quit": ("退出", "Quit"),
    "palette.builtin.quit.help": ("马上退出管家", "Quit the application as soon as possible"),
    "palette.builtin.keys": ("按键", "Keys"),
    "palette.builtin.keys.show": ("所有按键和它们做什么（同 F1）", "Every key and what it does (as F1)"),
    "palette.builtin.maximize": ("放大", "Maximize"),
    "palette.builtin.maximize.help": ("把当前的部件放大到整个屏幕", "Maximize the focused widget"),
    "palette.builtin.minimize": ("还原", "Minimize"),
    "palette.builtin.minimize.help": ("把放大的部件还原", "Minimize the widget and restore to normal size"),
    "palette.builtin.screenshot": ("截屏", "Screenshot"),
    "palette.builtin.screenshot.help": ("把当前屏幕存成 SVG 图片", "Save an SVG 'screenshot' of the current screen"),
}
