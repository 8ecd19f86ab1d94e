"""The analysts' modeler in the browser (issue #11 §7): the properties panel writes what the engine reads,
a diagram can be validated, deployed, test-run, rolled back, opened from a file and downloaded, the
toolbar never locks, a problem selects its element, and the heatmap shows where the running requests are."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.conftest import log_in
from tests.portal_ui.test_flow_migration import submit_request
from workflows.models import ProcessVersion
from workflows.versioning import current_version_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROCESS = "payment_date_change"
SHIPPED = Path(settings.BASE_DIR) / "bpmn" / f"{PROCESS}.bpmn"


@pytest.fixture
def editor(page, analyst):
    page.set_viewport_size({"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    log_in(page, analyst)
    page.goto(f"/analyst/flows/{PROCESS}/")
    page.wait_for_selector("#flow-editor[data-loaded='true']")
    # The panel's choices come from the API after start-up.
    page.wait_for_function("() => document.querySelector('#version-select').options.length > 0")
    yield page
    page.screenshot(path="/tmp/h8_modeler.png")
    # live_server speaks no WebSocket: the portal's live channel failing to connect is expected here.
    errors = [error for error in errors if "WebSocket" not in error]
    assert errors == [], "\n".join(errors)


def select_element(page, element_id: str) -> None:
    # Near the top-left corner: the timers sit on the task's lower edge, the context pad to its right.
    page.click(f"#bpmn-canvas .djs-element[data-element-id='{element_id}']", position={"x": 6, "y": 6})
    page.wait_for_function(
        "id => document.getElementById('flow-editor').modeler.get('selection').get().some(e => e.id === id)",
        arg=element_id,
    )


def panel_entry(page, entry_id: str):
    return page.locator(f"#properties-panel [data-entry-id='{entry_id}']")


def saved_xml(page) -> str:
    return page.evaluate(
        "() => document.getElementById('flow-editor').modeler.saveXML({format: true}).then(r => r.xml)"
    )


def validate(page) -> None:
    # The click handler marks the editor busy at once; the answer is shown when it is no longer busy.
    page.click("#validate-flow")
    page.wait_for_function(
        "() => document.getElementById('flow-editor').getAttribute('aria-busy') === 'false'"
    )
    page.wait_for_selector("#editor-result.ok, #editor-result.bad")


def test_panel_edits_a_timer_and_a_form_key_then_the_diagram_validates_and_deploys(editor):
    # (the engine wants each user task on its own form, <process>/<task>: the panel offers only that one)
    page = editor
    versions_before = ProcessVersion.objects.filter(process_key=PROCESS).count()

    # when the analyst gives the reminder timer 7 days instead of 14
    select_element(page, "reminder_timer")
    timer = panel_entry(page, "portal-timer").locator("input")
    assert timer.input_value() == "P14D"
    timer.fill("7 days")
    # then a duration that is not ISO-8601 is refused in the panel and not written
    panel_entry(page, "portal-timer").locator(".bio-properties-panel-error").wait_for()
    assert "&quot;P14D&quot;" in saved_xml(page) or '"P14D"' in saved_xml(page)
    timer.fill("P7D")
    page.wait_for_function(
        "() => document.getElementById('flow-editor').modeler.get('elementRegistry').get('reminder_timer')"
        ".businessObject.eventDefinitions[0].timeDuration.body === '\"P7D\"'"
    )

    # and opens the client's reply task: the form select offers the one form its stage has (the contract's;
    # deploy refuses another), so the staff review form cannot be given to it
    select_element(page, "client_reply")
    form = panel_entry(page, "portal-formKey").locator("select")
    assert form.input_value() == f"{PROCESS}/client_reply"
    assert form.locator("option").all_inner_texts() == ["—", "Odpowiedź klienta"]
    assert panel_entry(page, "portal-lane").locator("input").input_value() == "Klient"

    # then the diagram written carries both edits in the engine's format
    xml = saved_xml(page)
    assert re.search(r"<bpmn:timeDuration[^>]*>(&#34;|&quot;|\")P7D(&#34;|&quot;|\")<", xml)
    client_reply = xml.split('<bpmn:userTask id="client_reply"')[1].split("</bpmn:userTask>")[0]
    assert f'<spiffworkflow:property name="formKey" value="{PROCESS}/client_reply" />' in client_reply

    # when they validate and deploy
    validate(page)
    assert page.locator("#editor-result").get_attribute("class") == "editor-result ok", page.locator(
        "#editor-result"
    ).inner_text()
    page.click("#deploy-flow")
    page.click("#deploy-confirm")
    page.wait_for_function(
        "() => /Wdrożono jako wersję/.test(document.getElementById('editor-result').textContent)"
    )

    # then a new version holds the edits and the version list offers it
    assert ProcessVersion.objects.filter(process_key=PROCESS).count() == versions_before + 1
    newest = ProcessVersion.objects.filter(process_key=PROCESS).order_by("-number").first()
    assert "P7D" in newest.bpmn_xml and "P14D" not in newest.bpmn_xml
    # (it passed its test run, so it is the current one)
    page.wait_for_function(
        "n => [...document.querySelectorAll('#version-select option')]"
        ".some(o => o.textContent === 'v' + n + ' · bieżąca')",
        arg=newest.number,
    )
    assert page.locator("#version-select").input_value() == str(newest.pk)

    # when they run the test of the diagram: every path of the process passes
    page.click("#test-flow")
    page.wait_for_function(
        "() => document.getElementById('flow-editor').getAttribute('aria-busy') === 'false'"
    )
    assert page.locator("#editor-result").get_attribute("class") == "editor-result ok"
    assert page.locator("#editor-result .test-path.passed").count() >= 1
    assert page.locator("#editor-result .test-path.failed").count() == 0

    # and when they roll back to version 1, giving a reason
    first = ProcessVersion.objects.get(process_key=PROCESS, number=1)
    page.select_option("#version-select", str(first.pk))
    page.once("dialog", lambda dialog: dialog.accept("Powrót do sprawdzonej wersji"))
    page.click("#rollback-version")
    page.wait_for_function(
        "() => document.getElementById('flow-editor').getAttribute('aria-busy') === 'false'"
    )

    # then new requests start on version 1 again, and the list names the newer one as not current
    page.locator("#editor-result.ok").wait_for()
    assert current_version_id(PROCESS)[0] == first.pk
    page.wait_for_function(
        "n => [...document.querySelectorAll('#version-select option')]"
        ".some(o => o.textContent === 'v' + n + ' · nowsza, nie bieżąca')",
        arg=newest.number,
    )
    assert page.locator(f"#version-select option[value='{first.pk}']").text_content() == "v1 · bieżąca"


def test_a_bpmn_file_opens_in_the_editor_and_downloads_back(editor, tmp_path):
    page = editor
    # given a copy of a shipped flow with another name on its review task
    upload = tmp_path / "moj_przeplyw.bpmn"
    upload.write_text(
        SHIPPED.read_text(encoding="utf-8").replace("Weryfikacja przez BOK", "Ocena z pliku"),
        encoding="utf-8",
    )

    # when the analyst opens it
    page.set_input_files("#upload-flow", str(upload))

    # then the editor shows it, and the download is that diagram
    page.locator("#editor-result.ok").wait_for()
    assert "moj_przeplyw.bpmn" in page.locator("#editor-result").inner_text()
    assert page.locator("#bpmn-canvas", has_text="Ocena z pliku").count() == 1
    with page.expect_download() as download_info:
        page.click("#download-flow")
    downloaded = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert "Ocena z pliku" in downloaded and 'spiffworkflow:property name="formKey"' in downloaded
    assert download_info.value.suggested_filename == f"{PROCESS}.bpmn"

    # and a deployed version downloads as it was deployed
    with page.expect_download() as download_info:
        page.click("#download-version")
    assert download_info.value.suggested_filename == f"{PROCESS}-v1.bpmn"
    assert "Weryfikacja przez BOK" in Path(download_info.value.path()).read_text(encoding="utf-8")


def test_a_file_that_is_not_bpmn_is_refused_and_the_diagram_stays(editor, tmp_path):
    page = editor
    upload = tmp_path / "notatki.xml"
    upload.write_text("<notes><note>to nie jest BPMN</note></notes>", encoding="utf-8")

    page.set_input_files("#upload-flow", str(upload))

    page.locator("#editor-result.bad").wait_for()
    assert "notatki.xml" in page.locator("#editor-result").inner_text()
    assert page.locator("#bpmn-canvas [data-element-id='staff_review']").count() == 1
    assert page.locator("#validate-flow").is_enabled()


def test_toolbar_stays_enabled_after_validate_delete_validate_and_a_problem_selects_its_element(editor):
    page = editor
    # given a diagram whose client reply task lost its form: validation marks that task
    select_element(page, "client_reply")
    panel_entry(page, "portal-formKey").locator("select").select_option("")
    validate(page)
    problem = page.locator("#editor-result button[data-element-id='client_reply']")
    assert problem.count() >= 1
    select_element(page, "apply_change")

    # when the analyst clicks the problem
    problem.first.click()

    # then the task is selected (and its properties shown)
    page.wait_for_function(
        "() => document.getElementById('flow-editor').modeler.get('selection').get()"
        ".map(e => e.id).join() === 'client_reply'"
    )
    assert panel_entry(page, "portal-formKey").count() == 1

    # when they delete the marked task and validate again
    page.keyboard.press("Delete")
    page.wait_for_function(
        "() => !document.getElementById('flow-editor').modeler.get('elementRegistry').get('client_reply')"
    )
    page.click("#validate-flow")

    # then the second answer replaces the first (no problem names the deleted task any more)
    # and every toolbar button works again
    page.wait_for_function(
        "() => document.getElementById('flow-editor').getAttribute('aria-busy') === 'false'"
        " && !document.querySelector(\"#editor-result [data-element-id='client_reply']\")"
    )
    assert page.locator("#editor-result").inner_text() != ""
    for button in page.locator(".editor-toolbar button").all():
        assert button.is_enabled()
    validate(page)
    assert page.locator("#deploy-flow").is_enabled()


def test_heatmap_shows_the_running_requests_per_element(page, analyst, client_user, acme):
    # given two requests waiting for the staff review on version 1
    submit_request(client_user, acme, 1)
    submit_request(client_user, acme, 2)
    log_in(page, analyst)
    page.goto(f"/analyst/flows/{PROCESS}/")
    page.wait_for_selector("#flow-editor[data-loaded='true']")

    # when the analyst switches the heatmap on
    page.click("#toggle-heatmap")

    # then the review task carries a badge with 2, and nothing else has requests now
    badge = page.locator(".heat-badge[data-element-id='staff_review']")
    badge.wait_for()
    assert badge.get_attribute("data-running") == "2"
    assert badge.locator(".heat-count").inner_text().startswith("2 ")
    assert "heat-4" in (badge.get_attribute("class") or "")
    assert page.locator("#toggle-heatmap").get_attribute("aria-pressed") == "true"
    assert "2" in page.locator("#heatmap-summary").inner_text()

    # and switching it off removes the badges
    page.click("#toggle-heatmap")
    assert page.locator(".heat-badge").count() == 0


# Every named label of the diagram that lies over another label, or over a task, event or gateway it does
# not belong to: text that cannot be read in the analysts' picture.
OVERLAPPING_LABELS = """() => {
  const registry = document.getElementById('flow-editor').modeler.get('elementRegistry');
  const all = registry.getAll();
  const box = e => ({x: e.x, y: e.y, w: e.width, h: e.height});
  const hit = (a, b) => a.x < b.x + b.w - 1 && b.x < a.x + a.w - 1 && a.y < b.y + b.h - 1 && b.y < a.y + a.h - 1;
  const containers = ['bpmn:Lane', 'bpmn:Participant', 'bpmn:Process', 'bpmn:Collaboration'];
  const labels = all.filter(e => e.type === 'label' && e.businessObject.name);
  const shapes = all.filter(e => e.type !== 'label' && !e.waypoints && !containers.includes(e.type) && e.parent);
  const found = [];
  for (const label of labels) {
    const mine = label.labelTarget.id;
    for (const shape of shapes) if (shape !== label.labelTarget && hit(box(label), box(shape))) found.push(`${mine} / ${shape.id}`);
    for (const other of labels) if (label.id < other.id && hit(box(label), box(other))) found.push(`${mine} / ${other.labelTarget.id}`);
  }
  return found;
}"""
SHIPPED_FLOWS = sorted(path.stem for path in (Path(settings.BASE_DIR) / "bpmn").glob("*.bpmn"))


# Every name drawn in the diagram with a line that is not made of its words: bpmn-js breaks a name at its
# spaces when each word fits the box, and inside a word when one does not ("Wygenerowani / e decyzji").
NAMES_BROKEN_INSIDE_A_WORD = """() => {
  const registry = document.getElementById('flow-editor').modeler.get('elementRegistry');
  return registry.getAll().filter(e => e.businessObject && e.businessObject.name && (e.type === 'label' || !e.label))
    .map(e => {
      const words = new Set(e.businessObject.name.split(/\\s+/));
      const text = registry.getGraphics(e).querySelector('text');
      const lines = text ? [...text.querySelectorAll('tspan')].map(line => line.textContent) : [];
      return lines.some(line => line.trim().split(/\\s+/).some(word => word && !words.has(word))) ? lines.join('|') : null;
    })
    .filter(Boolean);
}"""


# Every sequence flow with a segment through a task, event or gateway that is neither its end nor the task
# its timer hangs on: a line that seems to enter a step it never reaches.
LINES_THROUGH_SHAPES = """() => {
  const registry = document.getElementById('flow-editor').modeler.get('elementRegistry');
  const containers = ['bpmn:Lane', 'bpmn:Participant', 'bpmn:Process', 'bpmn:Collaboration'];
  const all = registry.getAll();
  const shapes = all.filter(e => e.type !== 'label' && !e.waypoints && !containers.includes(e.type) && e.parent);
  const found = [];
  for (const flow of all.filter(e => e.waypoints)) {
    const ends = new Set([flow.source, flow.target, flow.source && flow.source.host]);
    flow.waypoints.slice(1).forEach((b, i) => {
      const a = flow.waypoints[i];
      const [x1, x2, y1, y2] = [Math.min(a.x, b.x), Math.max(a.x, b.x), Math.min(a.y, b.y), Math.max(a.y, b.y)];
      for (const s of shapes) {
        if (ends.has(s) || ends.has(s.host)) continue;
        if (x1 < s.x + s.width - 2 && x2 > s.x + 2 && y1 < s.y + s.height - 2 && y2 > s.y + 2) {
          found.push(`${flow.id} / ${s.id}`);
        }
      }
    });
  }
  return found;
}"""


# Every sequence flow with a segment through a name drawn outside its element (an event's, a gateway's or a
# flow's label, at the bounds bpmn-js shows it): a line struck through a name. A flow's own line counts too:
# its name belongs beside the line, not under it. The box is shrunk by 1 px, so a line along its edge passes.
LINES_THROUGH_NAMES = """() => {
  const registry = document.getElementById('flow-editor').modeler.get('elementRegistry');
  const all = registry.getAll();
  const labels = all.filter(e => e.type === 'label' && e.businessObject.name);
  // Liang-Barsky: does the segment a-b keep a stretch of positive length inside the box?
  const through = (a, b, x0, y0, x1, y1) => {
    const dx = b.x - a.x, dy = b.y - a.y;
    const p = [-dx, dx, -dy, dy], q = [a.x - x0, x1 - a.x, a.y - y0, y1 - a.y];
    let t0 = 0, t1 = 1;
    for (let i = 0; i < 4; i++) {
      if (p[i] === 0) { if (q[i] <= 0) return false; continue; }
      const r = q[i] / p[i];
      if (p[i] < 0) { if (r > t0) t0 = r; } else if (r < t1) t1 = r;
      if (t0 >= t1) return false;
    }
    return t0 < t1;
  };
  const found = [];
  for (const flow of all.filter(e => e.waypoints && e.type === 'bpmn:SequenceFlow')) {
    for (const label of labels) {
      const [x0, y0, x1, y1] = [label.x + 1, label.y + 1, label.x + label.width - 1, label.y + label.height - 1];
      if (flow.waypoints.slice(1).some((b, i) => through(flow.waypoints[i], b, x0, y0, x1, y1))) {
        found.push(`${flow.id} / ${label.labelTarget.id}`);
      }
    }
  }
  return found;
}"""


def test_a_shipped_flow_is_drawn_legibly(page, analyst):
    # Before: timer names lay inside the task they hang on and a flow's name over a timer's in every flow (the
    # buyout flow had 23 such pairs and lines through the middle of its tasks), "Wygenerowanie" broke inside
    # the word in a 100 px task, and three lines ran through tasks they do not reach. Then 63 line-name pairs
    # were struck through: "Decyzja?" under its reject line, the cancel timer's name under its own flows, flow
    # names bpmn-js put on the middle of their lines (no DI bounds).
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, analyst)
    for process in SHIPPED_FLOWS:
        page.goto(f"/analyst/flows/{process}/")
        page.wait_for_selector("#flow-editor[data-loaded='true']")

        found = page.evaluate(OVERLAPPING_LABELS)
        broken = page.evaluate(NAMES_BROKEN_INSIDE_A_WORD)
        crossing = page.evaluate(LINES_THROUGH_SHAPES)
        struck = page.evaluate(LINES_THROUGH_NAMES)

        assert found == [], process
        assert broken == [], process
        assert crossing == [], process
        assert struck == [], f"{process}: {struck}"
