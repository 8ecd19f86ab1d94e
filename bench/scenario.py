"""The benchmark scenario (payment day change: submit → ask client → reply → approve) over the API."""

from __future__ import annotations

from bench.common import Skip

raise Skip("the request API of backend/requests_app is not there yet")
