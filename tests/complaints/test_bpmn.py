"""bpmn/complaint.bpmn keeps every deploy rule; its date timers must read data the process provides."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from backend.core.exceptions import PortalValidationError
from workflows.models import ProcessVersion
from workflows.services import deploy_bpmn_version, get_current_version

pytestmark = pytest.mark.django_db

XML = (Path(settings.BASE_DIR) / "bpmn" / "complaint.bpmn").read_text(encoding="utf-8")


def test_the_complaint_flow_deploys_and_passes_its_test_run():
    version = get_current_version("complaint")
    run = {path["path"]: path["status"] for path in version.test_run["paths"]}
    assert version.test_run["passed"] is True
    # approve, reject and the question with its reminder are driven; it has no cancelling timer
    assert run == {
        "approve": "passed",
        "reject": "passed",
        "ask_reply_approve": "passed",
        "reminder": "passed",
        "cancel": "skipped",
    }


@pytest.mark.parametrize(
    ("old", "new", "element"),
    [
        # a timer reading a variable nothing provides
        (
            "complaint_clock[&quot;escalate_at&quot;]",
            "unknown_clock[&quot;escalate_at&quot;]",
            "escalation_timer",
        ),
        # a timer expression that is neither a literal nor a read of the data
        ("complaint_clock[&quot;deadline_at&quot;]", "__import__(&quot;os&quot;)", "deadline_timer"),
    ],
)
def test_a_timer_reading_what_nothing_provides_is_refused(old, new, element):
    assert XML.count(old) >= 1
    broken = XML.replace(old, new, 1)
    with translation.override("en"), pytest.raises(PortalValidationError) as refused:
        deploy_bpmn_version(xml=broken)
    assert element in refused.value.fields
    assert ProcessVersion.objects.filter(process_key="complaint").count() <= 1
