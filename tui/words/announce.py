"""Words of what arrives while the operator works: the ring on every screen, a new text, a reply's recipient."""

WORDS: dict[str, tuple[str, str]] = {
    "announce.to_desk": ("去前台", "to desk"),
    "key.to_caller": ("接来电", "To caller"),
    "tip.to_caller": ("来电时去前台看这位客户；打开的表单和没写完的短信都原样留着，按原来的功能键回去",
                      "While a call rings: the desk, on the caller; an open form or draft stays as it was, "
                      "its screen's key brings it back"),
    "announce.text": ("新短信：{who}", "New text: {who}"),
    "messages.reply_to": ("回复给 {to}", "Reply to {to}"),
    "messages.reply_none": ("按 r 或回车回复选中的对话", "r or Enter replies to the chosen thread"),
    "messages.queued": ("已放入发件箱，发给 {to}", "Queued for {to}"),
}
