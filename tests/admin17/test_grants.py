"""A membership's extra rights are a list of known codes: anything else is refused where it is written,
and a bad value already stored grants nothing instead of breaking every page of its user."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import ValidationError
from django.test import Client as PageClient

from backend.clients.models import ClientMembership
from tests.factories import ClientFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("grants", [5, {"messages": True}, ["messages", "everything"], [["messages"]]])
def test_extra_rights_other_than_a_list_of_known_codes_are_refused(grants):
    membership = MembershipFactory(client=ClientFactory(), role=ClientMembership.Role.ACCOUNTANT)
    membership.grants = grants

    with pytest.raises(ValidationError) as refused:
        membership.full_clean()

    assert "grants" in refused.value.message_dict


def test_known_codes_pass():
    membership = MembershipFactory(client=ClientFactory(), role=ClientMembership.Role.ACCOUNTANT)
    membership.grants = ["messages", "requests"]

    membership.full_clean()


@pytest.mark.parametrize("stored", [5, {"messages": True}, [["messages"]]])
def test_a_user_with_bad_stored_extra_rights_still_gets_the_pages(stored, caplog):
    membership = MembershipFactory(client=ClientFactory(), role=ClientMembership.Role.ACCOUNTANT)
    ClientMembership.objects.filter(pk=membership.pk).update(grants=stored)  # past the validator
    browser = PageClient()
    browser.force_login(membership.user)

    with caplog.at_level(logging.WARNING, logger="backend.clients.access_rules"):
        pages = [browser.get(path) for path in ("/", "/invoices/", "/messages/")]

    # the pages answer as for an accountant without extra rights: messages stay closed
    assert [page.status_code for page in pages[:2]] == [200, 200]
    assert pages[2].status_code in (302, 403)
