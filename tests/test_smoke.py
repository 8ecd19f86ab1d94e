import pytest


@pytest.mark.django_db
def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_fixtures_build_a_scheduled_contract(acme_contract):
    rows = list(acme_contract.schedule_rows.all())
    assert len(rows) == 36
    assert rows[-1].capital_remaining == acme_contract.residual_value
