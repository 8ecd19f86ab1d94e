"""A chunk of demo data planned in memory (keys handed out in advance), then inserted in bulk."""

from __future__ import annotations

import random
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

from backend.clients.identifiers import make_nip
from backend.demo.vocabulary import SAVE_ORDER
from backend.documents.models import Document
from backend.documents.uploads import store_bytes


def ascii_slug(text: str) -> str:
    text = text.replace("ł", "l").replace("Ł", "L")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "".join(ch if ch.isalnum() else "-" for ch in folded).strip("-").replace("--", "-")


def client_nip(seed: int, index: int) -> str:
    return make_nip(seed * 1_000_003 + index + 1)


def random_money(rng: random.Random, low: int, high: int, step: int = 100) -> Decimal:
    return Decimal(rng.randrange(low // step, high // step + 1) * step).quantize(Decimal("0.01"))


class IdSequence:
    """Primary keys handed out in advance, continuing after the highest key in each table."""

    def __init__(self, models_: Iterable[type[models.Model]]):
        self._next = {model: (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1 for model in models_}

    def take(self, model: type[models.Model]) -> int:
        value = self._next[model]
        self._next[model] = value + 1
        return value


@dataclass
class Plan:
    """Unsaved objects of one chunk, in insert order, plus the files to write."""

    objects: dict[type[models.Model], list[models.Model]] = field(default_factory=lambda: defaultdict(list))
    # The four big tables are planned as plain rows (column attname -> value): no model instances.
    rows: dict[type[models.Model], list[dict]] = field(default_factory=lambda: defaultdict(list))
    files: list[tuple[Document, bytes]] = field(default_factory=list)

    def add(self, obj: models.Model) -> models.Model:
        self.objects[type(obj)].append(obj)
        return obj

    def add_row(self, model: type[models.Model], row: dict) -> dict:
        self.rows[model].append(row)
        return row

    def count(self, model: type[models.Model]) -> int:
        return len(self.objects.get(model, [])) + len(self.rows.get(model, []))


@dataclass(frozen=True)
class SeedResult:
    created_clients: int
    skipped_clients: int
    counts: dict[str, int]


def add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    return day.replace(year=day.year + index // 12, month=index % 12 + 1)


def fast_insert(
    model: type[models.Model], rows: list[dict], *, now: datetime, batch_size: int = 5000
) -> None:
    """Insert plain rows with executemany, skipping the ORM's per-value compilation (about 10x faster).

    Columns missing from a row take the field's default (auto_now fields: `now`), so a field added to
    the model later with a default needs no change here; a required field without one fails loudly.
    """
    fields = [f for f in model._meta.concrete_fields if not f.generated]  # the database computes those
    stamp = connection.ops.adapt_datetimefield_value(now)
    columns = []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            default = stamp
        elif f.has_default():
            default = f.get_db_prep_save(f.get_default(), connection)
        else:
            default = None
        columns.append((f.attname, default))
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 -- names come from model metadata
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            cursor.executemany(
                sql, [tuple(row.get(name, default) for name, default in columns) for row in batch]
            )


def save_plan(plan: Plan) -> None:
    for document, content in plan.files:
        document.file.name = store_bytes(
            content, folder=f"documents/demo/{document.issued_on:%Y}", extension="pdf"
        )
    now = timezone.now()
    for model in SAVE_ORDER:
        objects = plan.objects.get(model)
        if objects:
            model.objects.bulk_create(objects, batch_size=2000)
        if plan.rows.get(model):
            fast_insert(model, plan.rows[model], now=now)
