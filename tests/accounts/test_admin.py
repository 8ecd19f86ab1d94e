import pytest
from django.contrib import admin
from django.urls import reverse

from backend.accounts.models import User
from tests.factories import InsurancePolicyFactory, InvoiceFactory, PaymentFactory, SerialNumberFactory

pytestmark = pytest.mark.django_db

FOUNDATION_APPS = {"core", "accounts", "clients", "contracts", "invoices", "documents"}


@pytest.fixture
def admin_client(client):
    superuser = User.objects.create_superuser("root@leasing.example", "Root-password-2026")
    client.force_login(superuser)
    return client


def test_every_domain_model_is_in_the_admin():
    from django.apps import apps

    missing = [
        model.__name__
        for app in FOUNDATION_APPS
        for model in apps.get_app_config(app).get_models()
        if model not in admin.site._registry
    ]
    assert missing == []


def test_every_changelist_and_change_page_renders(admin_client, acme_contract, client_user):
    # given one object of every kind
    serial = SerialNumberFactory(item__contract=acme_contract)
    InsurancePolicyFactory(contract=acme_contract)
    invoice = InvoiceFactory(client=acme_contract.client, contract=acme_contract)
    PaymentFactory(invoice=invoice)
    objects = [acme_contract, serial, serial.item, invoice, client_user, acme_contract.client]
    # when / then
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in FOUNDATION_APPS:
            continue
        info = (model._meta.app_label, model._meta.model_name)
        response = admin_client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert response.status_code == 200, info
        response = admin_client.get(reverse("admin:{}_{}_changelist".format(*info)), {"q": "x"})
        assert response.status_code == 200, info
    for obj in objects:
        info = (obj._meta.app_label, obj._meta.model_name)
        response = admin_client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        assert response.status_code == 200, info


def test_invoice_status_filter(admin_client, acme):
    InvoiceFactory(client=acme, number="FV/PAID", paid_amount="1230.00")
    InvoiceFactory(client=acme, number="FV/OPEN")
    body = admin_client.get(reverse("admin:invoices_invoice_changelist"), {"status": "paid"}).content.decode()
    assert "FV/PAID" in body and "FV/OPEN" not in body
