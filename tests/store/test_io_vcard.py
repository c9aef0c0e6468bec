"""vCards from phones (2.1 quoted-printable, GBK, folded 3.0, 4.0) and broken ones."""

from __future__ import annotations

from store.io.read import read_file
from store.io.vcard import CardFacts, card, read_vcards


def qp(text: str, encoding: str = "utf-8") -> str:
    return "".join(f"={b:02X}" for b in text.encode(encoding))


def test_android_21_quoted_printable_with_soft_breaks_and_photo():
    text = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\n"
        f"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{qp('张')};{qp('三')};;;\r\n"
        f"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{qp('张三')}\r\n"
        "TEL;CELL;PREF:138-0013-8000\r\nTEL;HOME:010 1234 5678\r\n"
        f"NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{qp('爱吃')}=\r\n{qp('辣。')}\r\n"
        "PHOTO;ENCODING=BASE64;JPEG:/9j/4AAQ\r\n AAAA\r\n\r\n"
        "BDAY:1990-05-01\r\nEND:VCARD\r\n"
    )
    (c,) = read_vcards(text)
    assert (c.line, c.name, c.phones, c.problem) == (1, "张三", ("138-0013-8000", "010 1234 5678"), None)
    assert c.values == {"notes": "爱吃辣。", "birthday": "1990-05-01"}


def test_old_handset_gbk_charset_and_n_only():
    text = (f"BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=GBK;ENCODING=QUOTED-PRINTABLE:{qp('李', 'gbk')};{qp('四', 'gbk')}\n"
            "TEL;CELL:13900139000\nEND:VCARD\n")
    (c,) = read_vcards(text)
    assert c.name == "李四"


def test_30_folding_escapes_categories_org_and_40_uri_tel():
    text = ("BEGIN:VCARD\nVERSION:3.0\nFN:Li\n  Si\nitem1.TEL;TYPE=CELL:+86 139 0013 9000\n"
            "NOTE:a\\nb\\, c\\; d\nCATEGORIES:VIP,老客户\nORG:Acme;Sales\nEND:VCARD\n"
            "BEGIN:VCARD\nVERSION:4.0\nFN:王五\nTEL;VALUE=uri;TYPE=cell:tel:+86-137-0013-7000\n"
            "BDAY:--0501\nGENDER:F\nEND:VCARD\n")
    first, second = read_vcards(text)
    assert first.name == "Li Si" and first.phones == ("+86 139 0013 9000",)
    assert first.values == {"notes": "a\nb, c; d", "tags": "VIP;老客户;", "company": "Acme"}
    assert second.phones == ("+86-137-0013-7000",) and second.values == {"birthday": "--0501", "gender": "F"}


def test_broken_cards_are_invalid_at_their_begin_line_and_the_rest_still_read():
    text = ("BEGIN:VCARD\nFN;ENCODING=QUOTED-PRINTABLE:=ZZ=E5\nEND:VCARD\n"
            "BEGIN:VCARD\nFN;CHARSET=KLINGON;ENCODING=QUOTED-PRINTABLE:=41\nEND:VCARD\n"
            "BEGIN:VCARD\nFN:ok\nTEL:13800138000\nEND:VCARD\n"
            "BEGIN:VCARD\nFN:no end\nBEGIN:VCARD\nFN:cut\n")
    cards = list(read_vcards(text))
    expected = [
        (1, "broken quoted-printable in FN"),
        (4, "FN is in an unknown character set 'KLINGON'"),
        (7, ""),
        (11, "the card has no END:VCARD before the next BEGIN:VCARD"),
        (13, "the card has no END:VCARD (the file is cut short?)"),
    ]
    assert [c.line for c in cards] == [line for line, _ in expected]
    for c, (_, start) in zip(cards, expected):
        assert (c.problem.text if c.problem else "").startswith(start) and bool(c.problem) == bool(start)
    assert cards[2].name == "ok"


def test_a_vcf_file_is_recognised_by_content(tmp_path):
    path = tmp_path / "contacts.txt"
    path.write_bytes("\ufeffBEGIN:VCARD\nFN:张三\nTEL:13800138000\nEND:VCARD\n".encode())
    source = read_file(path)
    assert source.kind == "vcard" and [c.name for c in source.customers] == ["张三"]


def test_written_cards_read_back_and_fold_at_75_octets():
    facts = CardFacts("张三", ("+8613800138000", "+8613900139000"), tier="金卡", birthday="--05-01",
                      tags=("VIP", "外卖"), notes="长" * 60 + "\n;,\\", company="饭店", address="北京市 1号")
    text = card(facts)
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    (c,) = read_vcards(text)
    assert c.name == "张三" and c.phones == facts.phones
    assert c.values == {"tier": "金卡", "birthday": "--05-01", "tags": "VIP;外卖;", "notes": "长" * 60 + "\n;,\\",
                        "company": "饭店", "address": "北京市 1号"}


def test_a_10_mb_note_is_left_out_of_its_card():
    huge = "=41" * 3_500_000  # 10 MB of quoted-printable
    text = f"BEGIN:VCARD\nFN:x\nNOTE;ENCODING=QUOTED-PRINTABLE:{huge}\nEND:VCARD\nBEGIN:VCARD\nFN:y\nEND:VCARD\n"
    first, second = read_vcards(text)
    assert first.name == "x" and first.problem is None and first.values == {}
    assert [(f, r.text) for f, r in first.remarks] == [
        ("notes", "notes is 3,500,000 characters long (at most 10,000)")]
    assert second.name == "y"
