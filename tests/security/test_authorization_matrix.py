"""Authorization matrix: every API operation × every role × client B's objects gives 0 cross-client successes.

The operations come from the generated OpenAPI schema, cross-checked with the URL resolver, so a new
endpoint is in the matrix without editing this file (a new path parameter or permission class makes the
matrix fail until it is taught what that parameter names or whom that permission admits).
Who may reach B's objects by design is derived from each view's permission classes: a class that admits
back-office roles (IsBackOffice, IsAnalyst) lets them see every client's objects (staff endpoints);
a class that admits client users (IsClientUser) or any logged-in user (IsAuthenticated) gives access
only to the user's own objects — the active client's, or the user's own notices.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from rest_framework.permissions import AND, NOT, OR, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.serializers import ListSerializer
from rest_framework.test import APIClient

from backend.clients.active import activate_client
from backend.clients.models import Client, ClientMembership
from backend.clients.permissions import HasClientArea
from backend.core.permissions import IsAnalyst, IsBackOffice, IsClientAccount, IsClientUser
from tests.requests_app.helpers import PDF_BYTES, submission
from tests.security.world import MARKER_B, ClientWorld, World, build_world

pytestmark = pytest.mark.django_db

# Not API operations: the schema document itself and its Swagger page.
NOT_OPERATIONS = {"/api/schema/", "/api/docs/"}
HTTP_METHODS = ("get", "post", "put", "patch", "delete")


class Access(enum.IntEnum):
    DENIED = 0
    OWN = 1  # the user's own objects only (the active client's; the user's own notices)
    ALL = 2  # every client's objects: the back office by design


# What each permission class grants once it admits a user. A new class must be added here on purpose.
SCOPE_OF_PERMISSION: dict[type[BasePermission], Access] = {
    IsClientUser: Access.OWN,
    IsClientAccount: Access.OWN,  # the user's own invitations, before acting for any company
    HasClientArea: Access.OWN,  # the role's areas of the portal (backend/clients/access_rules.py)
    IsAuthenticated: Access.OWN,
    IsBackOffice: Access.ALL,
    IsAnalyst: Access.ALL,
}


@dataclass(frozen=True)
class Role:
    name: str
    owns_b: bool = False  # acts for client B (B's objects and B's user's notices are its own)
    # A user of B limited to B's other contract: acts for B, yet every object of the world is outside
    # its contracts, so it must reach none of them (only the company's own data names B).
    limited_in_b: bool = False


ROLES = [
    Role("anonymous"),
    Role("client_a"),
    Role("client_b", owns_b=True),
    Role("dual_user_acting_for_a"),
    Role("fleet_manager_of_bs_other_contract", limited_in_b=True),
    Role("accountant_of_bs_other_contract", limited_in_b=True),
    Role("staff"),
    Role("analyst"),
    Role("admin"),
]


def user_of(role: Role, world: World):
    return {
        "anonymous": None,
        "client_a": world.a.user,
        "client_b": world.b.user,
        "dual_user_acting_for_a": world.dual,
        "fleet_manager_of_bs_other_contract": world.fleet_manager_b,
        "accountant_of_bs_other_contract": world.accountant_b,
        "staff": world.staff,
        "analyst": world.analyst,
        "admin": world.admin,
    }[role.name]


# --- operations: schema × URL resolver ---------------------------------------------------------------


def _resolver_routes(patterns=None, prefix: str = "") -> list[tuple[str, Any]]:
    routes = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes.extend(_resolver_routes(pattern.url_patterns, route))
        elif isinstance(pattern, URLPattern):
            routes.append((route, pattern.callback))
    return routes


def api_routes() -> dict[str, set[str]]:
    """`/api/...` path templates of the URL conf with the HTTP methods their views implement."""
    routes: dict[str, set[str]] = {}
    for route, callback in _resolver_routes():
        if not route.startswith("api/"):
            continue
        path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        methods = {m for m in HTTP_METHODS if view_class is not None and hasattr(view_class, m)}
        routes.setdefault(path, set()).update(methods)
    return routes


@dataclass
class Operation:
    path: str
    method: str
    operation: dict
    view: Any  # the view instance drf-spectacular built (its schema knows the response serializer)

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def path_params(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.path)


@pytest.fixture(scope="module")
def schema_and_operations() -> Iterator[tuple[dict, list[Operation]]]:
    generator = SchemaGenerator()
    schema = generator.get_schema(request=None, public=True)
    views = {(path, method.lower()): view for path, _, method, view in generator._get_paths_and_endpoints()}
    operations = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                view = views[(path, method)]
                view.schema.method, view.schema.path = method.upper(), path
                operations.append(Operation(path, method, operation, view))
    # The views hold their schemas by weak reference; the generator keeps them alive.
    yield schema, operations
    del generator


def test_every_api_url_and_method_is_an_operation_of_the_schema(schema_and_operations):
    # given
    schema, _ = schema_and_operations
    documented = {path: {m for m in item if m in HTTP_METHODS} for path, item in schema["paths"].items()}

    # when
    routes = {path: methods for path, methods in api_routes().items() if path not in NOT_OPERATIONS}

    # then: an endpoint left out of the schema would also be left out of the matrix
    assert routes == documented
    assert len(routes) > 40


def test_every_operation_documents_the_error_shape(schema_and_operations):
    # given
    schema, operations = schema_and_operations

    # then
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"code", "message", "fields"}
    for operation in operations:
        responses = operation.operation["responses"]
        for status in ("400", "401", "403", "404", "409", "503"):
            content = responses[status]["content"]["application/json"]["schema"]
            assert content == {"$ref": "#/components/schemas/Error"}, (operation.id, status)


# --- the expected access, from the permission classes ------------------------------------------------


def access_of(permission: BasePermission, request: Request, view) -> Access:
    if isinstance(permission, OR):
        return max(access_of(permission.op1, request, view), access_of(permission.op2, request, view))
    if isinstance(permission, AND):
        return min(access_of(permission.op1, request, view), access_of(permission.op2, request, view))
    if isinstance(permission, NOT):
        pytest.fail(f"{view.__class__.__name__}: the matrix cannot tell whom a NOT permission admits")
    scope = SCOPE_OF_PERMISSION.get(type(permission))
    if scope is None:
        pytest.fail(f"{view.__class__.__name__}: teach SCOPE_OF_PERMISSION what {permission!r} grants")
    return scope if permission.has_permission(request, view) else Access.DENIED


def expected_access(operation: Operation, user) -> Access:
    """Ask the view's own permission classes (as DRF would for this method) whether they admit the user."""
    http_request = RequestFactory().generic(operation.method.upper(), operation.path)
    http_request.session = SessionStore()
    http_request.user = user or AnonymousUser()
    activate_client(http_request)  # what ActiveClientMiddleware does before every view
    request = Request(http_request)
    request.user = http_request.user
    view = type(operation.view)()
    view.request, view.args, view.kwargs, view.format_kwarg = request, (), {}, None
    access = Access.ALL
    for permission in view.get_permissions():
        access = min(access, access_of(permission, request, view))
    return access


# --- requests filled with client B's objects ---------------------------------------------------------


def object_id(owner: ClientWorld, path: str, name: str) -> int:
    """The id of the owner's object a path parameter or body field names; a new name fails the matrix."""
    value = owner.object_id(path, name)
    if value is None:
        pytest.fail(
            f"{path}: the matrix has no client object for {name!r}; add one to tests/security/world.py"
        )
    return value


def _resolve_ref(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].split("/")[-1]]
    if "allOf" in node and len(node["allOf"]) == 1:
        return _resolve_ref(schema, node["allOf"][0])
    return node


def is_id_property(schema: dict, name: str, node: dict) -> bool:
    node = _resolve_ref(schema, node)
    if name.endswith("_ids") and node.get("type") == "array":
        return _resolve_ref(schema, node.get("items", {})).get("type") == "integer"
    return name.endswith("_id") and node.get("type") == "integer"


def minimal_value(schema: dict, name: str, node: dict, owner: ClientWorld, path: str) -> Any:
    """A small valid value of a schema node; ids (`*_id`, `*_ids`) name the owner's objects."""
    node = _resolve_ref(schema, node)
    if "enum" in node:
        return next(value for value in node["enum"] if value is not None)
    kind = node.get("type")
    if kind == "integer":
        return object_id(owner, path, name) if name.endswith("_id") else 1
    if kind == "string" and node.get("format") == "binary":
        return SimpleUploadedFile("skan.pdf", PDF_BYTES, content_type="application/pdf")
    if kind == "object":
        props = node.get("properties", {})
        # Required properties, and every id property: ids in bodies are a way to another client's objects.
        keys = [
            key for key in props if key in node.get("required", []) or is_id_property(schema, key, props[key])
        ]
        return {key: minimal_value(schema, key, props[key], owner, path) for key in keys}
    if kind == "array":
        if name.endswith("_ids"):
            # only attachments are referenced by id lists: the upload of the path's own kind
            spare = owner.spare_message_attachment if "/messages/" in path else owner.spare_attachment
            return [spare.pk]
        return []
    if kind == "boolean":
        return True
    return "Minimalna treść"


# Bodies the schema alone cannot make valid: the submit's form depends on the kind. A kind the world has
# no open request of, so the owner's submit succeeds and another client's fails only for the contract.
def _submit_for_contract_of(owner: ClientWorld) -> dict:
    return submission(
        "schedule_change", contract=owner.contract, data={"months": 48, "installment_option": "auto"}
    )


BODY_OVERRIDES = {"requests_submit": _submit_for_contract_of}


def request_body(schema: dict, operation: Operation, owner: ClientWorld) -> tuple[Any, str]:
    override = BODY_OVERRIDES.get(operation.operation["operationId"])
    if override:
        return override(owner), "json"
    content = operation.operation.get("requestBody", {}).get("content", {})
    if not content:
        return None, "json"
    media_type = "application/json" if "application/json" in content else "multipart/form-data"
    body = minimal_value(schema, "", content[media_type]["schema"], owner, operation.path)
    return body, "json" if media_type == "application/json" else "multipart"


def has_ids(body: Any) -> bool:
    return isinstance(body, dict) and any(re.search(r"_ids?$", key) for key in body)


@dataclass
class Case:
    operation: Operation
    path_ids: dict[str, int]
    body: Any
    format: str
    touches_b: bool  # names at least one of B's objects (in the path or the body)
    only_b: bool  # names B's objects only, so B's own users may reach it
    refusals: tuple[int, ...]  # what a role without access to B's objects must get


# Operations that change which company the session acts for: every other case assumes the role's company
# stays as it is (the dual user may switch to B). Who may switch where: tests/api_http/test_api_authentication.py.
SWITCHES_COMPANY = {"client_companies_switch"}
# Operations that list the user's own companies (the switcher's list): B's name is in it for B's members.
LISTS_OWN_COMPANIES = {"client_companies_list"}
# Lists of the caller's own rows, not the company's: the invitations other companies sent the caller
# (B's own memberships are never among them; leaking B's rows to others is still checked).
LISTS_CALLERS_OWN_ROWS = {"client_invitations_list"}


def cases_for(schema: dict, operations: list[Operation], world: World) -> list[Case]:
    """Every operation with B's objects in the path and the body; and the mixes nobody's client owns.

    Mixes: A's parent with B's child in the path (B's policy under A's contract); A's object in the path
    with B's ids in the body (B's attachment on a comment to A's request). Reads go first: a write a role
    may do (staff approving B's request) must not change what it reads.
    """
    cases = []
    for operation in sorted(operations, key=lambda op: op.method != "get"):
        if operation.operation["operationId"] in SWITCHES_COMPANY:
            continue
        params = operation.path_params
        b_path = {name: object_id(world.b, operation.path, name) for name in params}
        a_path = {name: object_id(world.a, operation.path, name) for name in params}
        body, fmt = request_body(schema, operation, world.b)
        body_ids = has_ids(body) or operation.operation["operationId"] in BODY_OVERRIDES
        cases.append(
            Case(
                operation, b_path, body, fmt, bool(params) or body_ids, True, (404,) if params else (400, 404)
            )
        )
        if len(params) > 1:
            mixed = {**b_path, params[0]: a_path[params[0]]}
            cases.append(Case(operation, mixed, body, fmt, True, False, (404,)))
        if params and body_ids:
            # A's own object: the step may also refuse for its state, but never take B's ids.
            cases.append(Case(operation, a_path, body, fmt, True, False, (400, 404, 409)))
    return cases


def response_model(operation: Operation):
    """The model of the rows an operation answers with (from the serializer its schema documents)."""
    serializer = operation.view.schema.get_response_serializers()
    if isinstance(serializer, dict):
        by_status = {str(code[0] if isinstance(code, tuple) else code): s for code, s in serializer.items()}
        serializer = by_status[min(by_status)]
    if isinstance(serializer, ListSerializer):
        serializer = serializer.child
    return getattr(getattr(serializer, "Meta", None), "model", None)


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        # Reading it to the end closes it (the test client's wrapper; closing it again would close the DB).
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", errors="replace")


def listed_ids(text: str) -> set | None:
    """The ids of the rows of a list answer (a JSON array or a page of `results`); None when not a list."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        data = data["results"]
    if not isinstance(data, list):
        return None
    return {row["id"] for row in data if isinstance(row, dict) and "id" in row}


# --- the matrix ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES, ids=[role.name for role in ROLES])
def test_no_role_reaches_another_clients_objects(role, schema_and_operations):
    # given: clients A and B with one of everything each, and the role's API client
    schema, operations = schema_and_operations
    world = build_world()
    user = user_of(role, world)
    api = APIClient()
    if user is not None:
        api.force_login(user)
    problems: list[str] = []
    active = ClientMembership.Status.ACTIVE
    member_of_b = user is not None and world.b.client.memberships.filter(user=user, status=active).exists()

    for case in cases_for(schema, operations, world):
        operation = case.operation
        access = expected_access(operation, user)
        path = operation.path.format(**case.path_ids)

        # when
        response = getattr(api, operation.method)(path, case.body, format=case.format)
        text = body_of(response)
        status = response.status_code
        label = (
            f"{role.name}: {operation.method.upper()} {path} {json.dumps(case.body, default=str)} -> {status}"
        )

        # then
        if status >= 500:
            problems.append(f"{label} (server error)")
            continue
        if access is Access.DENIED:
            # Without a session: not authenticated (401); a logged-in role refused: 403.
            refused = 401 if user is None else 403
            if status != refused:
                problems.append(f"{label}: the permission classes refuse this role, expected {refused}")
            continue
        may_reach_b = access is Access.ALL or (access is Access.OWN and role.owns_b and case.only_b)
        if case.touches_b and not may_reach_b:
            if status not in case.refusals:
                problems.append(f"{label}: names another client's objects, expected one of {case.refusals}")
            continue
        model = response_model(operation)
        b_rows = world.b.ids.get(model, set())
        listed = listed_ids(text) if status == 200 and operation.method == "get" else None
        if not may_reach_b:
            # The company's own data (its name carries the marker) is the limited user's company, and a
            # member of B (the dual user too) finds B among its own companies.
            own_company = (role.limited_in_b and model is Client) or (
                operation.operation["operationId"] in LISTS_OWN_COMPANIES and member_of_b
            )
            if MARKER_B in text and not own_company:
                problems.append(f"{label}: the answer shows client B's data ({MARKER_B})")
            if listed and listed & b_rows:
                problems.append(f"{label}: lists client B's {model.__name__} ids {sorted(listed & b_rows)}")
        elif operation.method == "get" and case.touches_b and status != 200:
            # The ids are real: the roles entitled to B's objects do get them (the matrix is not vacuous).
            problems.append(f"{label}: B's own object should be readable by this role")
        elif (
            listed is not None
            and b_rows
            and not case.touches_b
            and not listed & b_rows
            and operation.operation["operationId"] not in LISTS_CALLERS_OWN_ROWS
        ):
            problems.append(f"{label}: this role should see B's {model.__name__} rows in the list")

    assert problems == []
