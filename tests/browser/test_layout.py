"""Layout of the client pages (issue #15): lists fit their column on desktops and become cards on a phone,
the phone menu opens from one button, and the contract and settlements pages draw their charts.

Screenshots go to /tmp/layout-<page>-<width>.png for a person to look at.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.client_world import build_client_world
from tests.request_helpers import submit_other_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP_WIDTHS = (1024, 1280, 1920)
PHONE = {"width": 375, "height": 812}
LIST_PAGES = (
    "home",
    "invoices",
    "invoice detail",
    "archive",
    "settlements",
    "settlement rows",
    "contracts",
    "contract detail",
    "documents",
    "messages",
    "requests",
)

# For each visible data table: its width against its box, and every action link / PDF icon / button in
# its rows, whether it lies wholly inside the box that would clip it.
MEASURE_TABLES = """() => [...document.querySelectorAll("main table.data-table")]
  .filter(t => t.offsetParent !== null)
  .map(t => {
    const box = t.parentElement;
    const frame = box.getBoundingClientRect();
    const clipped = [...t.querySelectorAll("tbody a, tbody button")]
      .filter(el => el.offsetParent !== null)
      .filter(el => {
        const r = el.getBoundingClientRect();
        return r.width === 0 || r.left < frame.left - 1 || r.right > frame.right + 1;
      })
      .map(el => el.textContent.trim() || el.getAttribute("href"));
    return {
      table: t.dataset.testid || t.className,
      width: t.scrollWidth,
      room: box.clientWidth,
      links: t.querySelectorAll("tbody a, tbody button").length,
      clipped: clipped,
    };
  })"""
PAGE_WIDTH = "() => document.scrollingElement.scrollWidth"
# The text of each line an element's text is drawn on (a Range per character, grouped by its line's top).
LINES_OF_TEXT = """(el) => {
  const lines = new Map();
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.textContent.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (!rect) continue;
      const top = Math.round(rect.top);
      lines.set(top, (lines.get(top) || "") + node.textContent[i]);
    }
  }
  return [...lines.values()];
}"""
# A phone's card labels (the hidden column header as the cell's ::before): the labels whose box is narrower
# than their longest word, i.e. a word broken in two ("Statu s" beside a wide badge).
BROKEN_LABELS = """() => {
  const ctx = document.createElement("canvas").getContext("2d");
  return [...document.querySelectorAll("main .data-table.responsive tbody [data-label]")]
    .filter(cell => cell.offsetParent !== null)
    .map(cell => {
      const label = getComputedStyle(cell, "::before");
      ctx.font = `${label.fontWeight} ${label.fontSize} ${label.fontFamily}`;
      const word = Math.max(...cell.dataset.label.split(/\\s+/).map(w => ctx.measureText(w).width));
      return {label: cell.dataset.label, box: parseFloat(label.width), word: word};
    })
    .filter(m => m.box + 1 < m.word)
    .map(m => m.label);
}"""


def test_lists_fit_their_column_with_every_action_visible_at_desktop_widths(page):
    world = build_client_world()
    world.log_in(page)
    pages = {name: path for name, path in world.client_pages().items() if name in LIST_PAGES}
    problems, measured = [], 0
    for width in DESKTOP_WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in pages.items():
            page.goto(path)
            if width == 1280:
                page.screenshot(path=f"/tmp/layout-{slug(name)}-1280.png", full_page=True)
            for table in page.evaluate(MEASURE_TABLES):
                measured += 1
                if table["width"] > table["room"]:
                    problems.append(
                        f"{width}px {name}: {table['table']} is {table['width']}px in {table['room']}px"
                    )
                if table["clipped"]:
                    problems.append(f"{width}px {name}: {table['table']} clips {table['clipped']}")
            if page.evaluate(PAGE_WIDTH) > width:
                problems.append(f"{width}px {name}: the page scrolls sideways")
    assert problems == [], "\n".join(problems)
    assert measured >= len(DESKTOP_WIDTHS) * 10  # the lists were there to measure


def test_the_invoice_list_shows_the_manuals_actions_whole_on_a_desktop(page):
    world = build_client_world()
    page.set_viewport_size({"width": 1280, "height": 900})
    world.log_in(page)
    page.goto("/invoices/")
    row = page.locator("[data-testid=invoice-table] tbody tr").first
    details = row.get_by_role("link", name=re.compile(r"^Szczegóły"))
    pdf = row.get_by_role("link", name=re.compile(r"^Pobierz fakturę .* jako PDF$"))
    for link in (details, pdf):
        assert link.is_visible()
    assert details.inner_text().startswith("Szczegóły")  # the whole word, not "Szczeg"
    wrap = page.locator("[data-testid=invoice-table]").locator("xpath=..").bounding_box()
    for box in (details.bounding_box(), pdf.bounding_box()):
        assert wrap["x"] <= box["x"] and box["x"] + box["width"] <= wrap["x"] + wrap["width"]


def test_on_a_phone_no_list_scrolls_sideways_and_rows_are_cards(page):
    world = build_client_world()
    page.set_viewport_size(PHONE)
    world.log_in(page)
    pages = {name: path for name, path in world.client_pages().items() if name in LIST_PAGES}
    problems = []
    for name, path in pages.items():
        page.goto(path)
        page.screenshot(path=f"/tmp/layout-{slug(name)}-375.png", full_page=True)
        if page.evaluate(PAGE_WIDTH) > PHONE["width"]:
            problems.append(f"{name}: the page is {page.evaluate(PAGE_WIDTH)}px wide")
        for table in page.evaluate(MEASURE_TABLES):
            if table["width"] > table["room"] or table["clipped"]:
                problems.append(f"{name}: {table}")
        if broken := page.evaluate(BROKEN_LABELS):
            problems.append(f"{name}: labels broken inside a word: {sorted(set(broken))}")
    assert problems == [], "\n".join(problems)
    # the invoice list's rows are cards that show the status, the amounts and the actions on screen
    page.goto("/invoices/")
    card = page.locator("[data-testid=invoice-table] tbody tr").first
    assert card.evaluate("tr => getComputedStyle(tr).display") == "grid"
    # two short values a line, the number and the actions across the card: ~290 px (one value a line
    # made each card ~410 px and a page of 25 invoices ~11,800 px)
    assert card.bounding_box()["height"] < 330
    status = card.locator(".badge")
    amount = card.locator("td.num").first
    details = card.get_by_role("link", name=re.compile(r"^Szczegóły"))
    pdf = card.get_by_role("link", name=re.compile(r"jako PDF$"))
    for part in (status, amount, details, pdf):
        box = part.bounding_box()
        assert part.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], part
    assert re.search(r"\d,\d\d\u00a0(zł|EUR|CHF)", amount.inner_text())
    # each value says what it is (the column header is hidden on a phone)
    assert amount.evaluate("td => getComputedStyle(td, '::before').content") == '"Kwota brutto"'
    # the documents' cards alike: the title across, kind and contract, date and size two a line; a contract
    # number breaks only after a "/" (it broke at "010000|12" in a half-width column)
    page.goto("/documents/")
    card = page.locator("[data-testid=document-table] tbody tr").first
    assert card.evaluate("tr => getComputedStyle(tr).display") == "grid"
    assert card.bounding_box()["height"] < 280
    contract = card.locator('td[data-label="Umowa"] a')
    lines = contract.evaluate(LINES_OF_TEXT)
    assert "".join(lines) == contract.inner_text() and all(line.endswith("/") for line in lines[:-1]), lines


def test_the_phone_menu_opens_the_whole_menu_from_one_button(page):
    world = build_client_world()
    page.set_viewport_size(PHONE)
    world.log_in(page)
    page.goto("/invoices/")
    nav = page.get_by_role("navigation", name="Menu główne")
    toggle = nav.get_by_role("button", name=re.compile(r"^Menu"))
    links = nav.locator("#main-menu-list a")  # the sections (the user tools open above them, in the menu)
    # at first only the button shows (in the header's one row: the page's heading says where the user is)
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert page.locator("h1").inner_text() == "Faktury"
    assert links.count() == 12 and not links.first.is_visible()  # the demo login administers: Użytkownicy
    # when it is pressed, every section is listed and reachable on screen
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    for index in range(links.count()):
        box = links.nth(index).bounding_box()
        assert links.nth(index).is_visible() and box["x"] + box["width"] <= PHONE["width"]
    page.screenshot(path="/tmp/layout-menu-open-375.png", full_page=True)
    # Escape closes it again and returns to the button
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false" and not links.first.is_visible()
    # and a section opens from it
    toggle.click()
    with page.expect_navigation():
        nav.get_by_role("link", name="Umowy").click()
    assert page.locator("h1").inner_text() == "Umowy"


def test_on_a_desktop_the_menu_is_a_bar_without_the_button(page):
    world = build_client_world()
    world.log_in(page)
    nav = page.get_by_role("navigation", name="Menu główne")
    assert not nav.locator(".nav-toggle").is_visible()
    links = nav.get_by_role("link")
    assert (
        all(links.nth(i).is_visible() for i in range(links.count())) and links.count() == 12
    )  # with Użytkownicy


def test_at_1280_px_a_client_administrators_twelve_sections_fit_one_row_on_every_section(page):
    world = build_client_world()
    world.log_in(page)
    nav = page.get_by_role("navigation", name="Menu główne")
    hrefs = [
        nav.get_by_role("link").nth(i).get_attribute("href") for i in range(nav.get_by_role("link").count())
    ]
    rows_by_page = {}
    for href in hrefs:  # each page marks its own section (bold, underlined): the widest row differs
        page.goto(href)
        tops = page.evaluate(
            "[...document.querySelectorAll('.main-nav li')].map(li => Math.round(li.getBoundingClientRect().top))"
        )
        rows_by_page[href] = len(set(tops))
    assert len(hrefs) == 12
    assert rows_by_page == dict.fromkeys(hrefs, 1)


def test_the_contract_and_settlements_pages_draw_charts_beside_their_numbers(page):
    world = build_client_world()
    world.log_in(page)
    drawn = "canvas => !!window.Chart && !!window.Chart.getChart(canvas) && canvas.width > 0"
    # the contract: capital remaining and installments, with the schedule table and the totals
    page.goto(f"/contracts/{world.contract.pk}/")
    canvas = page.locator("canvas#contract-chart")
    page.wait_for_function(
        "() => window.Chart && window.Chart.getChart(document.getElementById('contract-chart'))"
    )
    assert canvas.evaluate(drawn)
    datasets = canvas.evaluate("c => window.Chart.getChart(c).data.datasets.map(d => d.label)")
    # an overdue installment (unpaid past its date) has a bar series of its own
    assert datasets == ["Rata zapłacona", "Rata zaległa", "Rata do zapłaty", "Kapitał pozostały do spłaty"]
    assert page.locator("[data-testid=schedule-table] tbody tr").count() == world.contract.months
    assert "zł" in page.locator("[data-testid=chart-paid-total]").inner_text()
    # the settlements: due, paid and overdue of the last 12 months, with the same numbers as a table
    page.goto("/settlements/")
    page.wait_for_function(
        "() => window.Chart && window.Chart.getChart(document.getElementById('settlement-chart-0'))"
    )
    canvas = page.locator("canvas#settlement-chart-0")
    assert canvas.evaluate(drawn)
    labels = canvas.evaluate("c => window.Chart.getChart(c).data.labels")
    assert len(labels) == 12 and all(re.fullmatch(r"\d\d\.\d{4}", label) for label in labels)
    table = page.locator("[data-testid=settlement-chart-0-table]")
    assert table.locator("tbody tr").count() == 12
    page.get_by_text("Liczby w tabeli").first.click()
    assert table.is_visible()


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


# Single-line fields of the filter forms: (top, height) of each visible one.
FILTER_FIELDS = """() => [...document.querySelectorAll(
    "main form.filters input:not([type=hidden]):not([type=checkbox]):not([type=radio]), main form.filters select")]
  .filter(el => el.offsetParent !== null)
  .map(el => { const r = el.getBoundingClientRect(); return {name: el.name, height: Math.round(r.height)}; })"""


def test_the_fields_of_a_filter_form_are_one_height(page):
    # A select, a text field and a date field side by side were 42, 45 and 47 px high: the row did not line up.
    world = build_client_world()
    page.set_viewport_size({"width": 1280, "height": 900})
    world.log_in(page)
    for path in ("/invoices/", "/documents/", "/requests/"):
        page.goto(path)
        fields = page.evaluate(FILTER_FIELDS)

        assert len(fields) >= 2, path
        assert len({field["height"] for field in fields}) == 1, (path, fields)


# Screens of the staff and the analysts, each with a table or a form.
WORKSPACE_PAGES = (
    "/staff/",
    "/staff/tasks/",
    "/staff/messages/",
    "/analyst/",
    "/analyst/flows/",
    "/analyst/flows/payment_date_change/versions/",
)


def test_on_a_phone_no_staff_or_analyst_screen_scrolls_sideways(page, login, analyst):
    # The flow list was 1,087 px wide at 375: the hidden names of its last column's buttons are placed
    # absolutely, and without client.css its table box was not their containing block, so they stretched
    # the page instead of scrolling inside the table's box.
    from tests.workflows.test_services import PAYMENT_XML
    from workflows.services import deploy_bpmn_version

    deploy_bpmn_version(xml=PAYMENT_XML, by=analyst)
    page.set_viewport_size(PHONE)
    login(page, analyst)
    for path in WORKSPACE_PAGES:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        page.screenshot(path=f"/tmp/layout-{slug(path)}-375.png", full_page=True)

        assert page.evaluate(PAGE_WIDTH) <= PHONE["width"], path


def test_on_a_phone_the_staff_dashboards_tables_are_cards_with_every_column(
    page, login, bok_staff, client_user, acme
):
    """ "Who holds the ball" and the type × stage counts were tables wider than a phone's card: their last
    columns (waiting since, waiting for the client, total) sat out of sight with no hint to scroll."""
    from backend.requests_app import services, task_hands

    for subject in ("Pierwsza sprawa", "Druga sprawa"):
        submitted = submit_other_request(client_user, acme, subject)
    task_hands.claim_request(staff=bok_staff, portal_request=submitted)
    services.complete_staff_task(
        staff=bok_staff, portal_request=submitted, data={"decision": "ask_client", "question": "Skan umowy?"}
    )
    page.set_viewport_size(PHONE)
    login(page, bok_staff)
    page.goto("/staff/")
    page.screenshot(path="/tmp/layout-staff-dashboard-375.png", full_page=True)

    tables = page.evaluate(MEASURE_TABLES)
    shown = {t["table"] for t in tables}
    assert "kind-stage" in shown and any("waiting-table" in t["table"] for t in tables), shown
    assert [t for t in tables if t["width"] > t["room"] + 1] == []
    assert page.evaluate(BROKEN_LABELS) == []
    # every stage that holds a request is there, under its name; the totals too
    counts = page.get_by_test_id("kind-stage")
    assert counts.locator('tbody td[data-label="Weryfikacja przez BOK"]:visible').count() == 1
    assert counts.locator('tbody td[data-label="Oczekuje na odpowiedź klienta"]:visible').count() == 1
    assert counts.locator("tfoot td:visible").count() == 3  # both stages and the total
    # a request type with nothing open is left out of the cards
    assert counts.locator("tbody tr:visible").count() == 1
    assert page.locator('[data-testid="ball-client"] td[data-label="Czeka od"]').first.is_visible()


def test_the_flow_list_fits_a_laptop_with_every_button_whole(page, login):
    """Once a flow had a second version its row named the deployer's e-mail beside the version, the table
    grew past 1,280 px and its last buttons were cut ("Versions, tests and…")."""
    from backend.accounts.models import User
    from tests.factories import UserFactory
    from tests.workflows.test_services import PAYMENT_XML
    from workflows.services import deploy_bpmn_version

    analyst = UserFactory(
        email="wieloletnia.analityczka.procesow@leasing.example",
        first_name="Aleksandra",
        last_name="Wieloletnia-Procesowa",
        role=User.Role.ANALYST,
    )
    deploy_bpmn_version(xml=PAYMENT_XML, by=analyst)
    deploy_bpmn_version(xml=PAYMENT_XML.replace("Weryfikacja przez BOK", "Weryfikacja BOK"), by=analyst)
    login(page, analyst)
    for width in (1024, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/analyst/flows/")
        page.screenshot(path=f"/tmp/layout-analyst-flows-{width}.png", full_page=True)
        tables = page.evaluate(MEASURE_TABLES)
        assert tables and all(t["links"] >= 2 for t in tables)
        assert [t for t in tables if t["width"] > t["room"] or t["clipped"]] == [], (width, tables)
        assert page.evaluate(PAGE_WIDTH) <= width


# Elements of the page's main part that reach past the right edge of the window (cut off on a phone).
PAST_THE_EDGE = """() => [...document.querySelectorAll("main *")]
  .filter(el => el.offsetParent !== null && !el.closest(".visually-hidden"))
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
  .map(el => el.tagName.toLowerCase() + (el.className ? "." + el.className : "") + ": " + el.textContent.trim().slice(0, 40))"""


def test_on_a_phone_the_repair_console_keeps_process_ids_inside_their_cards(page, login, client_user, acme):
    """ "early_termination" ran past the card's edge at 375 px ("early_terminat")."""
    from backend.accounts.models import User
    from backend.requests_app import services
    from tests.factories import ContractFactory, UserFactory
    from workflows.models import ProcessInstance

    services.submit_request(
        user=client_user,
        client=acme,
        kind="payment_date_change",  # the longest ids: payment_date_change, staff_review
        contract=ContractFactory(client=acme),
        contact={"name": "Anna Kowalska", "phone": "+48 601 234 567", "email": client_user.email},
        declarations=[],
        data={"payment_day": 20, "reason": "cash_flow"},
        attachment_ids=[],
    )
    # a stage id as long as an analyst may give one (an older version's task the current one renamed)
    ProcessInstance.objects.update(stage="staff_review_of_the_signed_annex_documents")
    admin = UserFactory(email="admin@leasing.example", role=User.Role.ADMIN, is_staff=True)
    page.set_viewport_size(PHONE)
    login(page, admin)
    page.goto("/ops/")
    page.screenshot(path="/tmp/layout-ops-375.png", full_page=True)
    assert page.locator("code.ops-id:visible").count() >= 2
    assert page.evaluate(PAST_THE_EDGE) == []


# What a finger taps in the main column: buttons (Details, Download, page links), icon links (the invoice
# PDF, KSeF XML), the sort chips above the cards and the contract's section tabs, with their size.
TAP_TARGETS = """() => [...document.querySelectorAll(
    "main .button, main .icon-link, main .sort-link, main .section-tabs a")]
  .filter(el => el.offsetParent !== null)
  .map(el => {
    const r = el.getBoundingClientRect();
    return {text: (el.innerText || el.getAttribute("href") || "").trim().slice(0, 30),
            width: Math.round(r.width), height: Math.round(r.height)};
  })"""
TAP_PAGES = ("home", "invoices", "contract detail", "documents", "requests")


def test_on_a_phone_the_contract_tabs_wrap_whole_and_every_tap_target_is_44_px(page):
    """At 375 px the tab strip was 527 px in a 349 px box ("Polisy" off screen, "Przedmioty" cut to "Prz…")
    and the list actions, page links and sort chips were 28–36 px tall."""
    world = build_client_world()
    page.set_viewport_size(PHONE)
    world.log_in(page)
    pages = {name: path for name, path in world.client_pages().items() if name in TAP_PAGES}

    page.goto(pages["contract detail"])
    strip = page.locator(".section-tabs")
    box = strip.bounding_box()
    tabs = strip.locator("a")
    assert tabs.count() == 4
    assert strip.evaluate("s => s.scrollWidth <= s.clientWidth")
    for index in range(tabs.count()):
        tab = tabs.nth(index).bounding_box()
        assert box["x"] <= tab["x"] and tab["x"] + tab["width"] <= box["x"] + box["width"], index
        assert tabs.nth(index).evaluate("a => a.scrollWidth <= a.clientWidth"), tabs.nth(index).inner_text()
    assert "Przedmioty" in [tabs.nth(i).inner_text() for i in range(tabs.count())]

    small, measured = [], 0
    for name, path in pages.items():
        page.goto(path)
        page.screenshot(path=f"/tmp/layout-taps-{slug(name)}-375.png", full_page=True)
        for target in page.evaluate(TAP_TARGETS):
            measured += 1
            if target["width"] < 44 or target["height"] < 44:
                small.append(f"{name}: {target}")
    assert small == [], "\n".join(small)
    assert measured >= 40  # the lists' actions, the page links and the chips were there to measure

    # A desktop's table rows stay compact: the targets grow on a phone only.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(pages["invoices"])
    details = page.locator("[data-testid=invoice-table] tbody tr").first.get_by_role(
        "link", name=re.compile(r"^Szczegóły")
    )
    assert details.bounding_box()["height"] < 44
