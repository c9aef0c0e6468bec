"""Words for texts the phone handed over but nobody could read (kept, raw, as a text: issue 10)."""

WORDS: dict[str, tuple[str, str]] = {
    "text.unreadable": ("〔一条本机无法读取的短信，原始内容已保存〕",
                        "[a text this phone could not read; its raw form is kept]"),
    "text.compressed": ("〔压缩短信，暂不支持显示，原始内容已保存〕",
                        "[compressed text, not supported; its raw form is kept]"),
}
