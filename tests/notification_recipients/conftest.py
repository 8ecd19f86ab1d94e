"""Five users of one company, one request flow through the API, e-mails counted per recipient."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core import mail

from backend.accounts.models import User
from tests.factories import MembershipFactory, UserFactory
from tests.requests_app.helpers import submission

PAYMENT = {"payment_day": 20, "reason": "cash_flow"}


@pytest.fixture
def contact_user(acme) -> User:
    """The colleague the submitter names as the request's contact person."""
    user = UserFactory(email="marek.wisniewski@acme.pl", first_name="Marek")
    MembershipFactory(user=user, client=acme)
    return user


@pytest.fixture
def bystanders(acme) -> list[User]:
    """Three more users of the company: they see requests in the portal, no e-mails."""
    users = [UserFactory(email=f"uzytkownik{n}@acme.pl") for n in range(1, 4)]
    for user in users:
        MembershipFactory(user=user, client=acme)
    return users


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run an API call and its on-commit callbacks (the outbox dispatch; Celery runs eagerly)."""

    def run(call):
        with django_capture_on_commit_callbacks(execute=True):
            response = call()
        assert response.status_code in {200, 201}, response.json()
        return response.json()

    return run


@pytest.fixture
def flow(api_as, client_user, bok_staff, acme_contract, committed):
    """The steps of a payment-day request: submit (by client_user) → ask → reply → approve / cancel."""

    class Flow:
        def submit(self, *, contact_email: str, user=client_user) -> int:
            body = submission("payment_date_change", contract=acme_contract, data=PAYMENT)
            body["contact"]["email"] = contact_email
            return committed(lambda: api_as(user).post("/api/requests/", body, format="json"))["id"]

        def ask(self, request_id: int) -> None:
            committed(
                lambda: api_as(bok_staff).post(
                    f"/api/staff/requests/{request_id}/ask-client/", {"question": "Od kiedy?"}, format="json"
                )
            )

        def reply(self, request_id: int, user=client_user) -> None:
            committed(
                lambda: api_as(user).post(
                    f"/api/requests/{request_id}/reply/", {"message": "Od lipca."}, format="json"
                )
            )

        def approve(self, request_id: int) -> None:
            committed(
                lambda: api_as(bok_staff).post(
                    f"/api/staff/requests/{request_id}/approve/", {"answer": "Zgoda."}, format="json"
                )
            )

        def cancel(self, request_id: int, user=client_user) -> None:
            committed(lambda: api_as(user).post(f"/api/requests/{request_id}/cancel/", format="json"))

        def lifecycle(self, *, contact_email: str) -> int:
            request_id = self.submit(contact_email=contact_email)
            self.ask(request_id)
            self.reply(request_id)
            self.approve(request_id)
            return request_id

    return Flow()


def mails_per_recipient() -> Counter:
    return Counter(address for message in mail.outbox for address in message.to)


def subjects_of(address: str) -> list[str]:
    return [message.subject for message in mail.outbox if address in message.to]
