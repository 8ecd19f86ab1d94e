"""Moving a batch of requests' process instances to another version in one action (analysts).

The batch is the dry run's selection (ids, or a filter by version and stage). Each instance moves in its
own transaction through the one-instance move (backend/requests_app/version_moves.py), so each move keeps
its clocks, writes its request's history row and its audit row; one that cannot move is reported with
its reason and leaves the others to move.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _

from backend.core.exceptions import PortalError, PortalValidationError
from backend.requests_app import version_moves
from workflows import versioning
from workflows.models import ProcessInstance, ProcessVersion

logger = logging.getLogger(__name__)

# As many as one dry run shows: a larger selection moves in several actions.
BATCH_LIMIT = 200


@dataclass(frozen=True)
class MoveResult:
    instance_id: int
    request_number: str
    from_version: int | None
    to_version: int
    moved: bool
    code: str = ""  # the refusal's error code, "" when moved
    message: str = ""
    element_id: str = ""  # the BPMN element that blocked the move, when one did

    def to_dict(self) -> dict:
        return asdict(self)


def _refused(instance: ProcessInstance, to_version: ProcessVersion, error: PortalError) -> MoveResult:
    element_id = ""
    if isinstance(error, PortalValidationError):
        element_id = next((key for key in error.fields if key != "version_id"), "")
    return MoveResult(
        instance_id=instance.pk,
        request_number=_number(instance),
        from_version=instance.process_version.number,
        to_version=to_version.number,
        moved=False,
        code=error.code,
        message=str(error.message),
        element_id=element_id,
    )


def _number(instance: ProcessInstance) -> str:
    portal_request = getattr(instance, "portal_request", None)
    return portal_request.number if portal_request is not None else ""


def move_instances(
    *,
    to_version: ProcessVersion,
    instance_ids: list[int] | None = None,
    from_version_id: int | None = None,
    stage: str = "",
    by=None,
    request=None,
) -> list[MoveResult]:
    """Move every picked running instance of `to_version`'s process to it; one result per instance."""
    instances = list(
        versioning.instances_to_move(
            process_key=to_version.process_key,
            instance_ids=instance_ids,
            from_version_id=from_version_id,
            stage=stage,
            limit=BATCH_LIMIT,
        )
    )
    results: list[MoveResult] = []
    for instance in instances:
        if instance.process_version_id == to_version.pk:
            results.append(
                MoveResult(
                    instance.pk,
                    _number(instance),
                    to_version.number,
                    to_version.number,
                    moved=False,
                    code="already_on_version",
                    message=_("The request already runs on this version."),
                )
            )
            continue
        try:
            # Its own transaction: a refusal rolls back this instance only.
            version_moves.migrate_instance(
                instance_id=instance.pk, to_version=to_version, by=by, request=request
            )
        except PortalError as exc:
            results.append(_refused(instance, to_version, exc))
        except Exception:  # An engine failure of one instance must not stop the batch.
            logger.exception("Moving process instance %s to version %s failed", instance.pk, to_version.pk)
            results.append(
                MoveResult(
                    instance.pk,
                    _number(instance),
                    instance.process_version.number,
                    to_version.number,
                    moved=False,
                    code="move_failed",
                    message=_("The move failed; the request stays on its version."),
                )
            )
        else:
            results.append(
                MoveResult(
                    instance.pk,
                    _number(instance),
                    instance.process_version.number,
                    to_version.number,
                    moved=True,
                )
            )
    # Picked ids that are not running instances of this process: said, not silently dropped.
    found = {instance.pk for instance in instances}
    for missing in sorted(set(instance_ids or ()) - found):
        results.append(
            MoveResult(
                missing,
                "",
                None,
                to_version.number,
                moved=False,
                code="not_movable",
                message=_("Only a running request of this process can move to another version."),
            )
        )
    return results
