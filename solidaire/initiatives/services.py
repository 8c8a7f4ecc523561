"""Writes on initiatives. The workflow's valid transitions live here and only here."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Initiative, Status, Transition

# (from, to) -> who may make it: "staff", "submitter", "system".
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (Status.SUBMITTED, Status.PUBLISHED): frozenset({"staff"}),
    (Status.SUBMITTED, Status.CHANGES_REQUESTED): frozenset({"staff"}),
    (Status.CHANGES_REQUESTED, Status.SUBMITTED): frozenset({"submitter", "staff"}),
    (Status.SUBMITTED, Status.REJECTED): frozenset({"staff"}),
    (Status.SUBMITTED, Status.WITHDRAWN): frozenset({"submitter"}),
    (Status.CHANGES_REQUESTED, Status.WITHDRAWN): frozenset({"submitter"}),
    (Status.PUBLISHED, Status.ARCHIVED): frozenset({"staff", "system"}),
}

# Transitions that must say why.
MESSAGE_REQUIRED = {
    (Status.SUBMITTED, Status.CHANGES_REQUESTED),
    (Status.SUBMITTED, Status.REJECTED),
}


class TransitionError(ValidationError):
    pass


def allowed_targets(status: str, actor: str) -> list[str]:
    return [to for (frm, to), actors in TRANSITIONS.items() if frm == status and actor in actors]


def initiative_transition(
    *, initiative: Initiative, to: str, actor: str, by=None, message: str = ""
) -> Initiative:
    """Move an initiative to ``to`` if the workflow allows it, recording the step.

    The row is locked and re-read so two moderators acting at once cannot both move it.
    """
    with transaction.atomic():
        current = Initiative.objects.select_for_update().get(pk=initiative.pk)
        key = (current.status, to)
        if key not in TRANSITIONS:
            raise TransitionError(
                f"Passage impossible de « {current.get_status_display()} » "
                f"à « {Status(to).label} »."
            )
        if actor not in TRANSITIONS[key]:
            raise PermissionDenied("Cette action n'est pas permise pour vous.")
        if key in MESSAGE_REQUIRED and not message.strip():
            raise TransitionError("Un message est obligatoire pour cette action.")
        now = timezone.now()
        current.status = to
        fields = ["status", "updated_at"]
        if to == Status.PUBLISHED:
            current.published_at = now
            fields.append("published_at")
        if to == Status.ARCHIVED:
            current.archived_at = now
            fields.append("archived_at")
        current.save(update_fields=fields)
        Transition.objects.create(
            initiative=current,
            from_status=key[0],
            to_status=to,
            by=by,
            actor=actor,
            message=message.strip(),
        )
    for name in ("status", "published_at", "archived_at", "updated_at"):
        setattr(initiative, name, getattr(current, name))
    return initiative


def initiative_publish(*, initiative: Initiative, by) -> Initiative:
    return initiative_transition(initiative=initiative, to=Status.PUBLISHED, actor="staff", by=by)


def initiative_archive(*, initiative: Initiative, by=None, actor: str = "staff") -> Initiative:
    return initiative_transition(initiative=initiative, to=Status.ARCHIVED, actor=actor, by=by)
