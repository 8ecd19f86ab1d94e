"""The API's guide for developers: the description at the top of /api/docs/ and /api/schema/.

Plain text, no Django or DRF import: the settings build it (with the configured throttle rates).
"""

from __future__ import annotations

# What each throttle scope counts (backend/core/throttling.py; the rates are settings).
THROTTLE_SCOPE_ACTIONS: dict[str, str] = {
    "duplicates": "ordering an invoice duplicate",
    "exports": "PDF, XLSX and CSV files rendered on request: invoices, duplicates, schedules, buyout quotes",
    "zip_exports": "the monthly accounting ZIP",
    "uploads": "attachments uploaded for requests and messages",
    "submissions": "submitting requests, buyout quotes and requests from a quote",
    "messages": "new message threads, comments, staff answers",
    "invites": "inviting users and issuing a new activation code",
}

_GUIDE = """\
Client portal and request processing of a leasing company: the API behind the portal's own pages. JSON in and
out (files and exports aside); every error is `{{"code", "message", "fields"}}`, the message in the user's language (Polish unless the
user chose English).

## Authentication: the portal's session

There are no API keys or tokens: the API uses the session of the portal's login page, as the browser does.
Logged in to the portal in this browser, "Try it out" below works as it is.

1. `GET /login/` gives the `csrftoken` cookie and the form's hidden `csrfmiddlewaretoken`.
2. `POST /login/` as a form (`application/x-www-form-urlencoded`): `username` (the e-mail), `password`,
   `csrfmiddlewaretoken`; over HTTPS also a `Referer` header of the portal's address.
3. Staff, analysts, administrators, client administrators and anyone who turned it on then get the second
   step: the login redirects to `/login/code/`; `POST` there `code` (the authenticator app's current code or a
   recovery code) with that page's `csrfmiddlewaretoken`. Without an app yet, the portal asks to enrol one
   in the browser first.
4. The answer sets the `sessionid` cookie: send it with every call. It ends after {idle_minutes:g} minutes
   without a call and {absolute_hours:g} hours after the login, whichever comes first; logging out
   (`POST /logout/`) ends it at once.
5. `POST`, `PUT`, `PATCH` and `DELETE` also need the header `X-CSRFToken` with the value of the `csrftoken`
   cookie (over HTTPS also a `Referer` or `Origin` of the portal). `GET` needs neither.

Answers: no session `401 not_authenticated` (header `WWW-Authenticate: Session`); an outlived session
`401 session_expired`; the second factor not given yet `403 second_factor_required`; a missing or wrong CSRF
token `403 csrf_failed`; another role's area or what the user's role in the company does not allow
`403 permission_denied`; another company's object `404 not_found`.

## The active company

A client user of several companies acts for one at a time, and every client endpoint answers for it (the
session remembers the choice). `GET /api/client/companies/` lists the user's companies with `is_active`;
`POST /api/client/companies/switch/` with `{{"client_id": <id>}}` switches, like the switcher in the portal's
header (`POST /client/switch/`). Staff act for no company.

## Paths, lists and filters

Every path but the KSeF XML's (`…/ksef.xml`) ends with a slash. A `GET` without it is redirected; a `POST`, `PUT`, `PATCH` or `DELETE` is not
(a client would repeat it as a `GET`): `404 not_found` names the path with the slash.
Lists are pages of 25: `page` (from 1, or `last`) and `page_size` (1 to 200); anything else is `400 invalid`,
a page past the last `404`. A filter value that is not one of its documented values is `400 invalid`, with
the parameter named in `fields`; so is a date range whose end is before its start.

## Limits

- Request bodies: at most {body_mb} MB besides the files of a multipart upload (`413 too_large`); a file at
  most {upload_mb} MB.
- Per user, for work that is expensive or kept for good, in a window of the given length; over it
  `429 throttled` with `Retry-After` (seconds):
{limits}
"""


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def api_description(
    rates: dict[str, str | None],
    *,
    body_bytes: int,
    upload_bytes: int,
    idle_seconds: int,
    absolute_seconds: int,
) -> str:
    """The guide with the configured throttle rates, size limits and session lifetimes."""
    limits = "\n".join(
        f"  - `{scope}`: {rate or 'no limit'} ({THROTTLE_SCOPE_ACTIONS.get(scope, scope)})"
        for scope, rate in rates.items()
    )
    return _GUIDE.format(
        limits=limits,
        body_mb=_megabytes(body_bytes),
        upload_mb=_megabytes(upload_bytes),
        idle_minutes=idle_seconds / 60,
        absolute_hours=absolute_seconds / 3600,
    )
