"""Making an older version of a process current again: the analyst's rollback, with its reason."""

from __future__ import annotations

from django.utils.translation import gettext as _

from backend.core.exceptions import PortalValidationError
from workflows import versioning
from workflows.deployment import parse_for_deploy
from workflows.models import ProcessVersion


def rollback(*, version: ProcessVersion, by, reason: str, request=None) -> ProcessVersion:
    """Make another version of the process current again, after its test run passes and today's deploy
    rules take its file: a version stored before a rule was tightened (or the lifecycle contract changed)
    would start new requests on a process a deploy of the same file now refuses."""
    reason = (reason or "").strip()
    if not reason:
        message = _("Say why the version is rolled back.")
        raise PortalValidationError(message, fields={"reason": [message]})
    current = versioning.current_version_id(version.process_key)
    if current is not None and current[0] == version.pk:
        message = _("Version %(n)d is already the current one.") % {"n": version.number}
        raise PortalValidationError(message, fields={"version_id": [message]})
    run = versioning.test_version(version)
    if not run.passed:
        raise versioning.test_run_error(run)
    parse_for_deploy(version.bpmn_xml, version.dmn or None, process_key=version.process_key)
    versioning.make_current(
        version=version, by=by, action=versioning.Activation.ROLLBACK, reason=reason, request=request
    )
    return version
