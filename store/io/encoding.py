"""Which text encoding a shop's file is in, decided deliberately rather than guessed.

Order: a UTF-16 byte-order mark (Excel's "Unicode text"); then strict UTF-8 with
or without Excel's BOM; then strict GB18030 (a superset of GBK and GB2312, what
Chinese Windows Excel writes) if the result reads as Chinese; then
charset-normalizer as a last resort. A file that is partly UTF-8 and partly
something else is refused with the line numbers, because any single decoding of
it would silently garble some customers' names.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from store.problems import Problem


class UnreadableFile(Problem):
    """The file cannot be read as a customer book; the message says why in plain words."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str


def _is_chinese_like(ch: str) -> bool:
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
        or 0x3400 <= code <= 0x4DBF  # extension A
        or 0x3000 <= code <= 0x303F  # CJK punctuation 、。「」
        or 0xFF00 <= code <= 0xFFEF  # full-width forms ，（）
        or 0x2010 <= code <= 0x206F  # general punctuation — “ ” …
        or code in (0x00B7, 0x00D7, 0x00F7)  # · × ÷ exist in GBK
    )


def _reads_as_chinese(text: str) -> bool:
    """GB18030 decodes many non-Chinese byte strings too; accept it only when the result is Chinese."""
    wide = [ch for ch in text if ord(ch) > 0x7F]
    if not wide:
        return True
    return sum(map(_is_chinese_like, wide)) >= 0.95 * len(wide)


def _mixed_lines(data: bytes) -> tuple[int, int] | None:
    """(a UTF-8 line, a non-UTF-8 line), 1-based, when the file mixes the two."""
    good = bad = 0
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad = bad or number
        else:
            good = good or number
        if good and bad:
            return good, bad
    return None


def decode(data: bytes) -> Decoded:
    """The file's text and the encoding it was read with; `UnreadableFile` if undecidable."""
    if not data.strip():
        raise UnreadableFile("file.empty", "the file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return Decoded(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError as exc:
            raise UnreadableFile("file.utf16", "the file says it is UTF-16 but byte {byte} is not", byte=exc.start) from None
    try:
        return Decoded(data.decode("utf-8-sig"), "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    mixed = _mixed_lines(data)
    if data.startswith(codecs.BOM_UTF8):
        # utf-8-sig reports positions after the 3-byte mark.
        bad_line = data.count(b"\n", 0, utf8_error.start + len(codecs.BOM_UTF8)) + 1
        raise UnreadableFile("file.mixed_bom", "the file starts with a UTF-8 mark but line {line} is not UTF-8 "
                             "(mixed encodings); save it again as 'CSV UTF-8'", line=bad_line)
    if mixed:
        raise UnreadableFile("file.mixed", "the file mixes encodings: line {good} is UTF-8 but line {bad} is not; "
                             "save it again as 'CSV UTF-8'", good=mixed[0], bad=mixed[1])
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _reads_as_chinese(text):
        return Decoded(text, "gb18030")
    return _detect(data)


def _detect(data: bytes) -> Decoded:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None or b"\x00" in data[:4096] and best.encoding.startswith("utf_8"):
        raise UnreadableFile("file.encoding", "cannot tell which text encoding the file uses (not UTF-8, not GBK); "
                             "save it again as 'CSV UTF-8'")
    return Decoded(str(best), best.encoding)
