"""Shared objects of the staff workspace tests: a client thread, files and the people who handle it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backend.accounts.models import User
from backend.messaging.client_writes import start_thread
from tests.factories import UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_file(name: str = "odpowiedz.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def thread(client_user, acme, acme_contract):
    return start_thread(
        user=client_user,
        client=acme,
        subject="Pytanie o fakturę",
        category="invoices",
        body="Proszę o korektę faktury.",
        contract=acme_contract,
    )


@pytest.fixture
def admin_user(db) -> User:
    return UserFactory(email="admin@leasing.example", role=User.Role.ADMIN, is_staff=True)
