"""The customer card: who is on the line, at a glance, or where an unknown number is from."""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.widgets import Static

from tui.i18n import t
from tui.text import clean, mask_number, plain


@dataclass(frozen=True, slots=True)
class CardView:
    """Everything the card shows, already in display terms (times in the shop's zone)."""

    number: str | None
    customer_id: int | None = None
    name: str = ""
    tier: str = ""
    numbers: tuple[str, ...] = ()
    blocked: bool = False
    opt_out: bool = False
    calls_30d: int = 0
    calls_total: int = 0
    visits: int = 0
    spend_total: str = ""
    spend_avg: str = ""
    last_visit: str = ""
    favourites: tuple[str, ...] = ()
    birthday: str = ""
    birthday_in_days: int | None = None
    tags: tuple[str, ...] = ()
    notes: str = ""
    last_texts: tuple[str, ...] = ()
    where: str = ""  # "上海 · 中国联通" for numbers the book does not know
    display: str = ""  # `number` as people read it (138 0013 8000); `numbers` are already so

    @property
    def known(self) -> bool:
        return self.customer_id is not None


def _label(key: str) -> Content:
    return Content.assemble((f"{t(key)}: ", "bold $text-muted"))


def card_content(card: CardView | None, *, privacy: bool = False) -> Content:
    """The card as Content; every value from outside goes through `plain`."""
    if card is None:
        return Content.assemble((t("card.none"), "dim"))

    def number(value: str | None) -> str:
        if not value:
            return t("call.withheld")
        return mask_number(value) if privacy else clean(value, limit=40)

    lines: list[Content] = []
    if card.blocked:
        lines.append(Content.assemble((t("card.blocked"), "bold reverse $error")))
    if not card.known:
        shown = mask_number(card.number) if privacy and card.number else clean(card.display or number(card.number))
        lines.append(Content.assemble((t("card.unknown"), "bold"), "  ", plain(shown)))
        if card.where:
            lines.append(Content.assemble(_label("card.where"), plain(card.where)))
        if card.number:
            lines.append(Content.assemble((t("card.add_hint"), "italic $accent")))
        return Content("\n").join(lines)

    title = [plain(card.name, limit=60, style="bold")]
    if card.tier:
        title += [Content("  "), plain(card.tier, limit=20, style="$warning")]
    if card.opt_out:
        title += [Content("  "), Content.assemble((t("card.opt_out"), "dim"))]
    lines.append(Content.assemble(*title))
    numbers = card.numbers or ((card.number,) if card.number else ())
    lines.append(Content.assemble(_label("card.numbers"), plain(" · ".join(number(n) for n in numbers[:3]))))
    lines.append(Content.assemble(_label("card.calls"), t("card.calls_value", d30=card.calls_30d, total=card.calls_total)))
    visits = f"{card.visits}"
    if card.last_visit:
        visits += f" · {t('card.last_visit')} {card.last_visit}"
    lines.append(Content.assemble(_label("card.visits"), plain(visits)))
    if card.spend_total:
        lines.append(
            Content.assemble(_label("card.spend"), plain(t("card.spend_value", total=card.spend_total, avg=card.spend_avg)))
        )
    if card.favourites:
        lines.append(Content.assemble(_label("card.favourites"), plain("、".join(card.favourites[:3]), limit=120)))
    if card.birthday:
        soon = ""
        if card.birthday_in_days == 0:
            soon = " " + t("card.birthday_today")
        elif card.birthday_in_days is not None and card.birthday_in_days <= 7:
            soon = " (" + t("card.birthday_in", days=card.birthday_in_days) + ")"
        lines.append(Content.assemble(_label("card.birthday"), plain(card.birthday), (soon, "bold $success")))
    if card.tags:
        lines.append(Content.assemble(_label("card.tags"), plain(" ".join(f"#{tag}" for tag in card.tags), limit=120)))
    if card.notes:
        lines.append(Content.assemble(_label("card.notes"), plain(card.notes, limit=300)))
    if card.last_texts:
        lines.append(_label("card.texts"))
        lines += [Content.assemble("  ", plain(text, limit=120)) for text in card.last_texts[:3]]
    return Content("\n").join(lines)


class CustomerCard(Static):
    """Shows one CardView; the desk swaps it when the selected or ringing call changes."""

    DEFAULT_CSS = """
    CustomerCard { height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(card_content(None), id=id)
        self.card: CardView | None = None
        self.privacy = False

    def show(self, card: CardView | None, *, privacy: bool | None = None) -> None:
        """Show `card` (None: nothing selected)."""
        self.card = card
        if privacy is not None:
            self.privacy = privacy
        self.update(card_content(card, privacy=self.privacy))
