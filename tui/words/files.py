"""Saving a file from the desk: where it goes (the operator says), and what the notice says."""

WORDS = {
    "save_to.title": ("保存到哪个文件夹？", "Save in which folder?"),
    "save_to.hint": ("文件名：{name}（已有同名文件时自动加 -2、-3，从不覆盖）。Enter 保存，Esc 取消",
                     "File name: {name} (taken names get -2, -3: nothing is overwritten). Enter saves, Esc cancels"),
    "save_to.need_folder": ("请写一个文件夹", "Write a folder"),
    "save_to.not_folder": ("{path} 是一个文件，不是文件夹", "{path} is a file, not a folder"),
    "tip.save_to": ("存到这个文件夹（没有就新建）", "Save in this folder (made if missing)"),
}
