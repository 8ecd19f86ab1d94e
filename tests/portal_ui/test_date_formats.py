"""Dates shown to users go through the portal's one formatter (backend/core/money.py: format_date, the
`pldate` filter): 24.11.2026 in Polish, 2026-11-24 in English. A template's own `|date:"…"` would show
another format (Django's SHORT_DATE_FORMAT is 10-12-2026 in Polish, 12/10/2026 in English)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import mail

from notifications.staff_emails import send_digest_email

ROOT = Path(settings.BASE_DIR)
TEMPLATE_ROOTS = [ROOT / "backend", ROOT / "portal_ui", ROOT / "notifications"]
DATE_FILTER = re.compile(r"""\|date:\s*(["'])(.*?)\1""")
# Formats for machines, not readers: <time datetime="…"> (c), <input type="date"> values and links (Y-m-d);
# and a month's label in a table of months (m.Y: no day for `pldate` to format).
MACHINE_OR_MONTH = {"c", "Y-m-d", "m.Y"}


def template_files() -> list[Path]:
    return [
        path
        for root in TEMPLATE_ROOTS
        for path in root.rglob("templates/**/*")
        if path.suffix in {".html", ".txt", ".xml"}
    ]


def test_no_template_writes_its_own_date_format():
    found = [
        f"{path.relative_to(ROOT)}: |date:{quote}{fmt}{quote}"
        for path in template_files()
        for quote, fmt in DATE_FILTER.findall(path.read_text(encoding="utf-8"))
        if fmt not in MACHINE_OR_MONTH
    ]
    assert template_files() and found == []


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "shown"), [("pl", "01.12.2026"), ("en", "2026-12-01")])
def test_the_daily_digest_subject_dates_the_day_with_the_one_formatter(bok_staff, language, shown):
    bok_staff.language = language
    bok_staff.save(update_fields=["language"])
    digest = SimpleNamespace(recipient=bok_staff, recipient_id=bok_staff.pk, day=date(2026, 12, 1))

    send_digest_email(digest=digest, content={"tasks": [], "threads": []})

    assert shown in mail.outbox[-1].subject
