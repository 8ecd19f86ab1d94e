"""The pages run under the Content-Security-Policy without a single violation (issue #12).

Every page is opened in headless Chromium with a `securitypolicyviolation` listener injected before any
page script, and with the console and uncaught errors recorded; a test fails on any of them. The pages are
served by the real ASGI application (`asgi_server`), so the live WebSocket of the processing view runs
under the policy's connect-src too. Each journey also uses the scripts that were inline before: if the
policy blocked them, the dialog would not open, the editor would not draw, the bank would not hand off.
"""

from __future__ import annotations

import pytest

from backend.accounts.models import User
from backend.sso.models import BankCustomerLink
from tests.browser.conftest import log_in
from tests.documents.test_apis import make_document
from tests.factories import ContractFactory, InvoiceFactory, UserFactory
from tests.portal_ui.test_flow_migration import submit_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs in every document before its own scripts; the exposed function hands the report to Python.
VIOLATION_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} in ${event.sourceFile || location.pathname}`
    + `:${event.lineNumber} (${event.sample})`
  );
});
"""


class WatchedPage:
    """A page whose CSP violations, console messages and uncaught errors are all kept in `problems`."""

    def __init__(self, browser, base_url: str):
        self.problems: list[str] = []
        self.context = browser.new_context(
            base_url=base_url, locale="pl-PL", viewport={"width": 1280, "height": 900}
        )
        self.context.set_default_timeout(15_000)
        self.context.expose_function(
            "__reportCspViolation", lambda text: self.problems.append(f"CSP: {text}")
        )
        self.context.add_init_script(VIOLATION_LISTENER)
        self.context.on("console", self._console)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))

    def _console(self, message) -> None:
        url = message.location.get("url", "")
        self.problems.append(f"console {message.type}: {message.text} [{url}]")

    def visit(self, path: str) -> None:
        response = self.page.goto(path)
        assert response is not None and response.status == 200, (path, response and response.status)
        self.settle()

    def settle(self) -> None:
        # Violations are reported before `load`; one round trip hands any pending report to Python.
        self.page.wait_for_load_state("load")
        self.page.evaluate("() => document.readyState")

    def assert_clean(self) -> None:
        self.settle()
        assert self.problems == [], "\n".join(problem[:300] for problem in self.problems)


@pytest.fixture
def watched(browser, asgi_server):
    watched = WatchedPage(browser, asgi_server)
    yield watched
    watched.context.close()


def test_client_pages_run_under_the_policy(watched, client_user, acme):
    # given: a contract with an invoice, a document and a running request of the client
    contract = ContractFactory(client=acme, number="UL/2026/000900")
    invoice = InvoiceFactory(client=acme, contract=contract)
    make_document(acme)
    portal_request = submit_request(client_user, acme)
    page = watched.page

    # when: the client logs in and opens the main pages
    log_in(page, client_user)
    for path in [
        "/",
        "/invoices/",
        f"/invoices/{invoice.pk}/",
        "/archive/",
        "/settlements/",
        "/contracts/",
        f"/contracts/{contract.pk}/",
        "/policies/",
        "/documents/",
        "/client-data/",
        "/messages/",
        "/messages/new/",
        "/help/",
        "/requests/",
        "/requests/new/",
        "/requests/new/payment_date_change/",
    ]:
        watched.visit(path)

    # then: the schedule preview fetches its quote (request_form.js, connect-src)
    watched.visit(f"/requests/new/schedule_change/?contract={contract.pk}")
    page.locator("#quote-preview dl.quote-summary").wait_for()

    # and the processing view connects its live socket and opens the comment dialog as a modal
    watched.visit(f"/requests/{portal_request.pk}/")
    page.wait_for_selector("#live-indicator[data-state=online]")
    page.click("#open-comment")
    page.locator("#comment-dialog").wait_for(state="visible")
    assert "comment=1" not in page.url
    assert page.evaluate("document.getElementById('comment-dialog').matches(':modal')")
    page.keyboard.press("Escape")

    # and withdrawing asks first; dismissing the question keeps the request
    questions: list[str] = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.click("#cancel-form button[type=submit]")
    assert questions and questions[0].strip()
    assert page.url.endswith(f"/requests/{portal_request.pk}/")

    # and the header bell opens its panel
    page.click(".notice-bell-button")
    page.locator("#notice-bell-panel").wait_for(state="visible")
    assert page.get_attribute(".notice-bell-button", "aria-expanded") == "true"

    watched.assert_clean()


def test_staff_pages_run_under_the_policy(watched, client_user, acme, bok_staff):
    # given: a request waiting for staff
    portal_request = submit_request(client_user, acme)
    page = watched.page

    # when: staff open the task list and the request and claim it
    log_in(page, bok_staff)
    for path in ["/staff/", "/staff/tasks/", f"/staff/tasks/{portal_request.pk}/"]:
        watched.visit(path)
    with page.expect_navigation():
        page.click("#claim")

    # then: the task is theirs, the forms of the next step are shown, and nothing was blocked
    page.wait_for_selector("#form-ask")
    portal_request.refresh_from_db()
    assert portal_request.assignee == bok_staff
    watched.assert_clean()


def test_flow_editor_draws_validates_and_reports_nothing(watched, analyst):
    # given
    page = watched.page
    log_in(page, analyst)
    for path in ["/analyst/", "/analyst/flows/", "/analyst/flows/payment_date_change/migrations/"]:
        watched.visit(path)

    # when: the analyst opens the editor of a flow and validates the diagram
    watched.visit("/analyst/flows/payment_date_change/")
    page.wait_for_selector("#flow-editor[data-loaded='true']")
    assert page.locator("#bpmn-canvas .djs-shape").count() > 5
    page.click("#validate-flow")

    # then: the diagram is drawn and valid, and bpmn-js needed nothing the policy forbids
    page.locator("#editor-result.ok").wait_for()
    page.click("#fit-flow")
    watched.assert_clean()


def test_bank_simulator_hands_off_to_the_portal_under_the_policy(
    watched, settings, tmp_path, client_user, acme
):
    # given: the demo bank with its own key pair and a customer linked to the client user
    settings.BANK_SIMULATOR_ENABLED = True
    settings.BANK_SSO_ENABLED = True
    settings.BANK_SIMULATOR_KEY_DIR = tmp_path / "bank"
    settings.BANK_SSO_PUBLIC_KEY_FILE = ""
    BankCustomerLink.objects.create(bank_customer_id="BANK-0001", user=client_user)
    contract = ContractFactory(client=acme, number="UL/2026/000901")
    page = watched.page

    # when: the customer logs in to the bank and presses the portal button of the contract
    watched.visit("/bank-simulator/")
    page.fill("#customer_id", "BANK-0001")
    page.fill("#password", "any")
    with page.expect_navigation():
        page.click("button[type=submit]")
    watched.settle()
    with page.expect_navigation(url=f"**/contracts/{contract.pk}/"):
        page.click(f"button[data-contract='{contract.number}']")

    # then: the hand-off page's static script posted the assertion and the portal opened the contract
    watched.settle()
    assert contract.number in page.locator("main").inner_text()
    watched.assert_clean()


def test_admin_pages_run_under_the_policy(watched):
    # given
    admin = UserFactory(email="admin@leasing.example", role=User.Role.ADMIN, is_staff=True, is_superuser=True)
    page = watched.page

    # when: the administrator logs in (the admin's login leads to the portal's, with the code step)
    # and opens a list and a change form
    watched.visit("/admin/login/")
    assert "/login/" in page.url
    log_in(page, admin)
    for path in ["/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{admin.pk}/change/"]:
        watched.visit(path)

    # then
    assert page.locator("#content h1, #content h2").count() > 0
    watched.assert_clean()


def test_api_docs_render_offline_under_the_policy(watched, client_user):
    # given: a logged-in client (the schema answers only signed-in users)
    page = watched.page
    log_in(page, client_user)

    # when
    watched.visit("/api/docs/")

    # then: Swagger UI drew the operations from local files, with nothing blocked
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 20
    watched.assert_clean()
