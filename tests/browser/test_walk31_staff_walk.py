"""Staff walk, session 31: in the thread page's side column at 1,024 px the "Assign to" select was squeezed
beside its button until its prompt read "Choose a staff men"; the button now goes under a select too narrow
for its prompt, which shows whole (English and Polish; the task page's state box keeps it beside)."""

from __future__ import annotations

import pytest

from tests.request_helpers import submit_other_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Room left over in the select after its chosen option's text, its padding and its arrow (about 20 px).
SPARE = """select => {
  const style = getComputedStyle(select);
  const canvas = document.createElement('canvas').getContext('2d');
  canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const text = canvas.measureText(select.options[select.selectedIndex].text).width;
  return select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20 - text; }"""


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_assign_select_shows_its_prompt_whole_at_1024(
    page, login, bok_staff, thread, acme, client_user, language
):
    bok_staff.language = language
    bok_staff.save(update_fields=["language"])
    page.set_viewport_size({"width": 1024, "height": 900})
    login(page, bok_staff)
    page.goto(f"/staff/messages/{thread.pk}/")
    assert page.locator("#id_assignee").evaluate(SPARE) >= 0
    portal_request = submit_other_request(client_user, acme)
    page.goto(f"/staff/tasks/{portal_request.pk}/")
    assert page.locator("#assign-to").evaluate(SPARE) >= 0
