"""The API's guide for developers: the description at the top of /api/docs/ and /api/schema/.

Plain text, no Django or DRF import: the settings build it (with the configured throttle rates). It is the
one list of the error codes the API answers (`ERROR_CODES`; tests/api_docs18 checks that every code the
code base raises is in it).
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
    "drafts": "saving a draft (PUT /api/drafts/)",
}

# Every `code` of the error shape: its HTTP status and what it means. Grouped as clients meet them.
ERROR_CODES: dict[str, tuple[int, str]] = {
    "invalid": (
        400,
        "Input refused: `fields` names each wrong field or query parameter with its messages (for a request's"
        ' submit also what its kind\'s `form_schema` refuses: `"yes"` for `true`, a key `data` does not list).',
    ),
    "parse_error": (
        400,
        "The body is not what its `Content-Type` says (e.g. malformed JSON, nested over 32 levels).",
    ),
    "bad_request": (400, "Refused before any view, e.g. a NUL character in the query or an unreadable body."),
    "not_authenticated": (401, "No session: log in (header `WWW-Authenticate: Session`)."),
    "session_expired": (
        401,
        "The session the cookie names has ended (idle, absolute, a logout in this browser or elsewhere, a"
        " password change, the account switched off; the message says which): log in again.",
    ),
    "permission_denied": (
        403,
        "Another role's area, what the user's role in the company does not allow, or no active company.",
    ),
    "csrf_failed": (
        403,
        "The `X-CSRFToken` header is missing or wrong (or, over HTTPS, the `Referer`/`Origin`).",
    ),
    "second_factor_required": (
        403,
        "A logged-in session that must still set up or confirm two-step login (after the password alone the"
        " session is not logged in yet: `401 not_authenticated` until the code is given).",
    ),
    "not_found": (
        404,
        "No such path or object, or it belongs to another company or a contract the user may not see.",
    ),
    "method_not_allowed": (
        405,
        "The path does not take this method (the `Allow` header lists those it does).",
    ),
    "not_acceptable": (406, '`Accept` names no type the operation answers (see "Content types").'),
    "conflict": (409, "Someone changed the object first (e.g. the thread or task changed hands): reload."),
    "invalid_transition": (
        409,
        "The action is not possible in the request's current state (e.g. cancel a decided one).",
    ),
    "request_closed": (
        409,
        "A client's comment (or its attachments) on a request that has ended (decided, completed or"
        " cancelled): submit a new request or write a message.",
    ),
    "task_not_ready": (
        409,
        "The step was completed meanwhile or is not available (or `task_id` is not the current one).",
    ),
    "task_already_claimed": (409, "Another staff member holds the task (the message names who)."),
    "idempotency_key_reused": (409, "The `Idempotency-Key` was used before with a different body."),
    "client_changed": (409, "The session acts for another company than the one the form or draft was for."),
    "too_many_drafts": (409, "The user keeps the most drafts allowed: send or discard one before a new one."),
    "buyout_quote_taken": (409, "The buyout quote has already been turned into a request."),
    "ksef_unsupported_vat_rate": (409, "The invoice has a VAT rate the KSeF FA(3) XML cannot carry."),
    "version_changed": (409, "Another process version became current after the edit began."),
    "old_version_content": (409, "The diagram is another, older version's: roll back to it instead."),
    "instance_suspended": (409, "The request's process instance is suspended by an administrator."),
    "repair_refused": (409, "The repair action does not fit the instance's state."),
    "workflow_incident": (409, "A process step failed and was rolled back; an incident was recorded."),
    "buyout_quote_refused": (
        400,
        "The quote cannot be used (expired, used, or the contract is no longer active).",
    ),
    "contract_not_open": (400, "The approval would change a contract that has ended since the submit."),
    "buyout_in_progress": (400, "A buyout of the contract is under way: the approval would change it."),
    "permit_trip_ended": (400, "The permit's trip is over: it can no longer be approved."),
    "reply_link_invalid": (
        410,
        "The reply link (/reply/…, outside /api/) is used, expired or answered already.",
    ),
    "too_large": (413, 'The body is over the size limit (see "Limits").'),
    "unsupported_media_type": (
        415,
        'The body\'s `Content-Type` is not one the operation reads (see "Content types").',
    ),
    "throttled": (429, "Too many calls of this kind: try again after `Retry-After` seconds."),
    "exports_in_progress": (429, "Two accounting ZIPs of the user's are being prepared: wait for one."),
    "login_locked": (
        429,
        "`POST /login/` (or the code step): too many failed logins of this account from this address; it"
        " logs in elsewhere. Try after `Retry-After` seconds.",
    ),
    "address_locked": (
        429,
        "`POST /login/`: too many failed logins from this address, whatever the account; every account is"
        " refused from it. Try after `Retry-After` seconds.",
    ),
    "account_locked": (
        429,
        "`POST /login/`: too many failed logins of this account from many addresses; refused everywhere"
        " until a password reset or an administrator ends it (no `Retry-After`).",
    ),
    "server_error": (500, "An unexpected error (logged): try again later."),
    "service_unavailable": (503, "The database is unavailable: try again after `Retry-After` seconds."),
    "storage_unavailable": (
        503,
        "The file storage refused an upload (full or unavailable): nothing was stored; `fields.file` names the"
        " file. Try again later.",
    ),
    "export_failed": (200, "Inside a 200 answer: the `error` of an accounting ZIP whose build failed."),
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
   `csrfmiddlewaretoken`; over HTTPS also a `Referer` header of the portal's address. After too many
   failed logins it answers `429`; with `Accept: application/json` in the error shape, whose code says
   which limit: `login_locked` (this account from this address), `address_locked` (every account from
   this address) or `account_locked` (this account from everywhere, until a password reset).
3. Staff, analysts, administrators, client administrators and anyone who turned it on then get the second
   step: the login redirects to `/login/code/`; `POST` there `code` (the authenticator app's current code or a
   recovery code) with that page's `csrfmiddlewaretoken`. Without an app yet, the portal asks to enrol one
   in the browser first.
4. The answer sets the `sessionid` cookie: send it with every call. It ends after {idle_minutes:g} minutes
   without a call and {absolute_hours:g} hours after the login, whichever comes first; logging out
   (`POST /logout/`) ends it at once.
5. `POST`, `PUT`, `PATCH` and `DELETE` also need the header `X-CSRFToken` with the value of the `csrftoken`
   cookie (over HTTPS also a `Referer` or `Origin` of the portal). `GET` needs neither.

Answers: no session `401 not_authenticated` (header `WWW-Authenticate: Session`); `401 session_expired` when
the session ended (idle, absolute, logged out, ended elsewhere: the message says which); after the password, until the code is given, the session is not logged
in yet (`401 not_authenticated`); a logged-in session that must still set up or confirm two-step login
`403 second_factor_required`; a missing or wrong CSRF
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
Lists whose answer is `{{"count", "next", "previous", "results"}}` are pages of 25: `page` (a whole number
from 1, or `last`) and `page_size` (a whole number from 1; more than 200 gives 200, and the `next` and
`previous` links carry the size used); anything else is `400 invalid` naming the parameter, a page past the
last `404`. Lists answered as a plain array (a contract's schedule, items, policies and buyout quotes, an
invoice's duplicates, the companies, invitations, a request's comments, the catalogue, the drafts, the ops
lists, the process versions) are whole and take no `page`. A filter value that is not one of its
documented values is `400 invalid`, with the parameter named in `fields`; so is a date range whose end is
before its start.

A message thread (`GET /api/messages/{{id}}/`, `GET /api/staff/messages/{{id}}/`) answers its newest 30
messages, oldest first, with `message_count` (all of them), `earlier_count` and `earlier`: the address of the
messages before these (`?before=<message id>`), null when there are none. `limit` (a whole number from 1; more
than 100 gives 100, and `earlier` carries it) sets how many. A comment or a staff reply answers the thread's
header with the message it wrote (`messages` holds that one) and `earlier` to the ones before it.

## Content types

Send bodies as JSON (`Content-Type: application/json`); the examples are JSON. Forms
(`application/x-www-form-urlencoded`, `multipart/form-data`) are read too where the operation lists them: a
body with a nested object (a request's `contact`, `data`, `declarations`) is documented as JSON only, since a
form can carry it only as dotted keys (`contact.name=…`), and only as text: a request's declarations, JSON
`true`, cannot be sent that way. Files are uploaded as `multipart/form-data`
(field `file`, or a message's `attachments`). Another `Content-Type` is `415 unsupported_media_type`, a body
that is not what it says `400 parse_error`. Answers are JSON; file downloads answer the file's own type
(PDF, XLSX, CSV, XML, ZIP, DOCX): send `Accept: */*`, or that type; an `Accept` the operation cannot answer
is `406 not_acceptable`. A method the path does not take is `405 method_not_allowed`, for every role.

## Language

The schema and these pages are in English, the API's reference language. The `message` of an error, and
labels such as `status_label`, come in the user's language: Polish unless the user chose English. A request's
`status_label` is worded as the caller's own pages word it: the client API's answers say `waiting_for_client`
as "Waiting for your reply" ("Czeka na Twoją odpowiedź"), the staff API's as "Waiting for the client's
reply"; the `status` code is the same for both. The API ignores `Accept-Language` on purpose (as the
portal does); the language is the one saved for the user. To
change it, `POST /i18n/setlang/` as a form with `language` (`pl` or `en`) and the CSRF header: it is saved on
the user and used by every later call (and e-mails). `Content-Language` on each answer names it. Codes,
field names and enum values never change with the language.

## Conventions and known differences

Kept as they are so existing clients do not break:
- A contract is `contract_id` in bodies and in message threads, `contract` in query filters and in a
  request's list and detail answers.
- A request's kind-specific fields are `data` when submitted and `form_data` in the request's detail.
- A request's comment or reply text is `message`; a message thread's comment, reply and new message `body`.
- Uploads answer differently: a request attachment has `download_url` and `created_at`; a message
  attachment has `sha256` and no address (download it at `/api/messages/attachments/{{id}}/download/`).
- `POST` that creates answers 201; a retry of a submit with the same `Idempotency-Key` answers 200 (a
  request, a new message thread, a comment, a staff reply).

## Error codes

`code` is stable; `message` is for people and may change. Status, code, meaning:
{error_codes}

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
    # By status; a code seen inside an answer rather than as its status (below 400) comes last.
    by_status = sorted(ERROR_CODES.items(), key=lambda item: (item[1][0] < 400, item[1][0]))
    error_codes = "\n".join(f"- `{status}` `{code}`: {meaning}" for code, (status, meaning) in by_status)
    return _GUIDE.format(
        limits=limits,
        error_codes=error_codes,
        body_mb=_megabytes(body_bytes),
        upload_mb=_megabytes(upload_bytes),
        idle_minutes=idle_seconds / 60,
        absolute_hours=absolute_seconds / 3600,
    )
