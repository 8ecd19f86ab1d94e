import logging

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _deploy_builtin_processes(sender, using="default", **kwargs) -> None:
    from workflows.services import deploy_builtin_processes

    if using == "default":
        deploy_builtin_processes()


class WorkflowsConfig(AppConfig):
    name = "workflows"
    label = "workflows"
    verbose_name = _("Workflows")

    def ready(self) -> None:
        # SpiffWorkflow logs every task state change at INFO; keep its warnings only.
        logging.getLogger("spiff").setLevel(logging.WARNING)
        # A message about an element (an incident's reason) names it as the version's diagram does.
        from workflows import reason_words, stage_labels

        reason_words.register_element_names(stage_labels.element_names)
        # bpmn/*.bpmn become version 1 of their processes right after migrate (idempotent).
        post_migrate.connect(_deploy_builtin_processes, sender=self, dispatch_uid="workflows_deploy_builtin")
