"""Which column of a shop's spreadsheet is which field of a customer, by its header, in Chinese or English.

Headers are compared folded (NFKC, lower case, no spaces, no "*" or "(必填)"
decorations, no trailing digits so 电话1/电话2 and "Phone 2 - Value" are all
phones). Several columns may be phones; for any other field the first column
wins and the rest are reported as not used. `--mapping 'col=field,…'` overrides
the guess; the field `skip` ignores a column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from store.problems import Problem

FIELDS = ("name", "surname", "given_name", "phone", "tier", "birthday", "lunar_birthday", "tags",
          "notes", "company", "address", "gender", "source")
SKIP = "skip"

ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "客户名称", "客户姓名", "客户", "名称", "联系人", "称呼", "会员姓名", "会员名称",
             "name", "fullname", "customer", "customername", "contact", "contactname", "displayname", "fn"),
    "surname": ("姓", "姓氏", "lastname", "familyname", "surname"),
    "given_name": ("名", "firstname", "givenname"),
    "phone": ("电话", "手机", "手机号", "手机号码", "联系电话", "号码", "电话号码", "联系方式", "移动电话",
              "座机", "固话", "办公电话", "住宅电话", "会员手机", "会员电话",
              "phone", "mobile", "tel", "telephone", "cell", "cellphone", "mobilephone", "phonenumber",
              "phonevalue", "number", "phones"),
    "tier": ("等级", "会员等级", "级别", "会员级别", "客户等级", "vip等级", "卡类型", "会员卡", "tier", "level",
             "vip", "viplevel", "membership"),
    "birthday": ("生日", "出生日期", "公历生日", "阳历生日", "生辰", "birthday", "birthdate", "dateofbirth", "dob",
                 "bday"),
    "lunar_birthday": ("农历生日", "阴历生日", "农历", "lunarbirthday"),
    "tags": ("标签", "分组", "分类", "客户分类", "客户类型", "群组", "tags", "tag", "group", "groups",
             "groupmembership", "category", "categories", "labels"),
    "notes": ("备注", "说明", "附注", "备忘", "notes", "note", "remark", "remarks", "comment", "comments", "memo"),
    "company": ("公司", "单位", "工作单位", "公司名称", "company", "organization", "organisation", "org",
                "employer"),
    "address": ("地址", "住址", "联系地址", "家庭住址", "送货地址", "address", "homeaddress", "street"),
    "gender": ("性别", "gender", "sex"),
    "source": ("来源", "客户来源", "渠道", "source", "channel", "referral"),
}
_BY_ALIAS = {alias: field for field, aliases in ALIASES.items() for alias in aliases}
_DECORATION = re.compile(r"[\s*_\-:：.·]|[(（][^)）]*[)）]")


def fold_header(header: str) -> str:
    """A header as compared: 'Phone 2 - Value' -> 'phonevalue', '手机号码2*' -> '手机号码'."""
    h = unicodedata.normalize("NFKC", header).lower()
    h = _DECORATION.sub("", h)
    return re.sub(r"\d+", "", h)


class BadMapping(Problem):
    """A `--mapping` the file does not fit; the message says why."""


def parse_mapping(spec: str | None) -> dict[str, str]:
    """'客户=name,手机号=phone,积分=skip' as {header: field}."""
    mapping: dict[str, str] = {}
    for part in (spec or "").replace("，", ",").split(","):
        if not part.strip():
            continue
        column, sep, field = part.rpartition("=")
        column, field = column.strip(), field.strip().lower()
        if not sep or not column:
            raise BadMapping("mapping.shape", "{part!r} is not column=field", part=part.strip())
        if field not in FIELDS and field != SKIP:
            raise BadMapping("mapping.field", "{field!r} is not a field; use one of: {fields}", field=field,
                             fields=", ".join(FIELDS + (SKIP,)))
        mapping[column] = field
    return mapping


@dataclass(frozen=True, slots=True)
class ColumnMap:
    fields: tuple[tuple[int, str], ...]  # (column index, field), phones possibly several times
    unused: tuple[str, ...]  # headers nobody reads, to show in the report

    def has(self, field: str) -> bool:
        return any(f == field for _, f in self.fields)


def map_columns(headers: list[str], mapping: dict[str, str] | None = None) -> ColumnMap:
    """Fields for these headers; explicit `mapping` first, then the aliases."""
    mapping = mapping or {}
    stripped = [str(h or "").strip() for h in headers]
    missing = [c for c in mapping if c not in stripped and not (c.isdigit() and 1 <= int(c) <= len(stripped))]
    if missing:
        raise BadMapping("mapping.no_column", "the file has no column {column!r}; its columns are: {columns}",
                         column=missing[0], columns=", ".join(stripped))
    taken: set[str] = set()
    fields: list[tuple[int, str]] = []
    unused: list[str] = []
    for index, header in enumerate(stripped):
        field = mapping.get(header) or mapping.get(str(index + 1)) or _BY_ALIAS.get(fold_header(header)) or ""
        if field == SKIP or not field or (field != "phone" and field in taken):
            if header and field != SKIP:
                unused.append(header)
            continue
        taken.add(field)
        fields.append((index, field))
    if not any(f in ("name", "surname", "given_name", "phone") for _, f in fields):
        raise BadMapping("mapping.no_name_or_phone", "no column is a name or a phone number; headers are: {headers}"
                         " — name them 姓名/电话 or use --mapping 'column=name,column=phone'",
                         headers=", ".join(h or "(empty)" for h in stripped))
    return ColumnMap(tuple(fields), tuple(unused))
