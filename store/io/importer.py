"""`import_file`: a shop's file into the bound book, or just the report of what that would do."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from store.io import apply
from store.io.columns import BadMapping, parse_mapping
from store.io.encoding import UnreadableFile
from store.io.existing import BookView
from store.io.plan import Duplicate, Invalid, Remark, Update, make_plan
from store.io.read import RawCustomer, read_file
from store.io.tiers import BadTierMap, TierMapper, parse_tier_map, shop_tiers
from store.models import Customer
from store.problems import Problem


class CannotImport(Problem):
    """The file cannot be imported at all; nothing was written. The message says why."""


@dataclass(frozen=True, slots=True)
class ImportReport:
    path: str
    kind: str  # csv, xlsx or vcard
    encoding: str
    rows: int
    new: int
    updated: int
    unchanged: int
    duplicates: tuple[Duplicate, ...]
    invalid: tuple[Invalid, ...]
    updates: tuple[Update, ...]
    unused_columns: tuple[str, ...]
    written: bool
    remarks: tuple[Remark, ...] = ()  # fields left out (the customer imported without them), with their lines


@dataclass(frozen=True, slots=True)
class LoadedFile:
    """A file read once: its rows can be planned (dry run) and then imported without reading it again."""

    path: str
    kind: str
    encoding: str
    unused_columns: tuple[str, ...]
    rows: tuple[RawCustomer, ...]


@contextmanager
def _uncollected() -> Iterator[None]:
    """Python's cycle collector paused: an import makes millions of objects and no cycles.

    Each full collection walks every object still alive (the rows read, the
    plan), and allocating so many triggers dozens: 1 s of a 100,000-row import.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            # Without this, the first allocation after enabling collects everything made meanwhile
            # (0.12 s), just before most of it dies with the import: made old instead, never walked.
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def load_file(path: str | Path, mapping: str | dict[str, str] | None = None) -> LoadedFile:
    """Read every row of `path`; CannotImport if the file cannot be a customer book."""
    with _uncollected():
        return _load_file(path, mapping)


def _load_file(path: str | Path, mapping: str | dict[str, str] | None) -> LoadedFile:
    try:
        columns = parse_mapping(mapping) if isinstance(mapping, str) or mapping is None else dict(mapping)
        source = read_file(path, columns)
        rows = tuple(source.customers)
    except (UnreadableFile, BadMapping) as exc:
        raise CannotImport.like(exc) from None
    return LoadedFile(str(path), source.kind, source.encoding, source.unused_columns, rows)


def import_loaded(loaded: LoadedFile, *, dry_run: bool = True, region: str = "CN",
                  tier_map: str | dict[str, str] | None = None) -> ImportReport:
    """Check and (unless `dry_run`) write the rows of a loaded file, all in one transaction.

    A tier the shop does not have is mapped by `tier_map` ("VIP=金卡"), else to
    the closest tier it has, else to its first; each such row is remarked on.
    """
    db = Customer._meta.database
    try:
        given = parse_tier_map(tier_map) if not isinstance(tier_map, dict) else tier_map
        tiers = TierMapper(shop_tiers(), given)
    except BadTierMap as exc:
        raise CannotImport.like(exc) from None
    try:
        with _uncollected():
            if dry_run:
                # Reads only: no transaction, so a dry run never holds the write lock other terminals wait on.
                plan = make_plan(loaded.rows, BookView(), region, tiers)
            else:
                with apply.transaction(db):  # plan and write under one lock: what was planned is what is written
                    plan = make_plan(loaded.rows, BookView(), region, tiers)
                    apply.write(plan, Path(loaded.path).name)
    except pw.IntegrityError:
        raise CannotImport("import.clash", "another terminal changed the same customers while importing; "
                           "nothing was imported, run the import again") from None
    return ImportReport(
        path=loaded.path, kind=loaded.kind, encoding=loaded.encoding, rows=plan.rows, new=len(plan.new),
        updated=len(plan.updates), unchanged=len(plan.unchanged), duplicates=tuple(plan.duplicates),
        invalid=tuple(plan.invalid), updates=tuple(plan.updates), unused_columns=loaded.unused_columns,
        written=not dry_run, remarks=tuple(plan.remarks),
    )


def import_file(path: str | Path, *, dry_run: bool = True, mapping: str | dict[str, str] | None = None,
                region: str = "CN", tier_map: str | dict[str, str] | None = None) -> ImportReport:
    """Read, check and (unless `dry_run`) write the customers in `path`, all in one transaction."""
    return import_loaded(load_file(path, mapping), dry_run=dry_run, region=region, tier_map=tier_map)
