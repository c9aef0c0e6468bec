"""Why a customer matched a search: store.search's field and kind codes, joined as the language reads."""

WORDS = {
    "match.reason": ("{field}{kind}", "{field} {kind}"),
    "match.field.name": ("姓名", "name"),
    "match.field.pinyin": ("拼音", "pinyin"),
    "match.field.initials": ("首字母", "initials"),
    "match.field.number": ("号码", "number"),
    "match.field.tag": ("标签", "tag"),
    "match.kind.exact": ("相同", "exact"),
    "match.kind.prefix": ("开头", "start"),
    "match.kind.ending": ("结尾", "ending"),
    "match.kind.substring": ("包含", "contains"),
}
