"""A staff day on the task page and list: two staff members, requests of the demo client (the
`open_request` fixture is tests/conftest.py's, `browsing_as` tests/request_helpers.py's)."""
