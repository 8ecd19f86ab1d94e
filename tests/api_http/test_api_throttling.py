"""Per-user limits on the API's expensive or permanent actions: 429 in the error shape with Retry-After,
counted per user and scope, only on the limited method, in a cache every process of the portal shares."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache.backends.redis import RedisCache
from rest_framework.test import APIClient

from backend.core.env import parse_rate, throttle_rate
from backend.invoices.models import InvoiceDuplicate
from tests.api_http.conftest import assert_error_shape
from tests.factories import InvoiceFactory, MembershipFactory, UserFactory
from tests.throttle_windows import still_clock_at_a_window_start  # noqa: F401 (autouse)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_duplicates_an_hour(settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "duplicates": "2/hour"}


def test_duplicates_over_the_rate_are_429_with_retry_after_and_nothing_recorded(
    api, acme, two_duplicates_an_hour
):
    invoice = InvoiceFactory(client=acme)
    url = f"/api/invoices/{invoice.pk}/duplicates/"

    answers = [api.post(url).status_code for _ in range(3)]

    assert answers == [201, 201, 429]
    refused = api.post(url)
    body = assert_error_shape(refused, 429)
    assert body["code"] == "throttled"
    assert body["message"].startswith("Za dużo żądań tego rodzaju. Spróbuj ponownie za ")
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert InvoiceDuplicate.objects.filter(invoice=invoice).count() == 2
    assert api.get(url).status_code == 200  # the list of duplicates is not limited


def test_the_count_holds_for_the_whole_window(api, acme, two_duplicates_an_hour):
    # The file cache's incr() rewrote the count with its default 5-minute timeout: it lapsed mid-window.
    invoice = InvoiceFactory(client=acme)
    url = f"/api/invoices/{invoice.pk}/duplicates/"
    hour = datetime.now(tz=UTC).replace(minute=0, second=5, microsecond=0)  # the session stays valid
    with time_machine.travel(hour, tick=False) as clock:
        assert [api.post(url).status_code for _ in range(2)] == [201, 201]
        for minutes in (20, 20, 10):  # a read every 20 minutes keeps the 30-minute session alive
            clock.shift(timedelta(minutes=minutes))
            assert api.get("/api/notices/unread-count/").status_code == 200
        assert api.post(url).status_code == 429  # 50 minutes on, the same window
        clock.shift(timedelta(minutes=10))  # the next hour: a new window
        assert api.post(url).status_code == 201


def test_the_limit_is_per_user(api, acme, two_duplicates_an_hour):
    invoice = InvoiceFactory(client=acme)
    url = f"/api/invoices/{invoice.pk}/duplicates/"
    colleague = UserFactory(email="ksiegowa@acme.pl")
    MembershipFactory(user=colleague, client=acme)
    other = APIClient()
    other.force_login(colleague)

    assert [api.post(url).status_code for _ in range(3)] == [201, 201, 429]
    assert other.post(url).status_code == 201


def test_a_scope_set_off_and_the_switch_lift_the_limit(api, acme, settings):
    invoice = InvoiceFactory(client=acme)
    url = f"/api/invoices/{invoice.pk}/duplicates/"
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "duplicates": "1/hour"}
    assert [api.post(url).status_code for _ in range(2)] == [201, 429]

    settings.API_THROTTLE_ENABLED = False
    assert api.post(url).status_code == 201
    settings.API_THROTTLE_ENABLED = True
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "duplicates": None}
    assert api.post(url).status_code == 201


def test_exports_are_limited_too(api, acme, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "exports": "1/minute"}
    invoice = InvoiceFactory(client=acme)

    assert api.head(f"/api/invoices/{invoice.pk}/pdf/").status_code == 200  # renders it too: counted
    assert assert_error_shape(api.get(f"/api/invoices/{invoice.pk}/pdf/"), 429)["code"] == "throttled"


def test_the_schema_documents_429_where_a_limit_applies_only(api):
    paths = api.get("/api/schema/", {"format": "json"}).json()["paths"]

    assert "429" in paths["/api/invoices/{invoice_id}/duplicates/"]["post"]["responses"]
    assert "429" not in paths["/api/invoices/{invoice_id}/duplicates/"]["get"]["responses"]
    assert "429" in paths["/api/requests/"]["post"]["responses"]
    assert "429" not in paths["/api/requests/"]["get"]["responses"]
    assert "413" in paths["/api/requests/"]["post"]["responses"]


@pytest.mark.parametrize(
    ("value", "rate"), [("30/hour", "30/hour"), ("5/M", "5/m"), ("off", None), ("0", None)]
)
def test_rates_from_the_environment(value, rate):
    assert throttle_rate(value) == rate


@pytest.mark.parametrize(
    ("value", "parsed"), [("30/hour", (30, 3600)), ("5/M", (5, 60)), ("2/sec", (2, 1)), ("1/day", (1, 86400))]
)
def test_a_rate_counts_actions_in_a_window_of_seconds(value, parsed):
    assert parse_rate(throttle_rate(value)) == parsed


@pytest.mark.parametrize("value", ["30", "thirty/hour", "-1/hour", "30/week"])
def test_a_malformed_rate_stops_the_start(value):
    with pytest.raises(ValueError, match="Invalid API throttle rate"):
        throttle_rate(value)


def test_the_count_lives_in_a_cache_every_process_shares(settings):
    throttle = settings.CACHES["throttle"]
    if os.environ.get("REDIS_URL"):
        # Scaled mode: Redis, whose add and incr are atomic across the web replicas.
        assert throttle["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    else:
        # Embedded: files in var/, shared by the web processes of the host (PORTAL_WEB_PROCESSES).
        assert throttle["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
        assert throttle["LOCATION"].startswith(str(settings.VAR_DIR))


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="the scaled mode's Redis (scripts/test.sh, 2nd phase)"
)
def test_two_connections_to_redis_count_one_window(settings):
    # Two cache objects, as two web replicas hold: the second sees the first one's count.
    params = {"KEY_PREFIX": settings.CACHES["throttle"]["KEY_PREFIX"]}
    first = RedisCache(os.environ["REDIS_URL"], params)
    second = RedisCache(os.environ["REDIS_URL"], params)
    first.add("probe", 0, timeout=60)  # the test's own key prefix (tests/conftest.py)

    assert [first.incr("probe"), second.incr("probe"), first.incr("probe")] == [1, 2, 3]


def test_with_the_counters_store_down_the_action_works_uncounted_and_readyz_says_so(
    api, acme, settings, two_duplicates_an_hour, caplog, monkeypatch
):
    monkeypatch.setattr("backend.core.throttling._warned_at", 0.0)  # no warning of an earlier test
    # given: the throttle's Redis does not answer (a closed port), as in the scaled mode with Redis down
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    invoice = InvoiceFactory(client=acme)
    url = f"/api/invoices/{invoice.pk}/duplicates/"

    # when: more duplicates than the rate allows
    answers = [api.post(url).status_code for _ in range(3)]

    # then: the action works as the page's does (fails open, was 500 server_error), warned once, and the
    # readiness report names the part that is missing without taking the process out of service
    assert answers == [201, 201, 201]
    warnings = [r for r in caplog.records if "rate limits not counted" in r.getMessage()]
    assert len(warnings) == 1
    ready = api.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "degraded"
    assert ready.json()["checks"]["rate_limits"]["status"] == "error"
