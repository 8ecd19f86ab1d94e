"""The bank's signer of assertions, for the single sign-on tests of this package."""

from tests.sso.conftest import bank_keys, sign  # noqa: F401
