"""The permit suite's vehicle contract (its rules pass), for the permit form's dates."""

from tests.permits.conftest import vehicle_contract  # noqa: F401
