"""A deploy refused for an outcome no end event has is listed under the pool, where a click selects the
pool, not the end event to change: the message says what to do and where (the panel's Outcome, in its
Portal group, on the end event where such requests finish), in both languages."""

from __future__ import annotations

import pytest

from tests.workflows.test_services import PAYMENT_XML
from tests.workflows_deploy.test_contract_outcomes import CANCELLED, REJECTED, refusal

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "pl",
            "Żadne zdarzenie końcowe procesu payment_date_change nie ma wyniku „odrzucony” (rejected), "
            "którego wymaga ten rodzaj wniosku; wymagane wyniki: „zatwierdzony” (approved), „odrzucony” "
            "(rejected). Wybierz go w polu „Wynik” (grupa „Portal” panelu) zdarzenia końcowego, na którym "
            "takie wnioski się kończą.",
        ),
        (
            "en",
            "No end event of the process payment_date_change has the outcome “rejected”, which this request "
            "type needs (required: “approved”, “rejected”). Choose it as the Outcome (the panel's Portal "
            "group) of the end event where such requests finish.",
        ),
    ],
)
def test_a_missing_outcome_says_where_to_choose_it(language, expected):
    # given a version whose rejected end event says "cancelled"
    xml = PAYMENT_XML.replace(REJECTED, CANCELLED)

    # when it is deployed, then the refusal under the process says where the outcome is chosen
    messages = refusal(xml, language).fields["payment_date_change"]
    assert expected in messages, messages
