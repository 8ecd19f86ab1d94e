"""The request flows every engine test drives (bpmn/), and a service runner that only names the call."""

from __future__ import annotations

from pathlib import Path

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"
REQUEST_FLOW_KINDS = [
    "payment_date_change",
    "contract_value_change",
    "schedule_change",
    "client_data_change",
    "other_request",
]


def services(name, params, data):
    return {"called": name}
