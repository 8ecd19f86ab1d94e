"""Names quoted inside a sentence take the reader's language's quotation marks: „…” in Polish, “…” in
English (the versions page's test run said "ended at „Zrealizowany”" to English readers)."""

from __future__ import annotations

import pytest
from django.test import Client as PageClient
from django.utils import translation
from lxml import etree

from workflows.deploy_graph import ProcessGraph

pytestmark = pytest.mark.django_db
KEY = "payment_date_change"


def test_polish_element_names_are_quoted_the_english_way_on_an_english_versions_page(analyst):
    analyst.language = "en"
    analyst.save(update_fields=["language"])
    browser = PageClient()
    browser.force_login(analyst)

    body = browser.get(f"/analyst/flows/{KEY}/versions/").content.decode()

    assert "ended at “" in body
    assert "„" not in body.split("<main", 1)[1]


def test_polish_pages_keep_the_polish_quotation_marks(analyst):
    browser = PageClient()
    browser.force_login(analyst)

    body = browser.get(f"/analyst/flows/{KEY}/versions/").content.decode()

    assert "zakończona w „" in body


def test_deploy_checks_quote_element_names_per_language():
    process = etree.fromstring(
        '<process xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="p">'
        '<userTask id="review" name="Weryfikacja"/></process>'
    )
    graph = ProcessGraph(process)

    with translation.override("en"):
        english = graph.label("review")
    with translation.override("pl"):
        polish = graph.label("review")

    assert (english, polish) == ("“Weryfikacja”", "„Weryfikacja”")
