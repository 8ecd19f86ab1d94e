"""The `claimed` field of a staff step's answer (a decision, a question, a counter-offer, an extension)."""

from __future__ import annotations

from rest_framework import serializers

CLAIMED_HELP = (
    "Whether this step claimed the unclaimed task for you (the first step on an unclaimed task claims it);"
    " false when you held it already."
)


def claimed_field(**options) -> serializers.BooleanField:
    """The field; `source="claimed_in_step"` where it reads the request the step returned."""
    return serializers.BooleanField(help_text=CLAIMED_HELP, **options)
