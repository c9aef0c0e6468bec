"""The desk's one doorway into the store: blocking calls that turn rows into the screens' plain views.

Every method here blocks on the database, so screens call them only from thread
workers (DESIGN invariant 5). Times come out in the shop's time zone.
"""

from __future__ import annotations

import functools
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tui.i18n import current_language, t
from tui.screens.origin import where_from
from tui.screens.views import (
    CustomerDraft,
    CustomerHit,
    CustomerSummary,
    HistoryLine,
    Recipient,
    ShopSettings,
    TemplateDraft,
    TextLine,
    ThreadLine,
    VisitEntry,
)
from tui.widgets.call_log import CallLine
from tui.widgets.card import CardView
from tui.widgets.composer import TemplateChoice


def _on_book_thread(method):
    """Run `method` on the book's own thread, so one connection serves every screen's workers.

    Textual starts a new thread per worker; a connection per thread would never
    be closed (peewee keeps them thread-local), and each holds its own page cache.
    """

    @functools.wraps(method)
    def run(self, *args, **kwargs):
        if threading.get_ident() == self._thread_id:
            return method(self, *args, **kwargs)
        return self._thread.submit(method, self, *args, **kwargs).result()

    return run


def _outcome(row, now: datetime) -> str:
    """A finished call's outcome; a call not over yet is ringing or talking, unless it is so old that
    it can only be one the line lost track of (a crash mid-call): then it counts as it stood."""
    if row.outcome:
        return row.outcome
    started = row.started_at if row.started_at.tzinfo else row.started_at.replace(tzinfo=timezone.utc)
    live = row.ended_at is None and now - started < timedelta(hours=3)
    if row.answered_at is not None:
        return "talking" if live else "answered"
    return "ringing" if live else "missed"


def _money(cents: int | float | None) -> str:
    return f"{(cents or 0) / 100:,.0f}"


def _price(cents: int) -> str:
    """Yuan as written on a bill: whole yuan plainly, otherwise to the fen."""
    return f"{cents // 100:,}" if cents % 100 == 0 else f"{cents / 100:,.2f}"


class Book:
    """The open book (bound by store.db.open_book), seen the way the desk needs it."""

    def __init__(self, now=lambda: datetime.now(timezone.utc)) -> None:
        self._now = now
        self._call_marks: dict[int, int] = {}  # offset in the log → id of the call there (keyset paging)
        self._newest_id: int | None = None
        self._zone: ZoneInfo | None = None
        self._region: str | None = None
        self._shop = ""  # the shop's name, read by workers so filling a template never waits on the database
        self._thread_id: int | None = None
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="guanjia-book", initializer=self._started)

    def _started(self) -> None:
        self._thread_id = threading.get_ident()
        from store.db import is_postgres
        from store.models import Customer

        database = Customer._meta.database
        if not is_postgres(database):
            # The desk reads a page or a card at a time: a small page cache is plenty (the store asks 64 MB).
            database.connect(reuse_if_open=True)
            database.execute_sql("PRAGMA cache_size = -16384")

    def close(self) -> None:
        """Close the book thread's connection and let the thread end."""
        if self._thread_id is not None:
            self._thread.submit(self._close_connection).result()
        self._thread.shutdown(wait=True)

    def _close_connection(self) -> None:
        from store.models import Customer

        Customer._meta.database.close()

    @_on_book_thread
    def run(self, fn, /, *args, **kwargs):
        """`fn(self, *args, **kwargs)` on the book's thread: how an area's own doorway module
        (e.g. tui/screens/campaign_book.py) reaches the store without growing this file."""
        return fn(self, *args, **kwargs)

    def now(self) -> datetime:
        """The book's clock (UTC; frozen in tests)."""
        return self._now()

    # -- shop --------------------------------------------------------------------

    @property
    def zone(self) -> ZoneInfo:
        """The shop's time zone (read once from the shop's settings)."""
        if self._zone is None:
            self._zone = self._read_zone()
        return self._zone

    @_on_book_thread
    def _read_zone(self) -> ZoneInfo:
        from store import settings

        try:
            return ZoneInfo(str(settings.get("time_zone")))
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("Asia/Shanghai")

    @_on_book_thread
    def region(self) -> str:
        from store import settings

        self._region = settings.home_region()
        return self._region

    def display(self, number: str | None) -> str | None:
        """A number as people at the shop read it: national for home numbers, international otherwise."""
        from store.numbers import display

        # The region read by a worker (never a query here: this runs on the event loop too).
        return display(number, self._region or "CN") if number and number.startswith("+") else number

    @_on_book_thread
    def shop_settings(self) -> ShopSettings:
        from store import settings

        self._shop = str(settings.get("shop_name") or "")
        return ShopSettings(self._shop, settings.home_region(), str(settings.get("time_zone")),
                            bool(settings.get("auto_reject_blocked")), tuple(settings.tiers()))

    @_on_book_thread
    def save_shop_settings(self, shop: ShopSettings) -> None:
        from store import settings

        settings.set("shop_name", shop.shop)
        settings.set("home_region", shop.region)
        settings.set("time_zone", shop.timezone)
        settings.set("auto_reject_blocked", shop.auto_reject_blocked)
        settings.set("tiers", list(shop.tiers))
        self._zone = None

    def shop_time(self, at: datetime) -> datetime:
        """`at` in the shop's zone once a worker has read it; until then as given (never a query here)."""
        return at.astimezone(self._zone) if self._zone is not None else at

    def local(self, at: datetime | None) -> datetime | None:
        """`at` (UTC) in the shop's time zone."""
        if at is None:
            return None
        if at.tzinfo is None:
            at = at.replace(tzinfo=timezone.utc)
        return at.astimezone(self.zone)

    def _when(self, at: datetime | None) -> tuple[str, str]:
        local = self.local(at)
        if local is None:
            return "", ""
        today = self.local(self._now()).date()
        short = local.strftime("%H:%M") if local.date() == today else local.strftime("%m-%d")
        return short, local.strftime("%Y-%m-%d %H:%M")

    # -- the call log --------------------------------------------------------------

    @_on_book_thread
    def calls_count(self) -> int:
        """How many calls the log holds (and forget the paging marks: the newest end moved)."""
        from peewee import fn

        from store import calls
        from store.models import Call

        self._call_marks = {}
        self._newest_id = Call.select(fn.MAX(Call.id)).scalar()
        return calls.count()  # from the id range: instant on ten million calls

    @_on_book_thread
    def call_lines(self, offset: int, limit: int) -> list[CallLine]:
        """Calls `offset`…`offset+limit` counted from the newest, by keyset where the page start is known."""
        from peewee import JOIN

        from store.models import Call, Customer

        # objects(): the customer's name lands on the call row itself, leaving customer_id intact.
        query = (Call.select(Call, Customer.name.alias("customer_name")).join(Customer, JOIN.LEFT_OUTER)
                 .order_by(Call.id.desc()).limit(limit + 1).objects())
        start = self._call_marks.get(offset)
        if start is None and self._newest_id is not None:
            # A jump (End, a scrollbar drag): calls are never deleted, so the id says where a row sits.
            # Exact without gaps in the ids; with gaps (PostgreSQL sequences) a few rows off, never slow.
            start = self._newest_id - offset
        query = query.where(Call.id <= start) if start is not None else query.offset(offset)
        rows = list(query)
        if len(rows) > limit:
            self._call_marks[offset + limit] = rows[limit].id
        lines = []
        for row in rows[:limit]:
            short, long = self._when(row.started_at)
            name = row.customer_name if row.customer_id else None
            lines.append(CallLine(
                call_id=row.id, when=short, when_long=long, number=row.number or None, name=name,
                outcome=_outcome(row, self._now()), duration_s=row.duration_s,
                callback_pending=row.callback == "pending", customer_id=row.customer_id, direction=row.direction,
                display=self.display(row.number),
            ))
        return lines

    @_on_book_thread
    def today_summary(self) -> tuple[int, int]:
        """Calls and missed calls since midnight in the shop."""
        from store import calls

        self.region()  # cached for number display on the event loop
        day = calls.today_summary(str(self.zone), self._now())
        return day.total, day.missed

    @_on_book_thread
    def mark_called_back(self, call_id: int) -> None:
        """The missed call `call_id` was returned."""
        from store import calls

        calls.mark_called_back(call_id, at=self._now())

    # -- the card --------------------------------------------------------------------

    @_on_book_thread
    def card(self, number: str | None) -> CardView:
        """The caller card for `number`: the customer's facts, or where an unknown number is from."""
        from store.lookup import caller_card

        self.shop_settings()  # fresh shop name, region and zone for what runs on the event loop
        self.zone
        self.region()
        if not number:
            return CardView(number=None)
        card = caller_card(number, self._region)
        if card.customer_id is None:
            where = where_from(card.number or number, self._region or "CN", current_language())
            return CardView(number=card.number or number, where=where,
                            display=self.display(card.number or number) or "")
        return self.card_view(card)

    def origin(self, number: str | None) -> str:
        """Where `number` is from ("上海 · 中国联通"): the prefixes table only, no query (any thread, off the loop)."""
        return where_from(number, self._region or "CN", current_language())

    def card_view(self, card) -> CardView:
        """A known customer's store card in display terms, without touching the database."""
        birthday, days = "", None
        if card.birthday:
            birthday = card.birthday.strftime("%m-%d")
            days = self._days_to(card.birthday)
        last_visit = self.local(card.last_visit_at).strftime("%Y-%m-%d") if card.last_visit_at else ""
        texts = tuple(f"{'←' if x.direction == 'in' else '→'} {self._when(x.at)[0]} {x.body}" for x in card.last_texts)
        return CardView(
            number=card.number, customer_id=card.customer_id, name=card.name, tier=card.tier,
            numbers=tuple(self.display(n) or n for n in card.numbers), display=self.display(card.number) or "",
            blocked=card.blocked, opt_out=card.opted_out, calls_30d=card.calls_30d,
            calls_total=card.calls_total, visits=card.visits,
            spend_total=_money(card.spend_total_cents) if card.visits else "",
            spend_avg=_money(card.spend_average_cents) if card.visits else "", last_visit=last_visit,
            favourites=tuple(card.favourite_items), birthday=birthday, birthday_in_days=days, tags=tuple(card.tags),
            notes=card.notes, last_texts=texts,
        )

    def _days_to(self, birthday: date) -> int:
        today = self.local(self._now()).date()
        for year in (today.year, today.year + 1):
            try:
                next_one = birthday.replace(year=year)
            except ValueError:  # 29 February in a common year: the shop celebrates on 1 March
                next_one = date(year, 3, 1)
            if next_one >= today:
                return (next_one - today).days
        return 365

    # -- customers ---------------------------------------------------------------------

    @_on_book_thread
    def search(self, query: str, limit: int = 20) -> list[CustomerHit]:
        """The store's one-box search (name, pinyin, number, last digits, tags); recent customers for ""."""
        from store.models import Customer, Phone

        if not query.strip():
            recent = list(Customer.select().where(Customer.deleted_at.is_null())
                          .order_by(Customer.seen_at.desc()).limit(limit))
            primary = {p.customer_id: p.number for p in Phone.select().where(
                Phone.customer.in_([c.id for c in recent]) & Phone.is_primary)}
            return [CustomerHit(c.id, c.name, self.display(primary.get(c.id, "")) or "", c.tier,
                                blocked=c.blocked, opted_out=c.opted_out) for c in recent]
        from store.search import search

        hits = search(query, limit=limit, region=self._region or self.region())
        # The flags the list shows (and the block / opt-out keys toggle): one small query for the page.
        flags = {cid: (blocked, out) for cid, blocked, out in Customer.select(
            Customer.id, Customer.blocked, Customer.opted_out).where(
            Customer.id.in_([h.customer_id for h in hits])).tuples()} if hits else {}
        return [CustomerHit(h.customer_id, h.name, self.display(h.primary_number) or "", h.tier, h.why,
                            *flags.get(h.customer_id, (False, False))) for h in hits]

    @_on_book_thread
    def customer(self, customer_id: int) -> CustomerDraft:
        """One customer as the form edits it."""
        from store.customers import get_customer, numbers_of

        row = get_customer(customer_id)
        numbers = numbers_of(row)
        self.region()  # read once, so numbers show as the shop reads them
        shown = tuple(self.display(p.number) or p.number for p in numbers)
        return CustomerDraft(
            customer_id=row.id, name=row.name, number=shown[0] if shown else "", numbers=shown, tier=row.tier,
            birthday=row.birthday.isoformat() if row.birthday else "", tags=", ".join(row.tag_list), notes=row.notes,
        )

    @_on_book_thread
    def save_customer(self, draft: CustomerDraft) -> int:
        """Add or update a customer from the form; raises with a plain reason (bad number, number taken)."""
        from store import customers

        region = self.region()
        tags = [tag.strip() for tag in draft.tags.replace("，", ",").split(",") if tag.strip()]
        birthday = date.fromisoformat(draft.birthday.strip()) if draft.birthday.strip() else None
        name = draft.name.strip() or draft.number.strip()
        from store.models import Customer

        # One transaction: a bad or taken number leaves no half-made customer behind.
        with Customer._meta.database.atomic():
            if draft.customer_id is None:
                row = customers.add_customer(name, (), region=region, tier=draft.tier.strip() or "普通",
                                             birthday=birthday, notes=draft.notes, tags=tags)
            else:
                row = customers.update_customer(draft.customer_id, name=name, tier=draft.tier.strip() or "普通",
                                                birthday=birthday, notes=draft.notes, tags=tags)
            self._save_numbers(row.id, draft, region)
        return row.id

    def _save_numbers(self, customer_id: int, draft: CustomerDraft, region: str) -> None:
        """The form's numbers become the customer's, the first primary: added, kept or taken off."""
        from store import customers
        from store.numbers import normalize

        typed = [n.strip() for n in (draft.numbers or (draft.number,)) if n.strip()]
        wanted = list(dict.fromkeys(normalize(n, region) for n in typed))  # raises InvalidNumber in plain words
        had = [p.number for p in customers.numbers_of(customer_id)]
        for number in had:
            if number not in wanted:
                customers.remove_number(customer_id, number, region=region)
        for number in wanted:
            if number not in had:
                # add_number also gives the customer the calls and texts already logged from that number.
                customers.add_number(customer_id, number, region=region)
        now = customers.numbers_of(customer_id)  # primary first
        if wanted and now[0].number != wanted[0]:
            customers.set_primary(customer_id, wanted[0], region=region)

    @_on_book_thread
    def history(self, customer_id: int, limit: int = 200) -> list[HistoryLine]:
        """A customer's calls, visits and texts, newest first."""
        from store.models import Call, Message, Visit

        lines: list[tuple[datetime, HistoryLine]] = []
        for call in Call.select().where(Call.customer == customer_id).order_by(Call.id.desc()).limit(limit):
            outcome = (t(f"call.{call.outcome}") if call.outcome in ("answered", "missed", "rejected", "unknown")
                       else call.outcome)
            text = f"{outcome} {call.duration_s // 60}:{call.duration_s % 60:02d}" if call.duration_s else outcome
            lines.append((call.started_at, HistoryLine(self._when(call.started_at)[1], "call", text)))
        for visit in Visit.select().where(Visit.customer == customer_id).order_by(Visit.at.desc()).limit(limit):
            lines.append((visit.at, self._visit_line(visit)))
        for text in Message.select().where(Message.customer == customer_id).order_by(Message.id.desc()).limit(limit):
            arrow = "←" if text.direction == "in" else "→"
            lines.append((text.at, HistoryLine(self._when(text.at)[1], "text", f"{arrow} {text.body}")))
        lines.sort(key=lambda pair: pair[0], reverse=True)
        return [line for _, line in lines[:limit]]

    def _visit_line(self, visit) -> HistoryLine:
        when = self._when(visit.at)[1]
        if visit.booking_date is None:
            words = [f"¥{_price(visit.amount_cents)}", visit.items, visit.notes]
            return HistoryLine(when, "visit", " · ".join(w for w in words if w))
        words = [str(visit.booking_date)[:10], str(visit.booking_time)[:5] if visit.booking_time else "",
                 t("history.party", n=visit.party_size) if visit.party_size else "", visit.room, visit.notes]
        return HistoryLine(when, "booking", " · ".join(w for w in words if w))

    @_on_book_thread
    def shop_now(self) -> datetime:
        """Now on the shop's clock: the visit form's default date and time."""
        return self.local(self._now())

    @_on_book_thread
    def record_visit(self, entry: VisitEntry) -> tuple[int, int]:
        """Record a visit or a booking; (its id, booking confirmations queued: 0 or 1)."""
        from store import care, visits
        from store.models import Visit

        now = self._now()
        if not entry.booking:
            at = datetime.combine(entry.day, entry.clock or time(0), tzinfo=self.zone)
            row = visits.record_visit(entry.customer_id, at=at, amount_cents=entry.amount_cents, items=entry.items,
                                      notes=entry.notes)
            return row.id, 0
        # One transaction: a booking is never left without the confirmation the shop asked for, nor twice.
        with Visit._meta.database.atomic():
            row = visits.record_visit(entry.customer_id, at=now, booking_date=entry.day, booking_time=entry.clock,
                                      party_size=entry.party_size, room=entry.room, notes=entry.notes)
            return row.id, care.booking_recorded(row.id, now)

    @_on_book_thread
    def customer_summary(self, customer_id: int) -> CustomerSummary:
        """A customer's name, every number and how many calls, visits and texts they have."""
        from store.customers import NoSuchCustomer, get_customer, numbers_of
        from store.models import Call, Message, Visit

        self.region()
        row = get_customer(customer_id)
        if row is None:
            raise NoSuchCustomer(t("merge.gone"))
        numbers = tuple(self.display(phone.number) or phone.number for phone in numbers_of(row))
        if row.deleted_at is not None:  # a deleted customer's numbers wait on their row until restored
            import json

            numbers = tuple(self.display(n) or n for n, _, _ in json.loads(row.deleted_numbers or "[]"))
        return CustomerSummary(row.id, row.name, numbers, Call.select().where(Call.customer == row.id).count(),
                               Visit.select().where(Visit.customer == row.id).count(),
                               Message.select().where(Message.customer == row.id).count(),
                               blocked=row.blocked, opted_out=row.opted_out, deleted=row.deleted_at is not None)

    @_on_book_thread
    def merge(self, keep: int, drop: int) -> None:
        """Fold customer `drop` into `keep`: numbers, calls, visits and texts all move; `drop` goes."""
        from store import customers

        customers.merge(keep, drop)

    # -- texts -------------------------------------------------------------------------

    def measure(self, body: str):
        """How the text would be sent: encoding and parts (modem.pdu.segments)."""
        from modem.pdu import segments

        return segments(body)

    @_on_book_thread
    def recipient(self, number: str) -> Recipient:
        """Who a draft to `number` goes to: the customer's name (if the book knows the number) and the number."""
        from store.customers import customer_by_number
        from store.numbers import InvalidNumber, normalize

        region = self.region()
        try:
            e164 = normalize(number, region)
        except InvalidNumber:
            return Recipient(number=number, display=number)
        customer = customer_by_number(e164, region)
        return Recipient(number=e164, name=customer.name if customer else "", display=self.display(e164) or e164,
                         customer_id=customer.id if customer else None)

    @_on_book_thread
    def queue_text(self, number: str, body: str) -> int:
        """Put a text in the outbox (a row before it is a command); its id."""
        from store.messages import queue_text
        from store.numbers import normalize
        from store.sms_parts import parts

        # Counted here, as the phone will send it: the texts report's parts and cost read this column.
        return queue_text(normalize(number, self.region()), body, parts=parts(body)).id

    @_on_book_thread
    def counts(self) -> tuple[int, int]:
        """(unread incoming texts, texts waiting in the outbox)."""
        from store import messages

        return messages.unread_count(), messages.outbox_size()

    @_on_book_thread
    def threads(self, limit: int = 200) -> list[ThreadLine]:
        """Conversations, unread first, then the most recent (store.messages.threads)."""
        from store import messages

        return [ThreadLine(number=th.number, name=th.name, last_body=th.last_body, when=self._when(th.last_at)[0],
                           unread=th.unread, customer_id=th.customer_id) for th in messages.threads(limit)]

    @_on_book_thread
    def thread(self, number: str, customer_id: int | None = None, limit: int = 200) -> list[TextLine]:
        """One conversation's last texts, oldest first: a customer's (all numbers) or an unknown number's."""
        from store import messages

        rows = messages.conversation(customer_id=customer_id, number=None if customer_id else number, limit=limit)
        return [TextLine(row.id, self._when(row.at)[1], row.direction, row.body, row.status) for row in reversed(rows)]

    @_on_book_thread
    def mark_read(self, number: str, customer_id: int | None = None, up_to: int | None = None) -> None:
        """The conversation's incoming texts have been seen (up to row `up_to`, if given: one that came
        after what the operator saw stays unread)."""
        from store import messages

        if customer_id is not None:
            messages.mark_read(customer_id=customer_id, up_to=up_to)
        else:
            messages.mark_read(number=number, up_to=up_to)

    # -- templates ---------------------------------------------------------------------

    @_on_book_thread
    def templates(self) -> list[TemplateDraft]:
        """Every template, in the picker's order."""
        from store import templates

        return [TemplateDraft(x.id, x.name, x.body, x.category) for x in templates.templates()]

    @_on_book_thread
    def template_choices(self) -> list[TemplateChoice]:
        return [TemplateChoice(x.template_id, x.name, x.body, x.category) for x in self.templates()]

    @_on_book_thread
    def save_template(self, draft: TemplateDraft) -> int:
        """Add or change a template; its id."""
        from store import templates

        if draft.template_id is None:
            return templates.add_template(draft.name, draft.body, draft.category).id
        return templates.update_template(draft.template_id, name=draft.name, body=draft.body,
                                         category=draft.category).id

    @_on_book_thread
    def move_template(self, template_id: int, step: int) -> None:
        """Move a template up (step -1) or down (+1) in the picker."""
        from store import templates

        templates.move(template_id, step)

    def fill(self, body: str, card: CardView) -> str:
        """A template's placeholders filled for the card's customer, the shop and now (no database access)."""
        from store import templates

        # Unknown placeholders stay visible as written, so the operator sees what was not filled.
        return templates.render(body, card, shop=self._shop, now=self._now(),
                                time_zone=str(self._zone or "Asia/Shanghai"), number=self.display(card.number) or "")
