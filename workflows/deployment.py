"""Deploying BPMN files as process versions, and reading deployed versions (cached per process).

A version never changes once stored: deploy validates the file (engine, contract, deploy rules), runs its
test run and stores it with its forms; `get_version` (and versioning.parsed, the spec) then serve steps
from a per-process cache.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from backend.core.exceptions import Conflict, PortalValidationError
from workflows import engine
from workflows.contract import CONTRACTS
from workflows.deploy_rules import deploy_checks
from workflows.forms import form_exists, load_form
from workflows.models import ProcessVersion
from workflows.service_tasks import registered_names


def bpmn_dir() -> Path:
    return Path(settings.BASE_DIR) / "bpmn"


def bpmn_problems_error(problems: list[engine.BpmnProblem]) -> PortalValidationError:
    fields: dict[str, list[str]] = {}
    for problem in problems:
        fields.setdefault(problem.element_id or "bpmn", []).append(problem.message)
    return PortalValidationError(_("The BPMN file has errors."), fields=fields)


def _form_schema(form_key: str) -> dict | None:
    return load_form(form_key) if form_exists(form_key) else None


def parse_for_deploy(xml: str, dmn: dict[str, str] | None = None) -> engine.ParsedProcess:
    """Parse with every check a deploy needs; raise PortalValidationError keyed by element id.

    Besides the engine's checks, the file must keep its request type's lifecycle contract
    (workflows/contract.py) and pass the deploy rules (workflows/deploy_rules.py).
    """
    from workflows.dmn import tables_for_deploy

    dmn = tables_for_deploy(xml, dmn)  # the called tables: uploaded, else shipped in bpmn/dmn/
    try:
        return engine.parse_bpmn(
            xml,
            form_exists=form_exists,
            known_services=registered_names(),
            deploy_checks=deploy_checks(contracts=CONTRACTS, form_schema=_form_schema),
            dmn=dmn,
        )
    except engine.BpmnValidationError as exc:
        raise bpmn_problems_error(exc.problems) from exc


def deploy_bpmn_version(
    *, xml: str, by=None, request=None, dmn: dict[str, str] | None = None
) -> ProcessVersion:
    """Validate, test-run and store the BPMN as the next version of its process, and make it current.

    The same content gives the same version (made current again). A failed test run refuses the deploy
    (PortalValidationError keyed by the element each failing path stopped at); the version's test run
    result is kept on it (`test_run`).
    """
    from workflows import versioning
    from workflows.dmn import tables_for_deploy

    # The decision tables go with the version: uploaded ones, else the shipped bpmn/dmn/<id>.dmn.
    dmn = tables_for_deploy(xml, dmn)
    process = parse_for_deploy(xml, dmn)
    forms = {key: load_form(key) for key in process.form_keys}
    run = versioning.run_test(process, forms)
    if not run.passed:
        raise versioning.test_run_error(run)
    checksum = hashlib.sha256(
        (
            xml
            + json.dumps(forms, sort_keys=True, ensure_ascii=False)
            + (json.dumps(dmn, sort_keys=True, ensure_ascii=False) if dmn else "")
        ).encode("utf-8")
    ).hexdigest()
    existing = ProcessVersion.objects.filter(process_key=process.process_key, checksum=checksum).first()
    if existing is not None:
        return _reactivate(existing, run=run, by=by, request=request)
    try:
        with transaction.atomic():
            last = ProcessVersion.objects.filter(process_key=process.process_key).aggregate(n=Max("number"))[
                "n"
            ]
            version = ProcessVersion.objects.create(
                process_key=process.process_key,
                number=(last or 0) + 1,
                bpmn_xml=xml,
                forms=forms,
                dmn=dmn,
                checksum=checksum,
                deployed_by=by if getattr(by, "pk", None) else None,
                test_run=run.to_dict(),
            )
            versioning.make_current(
                version=version, by=by, action=versioning.Activation.DEPLOY, request=request
            )
            return version
    except IntegrityError:
        # A concurrent deploy of the same file won the race.
        existing = ProcessVersion.objects.filter(process_key=process.process_key, checksum=checksum).first()
        if existing is None:
            raise Conflict() from None
        return _reactivate(existing, run=run, by=by, request=request)


def _reactivate(version: ProcessVersion, *, run, by, request) -> ProcessVersion:
    """Deploying existing content makes that version current again (audited when it changes anything)."""
    from workflows import versioning

    ProcessVersion.objects.filter(pk=version.pk).update(test_run=run.to_dict())
    version.test_run = run.to_dict()
    versioning.make_current(version=version, by=by, action=versioning.Activation.REACTIVATE, request=request)
    return version


def builtin_process_files() -> dict[str, Path]:
    return {path.stem: path for path in sorted(bpmn_dir().glob("*.bpmn"))}


def deploy_builtin_processes(**kwargs) -> list[ProcessVersion]:
    """Deploy each bpmn/*.bpmn as version 1 of its process when that process has no version yet.

    Idempotent; called after migrate (post_migrate) and lazily by `get_current_version`. A process
    that already has versions is left alone: new versions come from analysts, not from start-up.
    """
    deployed = []
    for key, path in builtin_process_files().items():
        if not ProcessVersion.objects.filter(process_key=key).exists():
            deployed.append(deploy_bpmn_version(xml=path.read_text(encoding="utf-8")))
    return deployed


# Deployed versions never change, so each process keeps the rows it has read: a step then reads only
# its instance row and the version's checksum, not the BPMN text and forms. The checksum is part of the
# key because an id can come back after a rolled-back deploy (SQLite reuses the highest rowid).
_versions: dict[tuple[int, str], ProcessVersion] = {}


def get_version(version_id: int, checksum: str) -> ProcessVersion:
    """Return the deployed version (id, checksum), from this process's cache after the first read."""
    version = _versions.get((version_id, checksum))
    if version is None:
        version = ProcessVersion.objects.filter(pk=version_id, checksum=checksum).first()
        if version is None:
            raise ProcessVersion.DoesNotExist(version_id)
        _versions[(version_id, checksum)] = version
    return version


def get_current_version(process_key: str) -> ProcessVersion:
    """Return the version new instances start on (deploying the built-in file if none exists yet).

    That is the current version (workflows/versioning.py), not necessarily the newest one.
    """
    from workflows import versioning

    current = versioning.current_version_id(process_key)
    if current is None:
        path = builtin_process_files().get(process_key)
        if path is None:
            raise LookupError(process_key)
        return deploy_bpmn_version(xml=path.read_text(encoding="utf-8"))
    return get_version(*current)
