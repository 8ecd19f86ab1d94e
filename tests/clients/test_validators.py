import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from backend.clients.identifiers import make_iban, make_nip, make_regon
from backend.clients.validators import validate_krs, validate_nip, validate_polish_iban, validate_regon


@pytest.mark.parametrize("value", ["5260250274", "7595724019", "526-025-02-74"])
def test_valid_nip(value):
    validate_nip(value)


@pytest.mark.parametrize(
    "value", ["5260250275", "123456789", "12345678901", "abcdefghij", "", "0000000000", "0123456789"]
)
def test_invalid_nip(value):
    with pytest.raises(ValidationError) as error:
        validate_nip(value)
    assert error.value.code == "nip"


@pytest.mark.parametrize("value", ["012100784", "123456785", "12345678512347"])
def test_valid_regon(value):
    validate_regon(value)


@pytest.mark.parametrize("value", ["012100785", "12345678", "12345678512348", "REGON0000"])
def test_invalid_regon(value):
    with pytest.raises(ValidationError) as error:
        validate_regon(value)
    assert error.value.code == "regon"


@pytest.mark.parametrize("value", ["PL61109010140000071219812874", "PL61 1090 1014 0000 0712 1981 2874"])
def test_valid_polish_iban(value):
    validate_polish_iban(value)


def test_iban_with_a_wrong_check_digit_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_polish_iban("PL62109010140000071219812874")
    assert error.value.code == "iban"


def test_foreign_iban_is_refused_with_its_own_message():
    with pytest.raises(ValidationError) as error:
        validate_polish_iban("DE89370400440532013000")
    assert error.value.code == "iban_country"


@pytest.mark.parametrize("value", ["", "0000012345"])
def test_valid_krs(value):
    validate_krs(value)


@pytest.mark.parametrize("value", ["12345", "00000123456", "00000ABCDE"])
def test_invalid_krs(value):
    with pytest.raises(ValidationError):
        validate_krs(value)


@given(st.integers(min_value=1, max_value=10**12))
def test_generated_identifiers_are_always_valid(seed):
    validate_nip(make_nip(seed))
    validate_regon(make_regon(seed))
    validate_polish_iban(make_iban(seed))


@pytest.mark.django_db
def test_client_model_refuses_a_bad_nip():
    from tests.factories import ClientFactory

    client = ClientFactory.build(nip="1234567890")
    with pytest.raises(ValidationError) as error:
        client.full_clean()
    assert "nip" in error.value.message_dict
