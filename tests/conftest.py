"""Shared fixtures: the named people of the test suite and their clients."""

from __future__ import annotations

import uuid

import pytest

from backend.accounts.models import User
from tests.factories import PASSWORD, ClientFactory, ContractFactory, MembershipFactory, UserFactory


@pytest.fixture(autouse=True, scope="session")
def _static_files_from_the_app_folders():
    """As served, pages name static files by the hashed names of collectstatic's manifest; a collectstatic
    (minutes of brotli on a fresh folder) per test run is not worth it: plain names from the app folders.
    tests/perf19/test_static_serving.py checks the served configuration itself."""
    from django.conf import settings
    from django.test.utils import override_settings

    plain = {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}, WHITENOISE_USE_FINDERS=True):
        yield


@pytest.fixture(autouse=True)
def _isolated_side_effects(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # PBKDF2 takes ~0.3 s per hash: the fast hasher keeps factories and logins quick in tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each test's rollback hands a version's id to the next test's version (SQLite): labels start fresh.
    from workflows import stage_labels

    stage_labels.forget()
    # /readyz's shared answer (backend/core/health.py) would carry one test's verdict into the next check.
    settings.READINESS_CACHE_SECONDS = 0
    # The API's throttle counts (backend/core/throttling.py) start at zero in each test: user ids repeat
    # across tests on SQLite, and the file or Redis cache outlives a test. A key prefix of its own, not a
    # clear(): clearing the scaled phase's Redis would also empty the broker and the channel layer.
    throttle_cache = {**settings.CACHES["throttle"], "KEY_PREFIX": f"throttle-test-{uuid.uuid4().hex}"}
    settings.CACHES = {**settings.CACHES, "throttle": throttle_cache}


@pytest.fixture(autouse=True)
def _force_login_meets_the_second_factor():
    """`force_login` skips authentication altogether, the second factor included: its session counts as
    verified. The gate itself is untouched: its tests log in through the login page or use
    tests.second_factor_helpers.force_login_unverified."""
    from django.test.client import ClientMixin

    from backend.accounts.second_factor import VERIFIED_SESSION_KEY

    original = ClientMixin._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        session[VERIFIED_SESSION_KEY] = "totp"
        session.save()

    _login.__wrapped__ = original
    # Patched by hand, not with `monkeypatch`: a test's own `monkeypatch.undo()` must not drop it.
    ClientMixin._login = _login
    try:
        yield
    finally:
        ClientMixin._login = original


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def acme(db):
    """The client company of `client_user`."""
    return ClientFactory(name="ACME Logistyka sp. z o.o.")


@pytest.fixture
def other_company(db):
    return ClientFactory(name="Inna Firma S.A.")


@pytest.fixture
def open_request(acme, client_user):
    """A request of ACME's client user waiting for staff (tests/request_helpers.submit_other_request)."""
    from tests.request_helpers import submit_other_request

    return submit_other_request(client_user, acme)


@pytest.fixture
def client_user(acme) -> User:
    user = UserFactory(email="anna.kowalska@acme.pl", first_name="Anna", last_name="Kowalska")
    MembershipFactory(user=user, client=acme)
    return user


@pytest.fixture
def other_client_user(other_company) -> User:
    user = UserFactory(email="jan.nowak@inna.pl", first_name="Jan", last_name="Nowak")
    MembershipFactory(user=user, client=other_company)
    return user


@pytest.fixture
def bok_staff(db) -> User:
    return UserFactory(
        email="bok@leasing.example", first_name="Barbara", last_name="Obsługa", role=User.Role.STAFF
    )


@pytest.fixture
def second_staff(db) -> User:
    return UserFactory(
        email="bok2@leasing.example", first_name="Piotr", last_name="Zając", role=User.Role.STAFF
    )


@pytest.fixture
def analyst(db) -> User:
    return UserFactory(email="analityk@leasing.example", role=User.Role.ANALYST)


@pytest.fixture
def acme_contract(acme):
    return ContractFactory(client=acme)


@pytest.fixture
def other_contract(other_company):
    return ContractFactory(client=other_company)


@pytest.fixture
def thread(client_user, acme, acme_contract):
    """A message thread ACME's client user started about an invoice of the contract."""
    from backend.messaging.client_writes import start_thread

    return start_thread(
        user=client_user,
        client=acme,
        subject="Korekta adresu na fakturze",
        category="invoices",
        body="Proszę o korektę adresu.",
        contract=acme_contract,
    )


@pytest.fixture
def api_as():
    """Return a DRF APIClient logged in as the given user."""
    from tests.logged_in_clients import api_client_as

    return api_client_as


@pytest.fixture
def fast_relay(settings):
    """The live-push relay polls every 50 ms: a socket test waits for events, not for the poll."""
    settings.LIVE_PUSH_POLL_SECONDS = 0.05
