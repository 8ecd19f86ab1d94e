"""Defect 3: a decision table cell naming something that does not exist is refused at Validate and Deploy
with its row and column; a cell that does not compile says where it is in the analyst's words; a table
that fails at run time is explained once, in Polish."""

from __future__ import annotations

import pytest

from tests.editor_walk14.flows import PERMIT_DMN, PERMIT_XML, with_cell
from workflows.models import ProcessVersion
from workflows.services import get_current_version

pytestmark = pytest.mark.django_db
KEY = "vehicle_abroad_permit"


def validate(api, dmn: str) -> dict:
    body = {"bpmn_xml": PERMIT_XML, "process_key": KEY, "dmn": {KEY: dmn}}
    return api.post("/api/workflows/validate/", body, format="json").json()


def test_a_cell_naming_an_unknown_variable_is_refused_with_its_row_and_column(api_as, analyst):
    get_current_version(KEY)
    api = api_as(analyst)
    table = with_cell("&gt; 90", "&gt; sześćdziesiąt")

    validated = validate(api, table)
    deployed = api.post(
        "/api/workflows/versions/",
        {"bpmn_xml": PERMIT_XML, "process_key": KEY, "dmn": {KEY: table}},
        format="json",
    )

    # then Validate and Deploy refuse it under the rule, saying row 7 and the column the editor shows
    assert validated["valid"] is False
    assert validated["message"] == "Tabela decyzyjna zawiera błędy."
    [message] = validated["errors"]["rule_too_long"]
    assert message.startswith("Reguła 7, kolumna Liczba dni: nieznana nazwa „sześćdziesiąt”.")
    assert deployed.status_code == 400 and deployed.json()["fields"] == validated["errors"]
    assert ProcessVersion.objects.filter(process_key=KEY).count() == 1


def test_a_cell_that_does_not_compile_says_where_it_is_without_the_engines_words(api_as, analyst):
    validated = validate(api_as(analyst), with_cell("&gt; 90", "&gt; 60 dni"))

    assert validated["message"] == "Tabela decyzyjna zawiera błędy."
    [message] = validated["errors"]["rule_too_long"]
    assert message.startswith("Reguła 7, kolumna Liczba dni: komórka „> 60 dni” zawiera błąd składni")
    assert (
        "dmninputexpr" not in message and "rule_too_long" not in message and "invalid syntax" not in message
    )


def test_output_cells_and_input_expressions_are_checked_too(api_as, analyst):
    # an output naming a fact nobody collects, and an input column reading a variable the flow lacks
    table = with_cell("&quot;Klient ma zaległe faktury.&quot;", "zaleglosci").replace(
        "permit_facts.get(&quot;days&quot;, 0)", "fakty.get(&quot;days&quot;, 0)"
    )

    errors = validate(api_as(analyst), table)["errors"]

    assert errors["rule_overdue_invoices"] == [
        'Reguła 5, kolumna Komunikat: nieznana nazwa „zaleglosci”. Tekst ujmij w cudzysłów ("tekst"); nazwy '
        "muszą być zmiennymi procesu lub funkcjami."
    ]
    assert errors["input_days"][0].startswith(
        "Kolumna Liczba dni (wyrażenie wejściowe): nieznana nazwa „fakty”."
    )


def test_the_shipped_table_and_its_functions_and_placeholders_pass(api_as, analyst):
    # (`?`, len and set, the collected facts: every name of the shipped table is known)
    assert validate(api_as(analyst), PERMIT_DMN)["valid"] is True


def test_a_table_failing_on_the_data_is_explained_once_in_polish(api_as, analyst):
    # given a cell comparing the number of days with a text: it compiles, names nothing unknown, and fails
    # on every request's data
    validated = validate(api_as(analyst), with_cell("&gt; 90", "&gt; &quot;90&quot;"))

    # then the test run's refusal is one sentence under the business-rule task, naming rule 7 and the
    # expression as written, for all five paths at once
    assert validated["valid"] is False
    [message] = validated["errors"]["evaluate_rules"]
    assert "Reguły 7 tabeli decyzyjnej nie dało się obliczyć na danych wniosku" in message
    assert "Złożenie → zatwierdzenie; Złożenie → odrzucenie" in message
    assert "Error evaluating" not in message and "dmninputexpr" not in message
    assert "nie zapisano żadnej wersji" not in validated["message"]
