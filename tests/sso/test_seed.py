from backend.sso.models import BankCustomerLink
from backend.sso.seed import seed_bank_links
from tests.factories import UserFactory


def test_seed_links_the_demo_customers_that_exist_and_is_repeatable(db):
    # given
    demo = UserFactory(email="klient@demo.pl")

    # when
    seed_bank_links()
    seed_bank_links()

    # then
    assert list(BankCustomerLink.objects.values_list("bank_customer_id", "user")) == [("BANK-0001", demo.pk)]
