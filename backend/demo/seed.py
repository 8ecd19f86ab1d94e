"""Deterministic demo data: Polish companies, their users, contracts, schedules, invoices and payments.

Built for volume: 10,000 clients with about a million invoices go in with `bulk_create`, in one
transaction per chunk of clients, with primary keys assigned here so that no insert has to be read back.

Every client is generated from its own random stream (`seed`, index), so a chunk can be planned on its
own and a client that already exists (found by its NIP) is skipped: running the command again with the
same arguments adds nothing, and a larger `--clients` adds only the missing clients.

Dates are relative to `today`: the invoices cover the last three years up to today, so some are due
soon and some are overdue whatever the day of the run."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from backend.accounts.models import User
from backend.clients.models import Client
from backend.demo.builder import DemoBuilder
from backend.demo.plan import IdSequence, SeedResult, client_nip, save_plan
from backend.demo.roles import seed_demo_role_logins
from backend.demo.vocabulary import CHUNK_SIZE, DEMO_PASSWORD, FIXED_STAFF_LOGINS, SAVE_ORDER


def _ensure_staff(password_hash: str) -> int:
    created = 0
    for email, first, last, role, is_staff, is_superuser in FIXED_STAFF_LOGINS:
        _, was_created = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "role": role,
                "is_staff": is_staff,
                "is_superuser": is_superuser,
                "password": password_hash,
            },
        )
        created += was_created
    return created


def _reset_sequences() -> None:
    """Explicit keys leave PostgreSQL sequences behind; move them past the new rows (no-op on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), SAVE_ORDER)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def seed_demo(
    *, clients: int, seed: int, today: date | None = None, progress: Callable[[int, int], None] | None = None
) -> SeedResult:
    """Create the demo data set `seed` with `clients` clients (see the module docstring)."""
    today = today or timezone.localdate()
    if connection.vendor == "sqlite":
        # A million invoices and their indexes outgrow SQLite's default 2 MB page cache many times over.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MB, this connection only
    password_hash = make_password(DEMO_PASSWORD)
    _ensure_staff(password_hash)
    created = skipped = 0
    counts: dict[str, int] = defaultdict(int)
    for start in range(0, clients, CHUNK_SIZE):
        indexes = list(range(start, min(start + CHUNK_SIZE, clients)))
        nips = {client_nip(seed, i): i for i in indexes}
        existing = {nips[n] for n in Client.objects.filter(nip__in=list(nips)).values_list("nip", flat=True)}
        skipped += len(existing)
        if len(existing) == len(indexes):
            continue
        with transaction.atomic():
            builder = DemoBuilder(
                seed=seed, today=today, password_hash=password_hash, ids=IdSequence(SAVE_ORDER)
            )
            plan = builder.plan_chunk(indexes, skip=existing)
            save_plan(plan)
        created += len(indexes) - len(existing)
        for model in SAVE_ORDER:
            counts[model._meta.label] += plan.count(model)
        if progress:
            progress(min(start + CHUNK_SIZE, clients), clients)
    _reset_sequences()
    seed_demo_role_logins()  # after the sequences: these rows take the database's own keys
    return SeedResult(created_clients=created, skipped_clients=skipped, counts=dict(counts))
