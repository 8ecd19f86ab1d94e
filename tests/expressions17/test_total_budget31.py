"""One evaluation may build only so much in all: every operation stays under 10,000 items, but ten thousand
of them in a comprehension grew the web process by hundreds of MB before the half-second limit stopped it.
The evaluation is now stopped by what it built, at once, naming that limit; a flow's real work passes."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from tests.editor_walk14.flows import PAYMENT_XML
from workflows import engine

APPROVE = "decision == &quot;approve&quot;"


def _pass_gateway(key: str, condition: str, comment: str = "x"):
    process = engine.get_cached_process(key, PAYMENT_XML.replace(APPROVE, condition))
    started = engine.start_instance(process, data={"request_id": 1}, services=engine.no_services)
    return engine.complete_user_task(
        process,
        started.state,
        started.ready_tasks[0].id,
        {"decision": "approve", "comment": comment},
        services=engine.no_services,
    )


def test_a_condition_building_ten_thousand_lists_is_stopped_by_its_size_not_its_time():
    condition = APPROVE + " and len([[0] * 9999 for n in range(9999)]) &gt; 0"
    tracemalloc.start()
    began = time.monotonic()
    try:
        with pytest.raises(engine.UnsafeScriptError) as refused:
            _pass_gateway("total-items", condition)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        engine.clear_process_cache()

    assert "1000000" in str(refused.value)
    assert refused.value.element_id == "decision_gateway"
    assert time.monotonic() - began < 5
    assert peak < 64 * 1024 * 1024  # it never held more than the budget's worth (was hundreds of MB)


def test_a_text_built_over_a_contracts_installments_still_passes():
    # sixty installments' worth of text built in a comprehension, as a condition might measure a comment
    condition = APPROVE + " and sum([len(comment * 40) for n in range(60)]) &gt; 0"
    try:
        result = _pass_gateway("total-items-ok", condition, comment="rata ")
    finally:
        engine.clear_process_cache()
    assert result is not None
