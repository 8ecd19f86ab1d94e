"""Journey of the message loop between a client and customer service, in two browsers, live.

A client writes a message with an attachment; staff, with the inbox open, see it arrive without a reload,
reply and give the final answer; the client sees both and adds a comment; staff, with the thread open,
see the comment arrive. Uses the `asgi_server` fixture (real ASGI app: WebSockets and the push relay).
"""

from __future__ import annotations

import pytest
from django.test import Client as DjangoClient

from backend.messaging.models import MessageThread

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def open_as(browser, base_url: str, user, path: str, *, locale: str = "pl-PL", height: int = 900):
    """A browser context logged in as `user` (session cookie), with `path` open (1,280 px wide)."""
    django_client = DjangoClient()
    django_client.force_login(user)
    context = browser.new_context(
        base_url=base_url, locale=locale, viewport={"width": 1280, "height": height}
    )
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": "sessionid", "value": django_client.cookies["sessionid"].value, "url": base_url}]
    )
    page = context.new_page()
    page.goto(path)
    return context, page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_message_loop_between_client_and_staff(
    browser, asgi_server, client_user, bok_staff, acme, acme_contract, settings, tmp_path
):
    settings.LIVE_PUSH_POLL_SECONDS = 0.2
    # given: staff have the inbox open and live; nothing is in it yet
    staff_context, staff = open_as(browser, asgi_server, bok_staff, "/staff/messages/")
    staff.wait_for_selector("[data-live-indicator][data-state=online]")
    assert staff.locator('[data-testid="inbox-table"]').count() == 0
    staff.evaluate("window.__notReloaded = true")

    # when: the client writes a message with an attachment
    client_context, client = open_as(browser, asgi_server, client_user, "/messages/new/")
    client.fill("#id_subject", "Korekta faktury FV/2026/11")
    client.select_option("#id_category", "invoices")
    client.select_option("#id_contract_id", str(acme_contract.pk))
    client.fill("#id_body", "Proszę o korektę adresu na fakturze.")
    attachment = tmp_path / "skan-faktury.pdf"
    attachment.write_bytes(PDF)
    client.set_input_files("#id_attachments", str(attachment))
    with client.expect_navigation():
        client.click("form button[type=submit].primary")
    thread = MessageThread.objects.get(subject="Korekta faktury FV/2026/11")

    # then: it appears in the open inbox without a reload, counted as unanswered
    row = staff.locator(f'tr[data-thread-id="{thread.pk}"]')
    row.wait_for()
    assert "ACME Logistyka" in row.inner_text()
    assert staff.inner_text('[data-testid="queue-unanswered"] .queue-count') == "1"
    assert staff.evaluate("window.__notReloaded") is True

    # when: staff open it, see the attachment, and reply
    with staff.expect_navigation():
        row.locator("a").first.click()
    assert "skan-faktury.pdf" in staff.inner_text('[data-testid="thread-messages"]')
    staff.fill("#id_body", "Korekta zostanie wystawiona jutro.")
    with staff.expect_navigation():
        staff.click('[data-testid="send-reply"]')
    assert "Korekta zostanie wystawiona jutro." in staff.inner_text('[data-testid="thread-messages"]')

    # and give the final answer
    staff.click(".final-box summary")
    staff.fill("#id_final_answer", "Korekta FV/2026/11/K1 wystawiona; sprawa zamknięta.")
    with staff.expect_navigation():
        staff.click('[data-testid="send-final"]')
    assert staff.locator('[data-testid="final-answer"]').count() == 1
    assert staff.locator('[data-testid="reply-form"]').count() == 0

    # then: the client sees the reply and the final answer ("Odpowiedź") on the thread
    client.goto(f"/messages/{thread.pk}/")
    messages_text = client.inner_text('[data-testid="thread-messages"]')
    assert "Korekta zostanie wystawiona jutro." in messages_text
    assert "sprawa zamknięta" in client.inner_text('[data-testid="final-answer"]')

    # when: staff watch the thread while the client adds a comment
    staff.wait_for_selector("[data-live-indicator][data-state=online]")
    staff.evaluate("window.__notReloaded = true")
    client.click('[data-testid="add-comment"]')
    client.fill("#comment-dialog #id_body", "Dziękuję, a kiedy przyjdzie oryginał?")
    with client.expect_navigation():
        client.click('[data-testid="comment-form"] button[type=submit]')
    assert "kiedy przyjdzie oryginał" in client.inner_text('[data-testid="thread-messages"]')

    # then: the comment appears on the staff's open thread page, which shows it open again
    staff.locator('[data-testid="thread-messages"] .message-item', has_text="oryginał").wait_for()
    assert staff.evaluate("window.__notReloaded") is True
    assert staff.get_attribute('[data-testid="thread-status"]', "class").endswith("badge-thread-open")
    staff.locator('[data-testid="reply-form"]').wait_for()  # the reopened thread can be answered again
    client_context.close()
    staff_context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_dashboard_counts_a_new_client_message_live(
    browser, asgi_server, client_user, bok_staff, acme, settings
):
    from backend.messaging.client_writes import start_thread

    settings.LIVE_PUSH_POLL_SECONDS = 0.2
    # given: staff have their dashboard open, with no unanswered message, and its charts drawn
    context, staff = open_as(browser, asgi_server, bok_staff, "/staff/")
    staff.wait_for_selector("[data-live-indicator][data-state=online]")
    assert staff.inner_text('[data-testid="fig-unanswered"] .stat-value') == "0"
    # nothing is open or decided yet: those charts say so in a sentence; the weekly one draws its weeks
    assert staff.evaluate("document.querySelectorAll('#dash-charts canvas').length") == 1
    assert staff.locator(".chart-empty").count() == 3
    staff.evaluate("window.__notReloaded = true")

    # when: a client writes
    start_thread(
        user=client_user, client=acme, subject="Pytanie", category="other", body="Treść", contract=None
    )

    # then: the figure moves without a reload
    staff.locator('[data-testid="fig-unanswered"] .stat-value', has_text="1").wait_for()
    assert staff.evaluate("window.__notReloaded") is True
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_dashboard_charts_redraw_live_with_new_numbers(
    browser, asgi_server, client_user, bok_staff, acme, acme_contract, settings
):
    from rest_framework.test import APIClient

    from tests.requests_app.helpers import submission

    settings.LIVE_PUSH_POLL_SECONDS = 0.2
    drawn = """() => Object.fromEntries([...document.querySelectorAll('#dash-charts canvas')].map(
        canvas => [canvas.id, Chart.getChart(canvas).data.datasets.map(d => d.data)]))"""
    # given: the dashboard with its charts drawn (no open request: the stage chart says so in a sentence)
    context, staff = open_as(browser, asgi_server, bok_staff, "/staff/")
    staff.wait_for_selector("[data-live-indicator][data-state=online]")
    before = staff.evaluate(drawn)
    assert "chart-stage" not in before and staff.locator('[data-testid="chart-stage-empty"]').count() == 1
    staff.evaluate("window.__notReloaded = true")

    # when: a client submits a request (a new open request in the review stage)
    api = APIClient()
    api.force_login(client_user)
    body = submission(
        "payment_date_change", contract=acme_contract, data={"payment_day": 20, "reason": "cash_flow"}
    )
    assert api.post("/api/requests/", body, format="json").status_code == 201

    # then: the charts are drawn again from the new numbers, without a reload
    staff.wait_for_function(f"(before) => JSON.stringify(({drawn})()) !== JSON.stringify(before)", arg=before)
    numbers = staff.evaluate("JSON.parse(document.getElementById('dashboard-charts').textContent)")
    after = staff.evaluate(drawn)
    assert sum(after["chart-stage"][0]) == 1  # the new request, drawn where a sentence was
    for chart in numbers:  # every picture drawn is drawn from the page's new numbers
        if chart["id"] in after:
            values = [dataset["values"] for dataset in chart["datasets"][: chart.get("drawn") or None]]
            assert after[chart["id"]] == values, chart["id"]
    assert staff.evaluate("window.__notReloaded") is True
    context.close()


# For the median chart: its side axis's labels as drawn, and the widest label against the axis's width.
MEDIAN_AXIS = """() => {
  const chart = Chart.getChart(document.getElementById('chart-median'));
  const axis = chart.scales.y;
  return {labels: axis.ticks.map(tick => [].concat(tick.label).join(' ')),
          widest: axis._labelSizes.widest.width, room: axis.width};
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 375])
def test_the_median_chart_names_every_request_type_whole(
    browser, asgi_server, api_as, client_user, bok_staff, acme_contract, width
):
    # The type names were slanted under the bars and "Contract value change / additional equipment"
    # was cut off at the card's edge; as side labels Chart.js gives them at most half the chart.
    from backend.requests_app.models import RequestKind
    from tests.requests_app.helpers import submission

    # given one request decided (so the chart has something to draw)
    client_api, staff_api = api_as(client_user), api_as(bok_staff)
    body = submission(
        "payment_date_change", contract=acme_contract, data={"payment_day": 20, "reason": "cash_flow"}
    )
    request_id = client_api.post("/api/requests/", body, format="json").json()["id"]
    assert staff_api.post(f"/api/staff/requests/{request_id}/claim/").status_code == 200
    assert staff_api.post(f"/api/staff/requests/{request_id}/approve/", {}, format="json").status_code == 200

    # when staff open their dashboard
    context, staff = open_as(browser, asgi_server, bok_staff, "/staff/")
    staff.set_viewport_size({"width": width, "height": 900})
    staff.reload()  # drawn at this width from the start, not resized
    staff.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('chart-median'))")
    axis = staff.evaluate(MEDIAN_AXIS)
    staff.screenshot(path=f"/tmp/dashboard-median-{width}.png", full_page=True)

    # then every type is named, each in full, within the axis's room
    assert axis["labels"] == [str(label) for _kind, label in RequestKind.choices]
    assert axis["widest"] <= axis["room"]
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_who_holds_the_ball_gives_the_clients_name_the_room(
    browser, asgi_server, api_as, client_user, bok_staff, acme, acme_contract
):
    # "Grzegorz Pawłowski Serwis Maszyn" took four lines beside a waiting-since cell that kept
    # "29.11.2026 (17 minutes ago)" on one line; the age now goes under the date.
    from tests.requests_app.helpers import submission

    acme.name = "Grzegorz Pawłowski Serwis Maszyn"
    acme.save(update_fields=["name"])
    body = submission(
        "payment_date_change", contract=acme_contract, data={"payment_day": 20, "reason": "cash_flow"}
    )
    assert api_as(client_user).post("/api/requests/", body, format="json").status_code == 201

    context, staff = open_as(browser, asgi_server, bok_staff, "/staff/")
    client_cell = staff.locator(".waiting-table tbody tr td").first
    lines = client_cell.evaluate(
        """td => { const range = document.createRange(); range.selectNodeContents(td);
                   return new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size; }"""
    )

    assert "Grzegorz Pawłowski" in client_cell.inner_text()
    assert lines <= 2, lines
    context.close()
