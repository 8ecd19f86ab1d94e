"""The audit log in the Django admin: who acted and on whom in columns of their own, searchable by either,
filtered by date, actions by their names (Polish / English), a CSV export, the entry's title in local
time; and the admin's own changes to users are in it."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from backend.accounts.audit import AuditAction
from backend.core.models import AuditLog
from backend.core.services import record_audit

pytestmark = pytest.mark.django_db

LIST = "/admin/core/auditlog/"


def test_actor_and_subject_are_columns_of_their_own_and_both_searchable(browser, admin, bok_staff):
    # given: an administrator issued a code for a staff member; the staff member logged in
    issued = record_audit(action=AuditAction.ACTIVATION_CODE_ISSUED, user=admin, username=bok_staff.email)
    login = record_audit(action=AuditAction.LOGIN, user=bok_staff)
    record_audit(action=AuditAction.LOGIN_FAILED, username="kto@nieznany.pl", success=False)

    # when
    page = browser.get(LIST).content.decode()

    # then the columns say who acted and whom it concerns, with the actions by their Polish names
    assert "Wykonał" in page and "Dotyczy" in page
    row = page[page.index(f"/admin/core/auditlog/{issued.pk}/change/") :]
    row = row[: row.index("</tr>")]
    assert "admin@leasing.example" in row and "bok@leasing.example" in row
    assert "Wydano kod aktywacyjny" in row and ">activation_code_issued<" not in row
    assert "Nieudane logowanie" in page and "Zalogowanie" in page

    # searching by the actor finds what the administrator did, not only rows naming them
    found = browser.get(LIST, {"q": "admin@leasing.example"}).content.decode()
    assert f"/admin/core/auditlog/{issued.pk}/change/" in found
    assert f"/admin/core/auditlog/{login.pk}/change/" not in found


def test_the_action_filter_and_the_date_hierarchy_work(browser, admin):
    record_audit(action=AuditAction.LOGIN, user=admin)
    record_audit(action="workflow.repair.cancel", user=admin, request_id=1)

    filtered = browser.get(LIST, {"action": "workflow.repair.cancel"})
    assert filtered.status_code == 200
    page = filtered.content.decode()
    assert "Naprawa: anulowanie przez leasingodawcę" in page
    assert page.count("/admin/core/auditlog/") - page.count("/admin/core/auditlog/?") >= 1
    today = datetime.now(ZoneInfo("Europe/Warsaw"))
    by_day = browser.get(
        LIST, {"created_at__year": today.year, "created_at__month": today.month, "created_at__day": today.day}
    )
    assert by_day.status_code == 200 and "Zalogowanie" in by_day.content.decode()


def test_english_labels_for_an_english_administrator(browser, admin):
    admin.language = "en"
    admin.save(update_fields=["language"])
    record_audit(action=AuditAction.ACCOUNT_UNLOCKED, user=admin, username="x@firma.pl")

    page = browser.get(LIST).content.decode()

    assert "Account unlocked" in page and "Performed by" in page and "Concerns" in page


def test_the_entry_title_is_in_local_time(browser, admin):
    entry = record_audit(action=AuditAction.LOGIN, user=admin)
    AuditLog.objects.filter(pk=entry.pk).update(
        created_at=datetime(2026, 11, 29, 18, 33, tzinfo=ZoneInfo("UTC"))
    )

    page = browser.get(f"/admin/core/auditlog/{entry.pk}/change/").content.decode()

    assert "2026-11-29 19:33 Zalogowanie" in page  # Warsaw, as the list shows it; the action's name
    assert "2026-11-29 18:33" not in page


def test_csv_export_of_the_selected_entries(browser, admin, bok_staff):
    first = record_audit(action=AuditAction.ACTIVATION_CODE_ISSUED, user=admin, username=bok_staff.email)
    second = record_audit(action=AuditAction.LOGIN_FAILED, username="=HYPERLINK(1)", success=False)

    response = browser.post(LIST, {"action": "export_csv", "_selected_action": [first.pk, second.pk]})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")  # Polish Excel's: BOM and semicolons
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:5] == ["czas", "czynność", "kod", "wykonał", "dotyczy"]
    assert rows[1][1:5] == ["Wydano kod aktywacyjny", "activation_code_issued", admin.email, bok_staff.email]
    assert rows[2][1:5] == ["Nieudane logowanie", "login_failed", "", "'=HYPERLINK(1)"]  # never a formula
    # the export itself is in the log
    assert AuditLog.objects.filter(action="audit_log_exported", user=admin, detail__rows=2).exists()


def test_every_action_code_the_apps_write_has_a_readable_name():
    from backend.calendar_feed.services import REGENERATED
    from backend.clients.members import MemberAudit
    from backend.core.audit_labels import ACTION_LABELS
    from backend.requests_app import reply_links
    from workflows.versioning import Activation

    codes = {value for name, value in vars(AuditAction).items() if name.isupper()}
    codes |= set(MemberAudit.ALL) | {REGENERATED, reply_links.USED, reply_links.REFUSED}
    codes |= {f"workflow.{value}" for name, value in vars(Activation).items() if name.isupper()}
    codes |= {"workflow.migrate_instance", "message.assigned", "permit.revoked", "audit_log_exported"}
    codes |= {
        f"workflow.repair.{action}"
        for action in ("retry", "suspend", "resume", "edit_data", "move_token", "cancel", "resolve_incident")
    }

    assert sorted(codes - set(ACTION_LABELS)) == []


@pytest.mark.parametrize(
    ("language", "label"),
    [("pl", "Naprawa: wniosek cofnięty do zadania"), ("en", "Repair: request returned to a task")],
)
def test_a_request_returned_to_a_task_reads_as_the_ops_page_says_it_not_as_engine_jargon(language, label):
    from django.utils import translation

    from backend.core.audit_labels import action_label

    with translation.override(language):
        assert action_label("workflow.repair.move_token") == label
