"""Writes on initiatives. The workflow's valid transitions live here and only here."""

import logging
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from solidaire.accounts.models import User
from solidaire.lib.dates import format_date
from solidaire.pagecache.versions import place_key, versions_bump
from solidaire.territory.models import Commune

from .emails import submitter_email_enqueue
from .models import (
    VOLUNTEER_CALL_FIELDS,
    Actor,
    Contact,
    ContactKind,
    Freshness,
    Initiative,
    Place,
    PlaceKind,
    Quantity,
    Report,
    ReportKind,
    Source,
    Status,
    Transition,
    VolunteerCall,
)
from .pages import initiative_pages_touch
from .place_counts import place_codes_fill
from .search import initiative_reindex
from .signals import publication_batch
from .validators import normalize_phone, validate_display_email, validate_http_url
from .visibility import initiatives_visibility_change

logger = logging.getLogger(__name__)

# (from, to) -> who may make it.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (Status.SUBMITTED, Status.PUBLISHED): frozenset({Actor.STAFF}),
    (Status.SUBMITTED, Status.CHANGES_REQUESTED): frozenset({Actor.STAFF}),
    (Status.CHANGES_REQUESTED, Status.SUBMITTED): frozenset({Actor.SUBMITTER, Actor.STAFF}),
    (Status.SUBMITTED, Status.REJECTED): frozenset({Actor.STAFF}),
    (Status.SUBMITTED, Status.WITHDRAWN): frozenset({Actor.SUBMITTER}),
    (Status.CHANGES_REQUESTED, Status.WITHDRAWN): frozenset({Actor.SUBMITTER}),
    # The submitter through a freshness ask's "terminée" (signed link, freshness.py).
    (Status.PUBLISHED, Status.ARCHIVED): frozenset({Actor.STAFF, Actor.SYSTEM, Actor.SUBMITTER}),
    # Only the erasure of personal data takes it, when it removed the last public contact.
    (Status.PUBLISHED, Status.SUBMITTED): frozenset({Actor.SYSTEM}),
}

# Transitions that must say why.
MESSAGE_REQUIRED = {
    (Status.SUBMITTED, Status.CHANGES_REQUESTED),
    (Status.SUBMITTED, Status.REJECTED),
}


class TransitionError(ValidationError):
    pass


class StaleVersion(ValidationError):
    """The form was filled from an older version: someone else saved meanwhile.

    ``current`` is the initiative as stored now (with ``edited_by`` / ``edited_at``), so
    the caller can show both versions; nothing was written.
    """

    def __init__(self, current: Initiative):
        self.current = current
        by = current.edited_by
        who = (by.get_full_name() or by.username) if by else ""
        when = timezone.localtime(current.edited_at) if current.edited_at else None
        detail = ""
        if who and when:
            detail = f" par {who}, le {format_date(when.date())} à {when:%H:%M}"
        elif when:
            detail = f" le {format_date(when.date())} à {when:%H:%M}"
        super().__init__(
            f"Cette initiative a été modifiée pendant que vous la relisiez{detail}. "
            "Rien n'a été enregistré.",
            code="stale_version",
        )


NO_PUBLIC_CONTACT = (
    "Ajoutez au moins un contact public (téléphone, e-mail, lien ou « auprès de la mairie ») "
    "avant de publier."
)


def allowed_targets(status: str, actor: Actor) -> list[str]:
    return [to for (frm, to), actors in TRANSITIONS.items() if frm == status and actor in actors]


def initiative_transition(
    *,
    initiative: Initiative,
    to: str,
    actor: Actor,
    by: User | None = None,
    message: str = "",
    at: datetime | None = None,
) -> Initiative:
    """Move an initiative to ``to`` if the workflow allows it, recording the step.

    The row is locked and re-read so two moderators acting at once cannot both move it.
    ``at`` back-dates the step (demo data, imports of past bulletins).
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
        if to == Status.PUBLISHED and not current.contacts.exists():
            # A published initiative always says how to act on it.
            raise TransitionError(NO_PUBLIC_CONTACT, code="no_public_contact")
        now = at or timezone.now()
        current.status = to
        # Freshness belongs to a published initiative: every step starts it afresh.
        current.freshness = Freshness.CURRENT
        fields = ["status", "freshness", "updated_at"]
        if to == Status.PUBLISHED:
            current.published_at = now
            current.verified_at = now
            fields += ["published_at", "verified_at"]
        if to == Status.ARCHIVED:
            current.archived_at = now
            fields.append("archived_at")
        with initiatives_visibility_change(ids=[current.pk]):
            current.save(update_fields=fields)
        step = Transition.objects.create(
            initiative=current,
            from_status=key[0],
            to_status=to,
            by=by,
            actor=actor,
            message=message.strip(),
        )
        if at is not None:
            Transition.objects.filter(pk=step.pk).update(created_at=at)
    for name in ("status", "freshness", "published_at", "archived_at", "verified_at", "updated_at"):
        setattr(initiative, name, getattr(current, name))
    return initiative


def initiative_publish(
    *, initiative: Initiative, by: User | None, at: datetime | None = None
) -> Initiative:
    return initiative_transition(
        initiative=initiative, to=Status.PUBLISHED, actor=Actor.STAFF, by=by, at=at
    )


def initiative_archive(
    *, initiative: Initiative, by: User | None = None, actor: Actor = Actor.STAFF
) -> Initiative:
    return initiative_transition(initiative=initiative, to=Status.ARCHIVED, actor=actor, by=by)


def initiative_withdraw(*, initiative: Initiative) -> Initiative:
    """The submitter takes back a proposal that is not published."""
    return initiative_transition(initiative=initiative, to=Status.WITHDRAWN, actor=Actor.SUBMITTER)


def initiative_resubmit(
    *, initiative: Initiative, actor: Actor = Actor.SUBMITTER, by: User | None = None
) -> Initiative:
    return initiative_transition(initiative=initiative, to=Status.SUBMITTED, actor=actor, by=by)


def initiative_request_changes(
    *, initiative: Initiative, by: User | None, message: str
) -> Initiative:
    """Send the proposal back to its submitter, who gets the message by e-mail."""
    initiative_transition(
        initiative=initiative,
        to=Status.CHANGES_REQUESTED,
        actor=Actor.STAFF,
        by=by,
        message=message,
    )
    submitter_email_enqueue(initiative=initiative, kind="changes_requested", message=message)
    return initiative


def initiative_reject(*, initiative: Initiative, by: User | None, reason: str) -> Initiative:
    initiative_transition(
        initiative=initiative, to=Status.REJECTED, actor=Actor.STAFF, by=by, message=reason
    )
    submitter_email_enqueue(initiative=initiative, kind="rejected", message=reason)
    return initiative


def initiative_bulk_publish(*, initiatives: Iterable[Initiative], by: User | None) -> int:
    """Publish every proposal that may be published; the others are left as they are."""
    published = 0
    for initiative in initiatives:
        try:
            initiative_publish(initiative=initiative, by=by)
        except TransitionError:
            continue
        published += 1
    if published:
        publication_batch.send(sender=Initiative, count=published)
    return published


def initiatives_archive_ended(*, today: date | None = None) -> int:
    """Archive published initiatives whose end date is past (run daily)."""
    today = today or timezone.localdate()
    ended = Initiative.objects.filter(status=Status.PUBLISHED, end_date__lt=today)
    archived = 0
    for initiative in ended.only("pk", "status").iterator():
        try:
            initiative_archive(initiative=initiative, actor=Actor.SYSTEM)
        except TransitionError:
            continue  # moved by someone else meanwhile
        archived += 1
    return archived


# --- Creation and edition -------------------------------------------------------------

INITIATIVE_FIELDS = (
    "title",
    "description",
    "campaign",
    "actor_name",
    "actor_kind",
    "owner_department",
    "beneficiaries",
    "start_date",
    "end_date",
    "consent_public_contacts",
    "submitter_name",
    "submitter_email",
    "submitter_phone",
)
SOURCE_ACTOR = {
    Source.FORM: Actor.SUBMITTER,
    Source.STAFF: Actor.STAFF,
    Source.IMPORT: Actor.IMPORT,
}
PLACE_FIELD = {
    PlaceKind.COMMUNE: "commune_id",
    PlaceKind.EPCI: "epci_id",
    PlaceKind.ARRONDISSEMENT: "arrondissement_id",
    PlaceKind.DEPARTMENT: "department_id",
}


def normalize_contact(kind: str, value: str) -> str:
    """The stored form of a public contact (phones in E.164, a mairie by its commune's INSEE
    code); ValidationError if invalid."""
    value = (value or "").strip()
    if not value:
        raise ValidationError("Saisissez le contact.", code="required")
    if kind == ContactKind.URL:
        validate_http_url(value)
    elif kind == ContactKind.EMAIL:
        validate_display_email(value)
    elif kind == ContactKind.PHONE:
        value = normalize_phone(value)
    elif kind == ContactKind.MAIRIE:
        if not Commune.objects.filter(pk=value).exists():
            raise ValidationError(
                "Indiquez la commune dont la mairie renseigne (nom ou code INSEE).",
                code="unknown_commune",
            )
    elif kind == ContactKind.TEXT:
        if len(value) > 500:
            raise ValidationError("500 caractères au plus.", code="max_length")
    else:
        raise ValidationError("Type de contact inconnu.", code="invalid_kind")
    return value


def _place_ref(place) -> tuple[str, str]:
    """Accept (kind, code) pairs or model instances (Commune, Epci, Arrondissement…)."""
    if isinstance(place, tuple | list):
        return str(place[0]), str(place[1])
    kind = {
        "commune": PlaceKind.COMMUNE,
        "epci": PlaceKind.EPCI,
        "arrondissement": PlaceKind.ARRONDISSEMENT,
        "department": PlaceKind.DEPARTMENT,
    }[place._meta.model_name]
    return kind, str(place.pk)


def _write_children(
    initiative: Initiative,
    *,
    places: Iterable,
    quantities: Iterable[Mapping[str, Any]],
    contacts: Iterable,
) -> None:
    initiative.places.all().delete()
    initiative.quantities.all().delete()
    initiative.contacts.all().delete()
    seen = set()
    rows = []
    for place in places:
        kind, code = _place_ref(place)
        if (kind, code) in seen:
            continue
        seen.add((kind, code))
        rows.append(
            Place(initiative=initiative, kind=kind, position=len(rows), **{PLACE_FIELD[kind]: code})
        )
    Place.objects.bulk_create(rows)
    place_codes_fill(places=Place.objects.filter(initiative=initiative))
    for position, row in enumerate(quantities):
        quantity = Quantity(
            initiative=initiative,
            count=row["count"],
            approximate=bool(row.get("approximate")),
            item=row["item"].strip(),
            period=(row.get("period") or "").strip(),
            position=position,
        )
        quantity.full_clean(exclude=["initiative", "item_key"])
        quantity.save()  # save() computes item_key, so no bulk_create here
    contact_rows = []
    for position, contact in enumerate(contacts):
        kind, value = (
            (contact["kind"], contact["value"]) if isinstance(contact, Mapping) else contact
        )
        contact_rows.append(
            Contact(
                initiative=initiative,
                kind=kind,
                value=normalize_contact(kind, value),
                position=position,
            )
        )
    Contact.objects.bulk_create(contact_rows)
    # The document is made of the fields, themes and places written above: one reindex
    # per write, once they are all in place.
    initiative_reindex(initiative=initiative)


def _default_owner(places: list) -> str:
    """The instance's prefecture; a national instance (no home) uses the first commune's."""
    if settings.HOME_DEPARTMENT:
        return settings.HOME_DEPARTMENT
    for place in places:
        kind, code = _place_ref(place)
        if kind == PlaceKind.COMMUNE:
            return Commune.objects.values_list("department_id", flat=True).get(pk=code)
    raise ValidationError("Indiquez le département de rattachement.", code="no_owner")


def initiative_create(
    *,
    data: Mapping[str, Any],
    source: str,
    places: Iterable = (),
    quantities: Iterable[Mapping[str, Any]] = (),
    contacts: Iterable = (),
    themes: Iterable = (),
    by: User | None = None,
    submission_key: str | None = None,
) -> Initiative:
    """Create a proposal (status "submitted") with its places, quantities and contacts.

    ``data`` holds the Initiative fields (see INITIATIVE_FIELDS; ``owner_department`` may
    be a Department or its code and defaults to settings.HOME_DEPARTMENT, else to the
    first commune's département);
    ``places`` are (kind, code) pairs such as ("commune", "62193") or ("epci", "200033579"),
    or territory instances; ``quantities`` are mappings with count, item, approximate,
    period; ``contacts`` are (kind, value) pairs or mappings, validated and normalised here
    (phones stored in E.164). The creation is recorded as the first transition.
    """
    places = list(places)
    fields = {name: data[name] for name in INITIATIVE_FIELDS if name in data}
    owner = fields.pop("owner_department", None) or _default_owner(places)
    owner_code = getattr(owner, "pk", owner)
    with transaction.atomic():
        initiative = Initiative(
            **fields,
            owner_department_id=owner_code,
            source=source,
            status=Status.SUBMITTED,
            submission_key=submission_key,
        )
        initiative.full_clean(exclude=["submission_key", "submitter_token"])
        initiative.save()
        initiative.themes.set(themes)
        _write_children(initiative, places=places, quantities=quantities, contacts=contacts)
        Transition.objects.create(
            initiative=initiative,
            from_status="",
            to_status=Status.SUBMITTED,
            by=by,
            actor=SOURCE_ACTOR.get(source, Actor.STAFF),
        )
    return initiative


def _submitted_with(submission_key: str) -> Initiative | None:
    return Initiative.objects.filter(submission_key=submission_key).first()


def initiative_submit(
    *, submission_key: str, volunteer_call: Mapping[str, Any] | None = None, **kwargs
) -> tuple[Initiative, bool]:
    """The public form's creation: idempotent on ``submission_key``; e-mails the submitter.

    ``volunteer_call``: the fields of a call for volunteers sent with the proposal, created
    in the same transaction (published with the initiative, like its other rows).

    Returns (initiative, created). A second POST of the same form (double click, back
    button) returns the first initiative instead of creating another one.
    """
    existing = _submitted_with(submission_key)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            initiative = initiative_create(
                source=Source.FORM, submission_key=submission_key, **kwargs
            )
            if volunteer_call:
                volunteer_call_create(initiative=initiative, data=volunteer_call)
    except IntegrityError:
        # Two identical POSTs raced: the unique key let only one through.
        existing = _submitted_with(submission_key)
        if existing is None:
            raise
        return existing, False
    submitter_email_enqueue(initiative=initiative, kind="received")
    return initiative, True


def initiative_update(
    *,
    initiative: Initiative,
    data: Mapping[str, Any],
    actor: Actor,
    by: User | None = None,
    places: Iterable = (),
    quantities: Iterable[Mapping[str, Any]] = (),
    contacts: Iterable = (),
    themes: Iterable = (),
    expected_version: int | None = None,
) -> Initiative:
    """Replace an initiative's fields and rows. Submitters may only edit unpublished ones.

    ``expected_version`` is the version the form was filled from: if the stored one has
    moved on, StaleVersion is raised and nothing is written. Every save increments it.
    """
    editable_by_submitter = (Status.SUBMITTED, Status.CHANGES_REQUESTED)
    if actor == Actor.SUBMITTER and initiative.status not in editable_by_submitter:
        raise PermissionDenied("Cette initiative ne peut plus être modifiée.")
    places = list(places)
    fields = {name: data[name] for name in INITIATIVE_FIELDS if name in data}
    if actor == Actor.SUBMITTER:
        # The owning département decides who moderates: staff only may move it.
        fields.pop("owner_department", None)
    with transaction.atomic():
        current = (
            Initiative.objects.select_for_update(of=("self",))
            .select_related("edited_by")
            .only("version", "edited_at", "edited_by")
            .get(pk=initiative.pk)
        )
        if expected_version is not None and current.version != expected_version:
            raise StaleVersion(current)
        for name, value in fields.items():
            if name == "owner_department" and not hasattr(value, "pk"):
                initiative.owner_department_id = value
            else:
                setattr(initiative, name, value)
        initiative.version = current.version + 1
        initiative.edited_at = timezone.now()
        initiative.edited_by = by
        initiative.full_clean(exclude=["submission_key", "submitter_token"])
        # Its pages show its content, its places move its counts (a proposal's, nothing).
        with initiatives_visibility_change(ids=[initiative.pk]):
            # The content only: the status is the transitions' business, and this copy of
            # it may be older than a step taken meanwhile.
            initiative.save(
                update_fields=[*fields, "version", "edited_at", "edited_by", "updated_at"]
            )
            initiative.themes.set(themes)
            _write_children(initiative, places=places, quantities=quantities, contacts=contacts)
    return initiative


def initiative_report(
    *, initiative: Initiative, message: str, kind: str = ReportKind.VISITOR
) -> Report:
    """A visitor's report of an error or of an ended action, for the moderators' queue
    (or the carrier's change proposal, ``ReportKind.CARRIER``)."""
    report = Report(initiative=initiative, message=message, kind=kind)
    report.full_clean()
    report.save()
    return report


def report_resolve(*, report: Report, by: User) -> Report:
    """Mark a report handled; resolving it again keeps the first moderator and date."""
    if report.resolved_at is None:
        report.resolved_at = timezone.now()
        report.resolved_by = by
        report.save(update_fields=["resolved_at", "resolved_by"])
    return report


# --- Freshness ------------------------------------------------------------------------
# "Vérifiée le" and the stored freshness of a published initiative (freshness.py decides
# when). Together with initiative_transition, these are the only writes that change what
# is listed publicly (models.listed_q): a hook on visibility belongs here.

FRESHNESS_ORDER = (Freshness.CURRENT, Freshness.TO_CONFIRM, Freshness.HIDDEN)
FRESHNESS_NOTES = {
    Freshness.TO_CONFIRM: "À confirmer : aucune vérification depuis le {date}.",
    Freshness.HIDDEN: "Masquée des listes et de la carte : aucune vérification depuis le {date}.",
}
VERIFY_NOTES = {
    Actor.SUBMITTER: "Toujours active, selon son porteur.",
    Actor.STAFF: "Vérifiée par la préfecture.",
}


def _freshness_step(current: Initiative, *, actor: Actor, by: User | None, message: str, at):
    step = Transition.objects.create(
        initiative=current,
        from_status=current.status,
        to_status=current.status,
        by=by,
        actor=actor,
        message=message,
    )
    if at is not None:
        Transition.objects.filter(pk=step.pk).update(created_at=at)


def initiative_verify(
    *,
    initiative: Initiative,
    actor: Actor,
    by: User | None = None,
    message: str = "",
    at: datetime | None = None,
) -> Initiative:
    """Its carrier or a moderator says the published initiative still runs: "vérifiée le"
    moves to now, and a stale or hidden one is listed again."""
    with transaction.atomic():
        current = Initiative.objects.select_for_update().get(pk=initiative.pk)
        if current.status != Status.PUBLISHED:
            raise TransitionError(
                f"Seule une initiative publiée peut être vérifiée "
                f"(celle-ci est « {current.get_status_display()} »)."
            )
        # "Vérifiée le" shows on its page and cards; a hidden one comes back to the lists.
        now = at or timezone.now()
        current.verified_at = now
        current.freshness = Freshness.CURRENT
        with initiatives_visibility_change(ids=[current.pk]):  # a hidden one is listed again
            current.save(update_fields=["verified_at", "freshness", "updated_at"])
        # The step is dated like "vérifiée le", to the microsecond.
        _freshness_step(
            current, actor=actor, by=by, message=message or VERIFY_NOTES.get(actor, ""), at=now
        )
    for name in ("freshness", "verified_at", "updated_at"):
        setattr(initiative, name, getattr(current, name))
    return initiative


def initiative_age(
    *, initiative: Initiative, to: str, verified_by: datetime, at: datetime | None = None
) -> bool:
    """Mark a published initiative "à confirmer" or hidden (scheduled job, actor system),
    if it was still last verified at ``verified_by`` or earlier and is not already there.

    Re-checked under the row lock: a confirmation that landed meanwhile wins. Returns
    whether anything changed, so a second run of the job changes nothing.
    """
    with transaction.atomic():
        current = Initiative.objects.select_for_update().get(pk=initiative.pk)
        verified = current.verified_at or current.published_at
        if (
            current.status != Status.PUBLISHED
            or verified is None
            or verified > verified_by
            or FRESHNESS_ORDER.index(current.freshness) >= FRESHNESS_ORDER.index(to)
        ):
            return False
        current.freshness = to
        with initiatives_visibility_change(ids=[current.pk]):  # hidden leaves the counts
            current.save(update_fields=["freshness", "updated_at"])
        local = timezone.localtime(verified).date()
        _freshness_step(
            current,
            actor=Actor.SYSTEM,
            by=None,
            message=FRESHNESS_NOTES[to].format(date=format_date(local)),
            at=at,
        )
    initiative.freshness = current.freshness
    return True


def initiative_end(
    *, initiative: Initiative, actor: Actor, by: User | None = None, message: str = ""
) -> Initiative:
    """Its carrier (or a moderator after a call) says the initiative has ended: archived."""
    return initiative_transition(
        initiative=initiative,
        to=Status.ARCHIVED,
        actor=actor,
        by=by,
        message=message or "Terminée, selon son porteur.",
    )


# --- Calls for volunteers ---------------------------------------------------------------


def _call_pages_touch(call: VolunteerCall) -> None:
    """The pages that show the call: its initiative's, and its own commune's page when
    that is not one of the initiative's places (bumped again after the commit)."""
    initiative_pages_touch(ids=[call.initiative_id])
    if call.commune_id:
        versions_bump({place_key("commune", call.commune_id)})


def _call_save(call: VolunteerCall, *, by: User | None, verb: str) -> VolunteerCall:
    try:
        call.full_clean()
    except ValidationError as error:
        # The forms say the same in French before this point: a refusal here is a forged
        # or stale request, or a caller that skipped the form.
        logger.warning(
            "Volunteer call refused (initiative %s, %s): %s",
            call.initiative_id,
            verb,
            "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items()),
        )
        raise
    with transaction.atomic():
        _call_pages_touch(call)
        call.save()
    logger.info(
        "Volunteer call %s %s (initiative %s) by %s",
        call.pk,
        verb,
        call.initiative_id,
        getattr(by, "username", None) or "the submitter",
    )
    return call


def _call_fields(data: Mapping[str, Any]) -> dict:
    fields = {name: data[name] for name in VOLUNTEER_CALL_FIELDS if name in data}
    texts = ("title", "description", "address", "schedule", "answer_url", "answer_email")
    for name in (*texts, "jeveuxaider_url"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    return fields


def volunteer_call_create(
    *, initiative: Initiative, data: Mapping[str, Any], by: User | None = None
) -> VolunteerCall:
    """A new call for volunteers of ``initiative``; ValidationError (French) if invalid."""
    position = initiative.volunteer_calls.count()
    call = VolunteerCall(initiative=initiative, position=position, **_call_fields(data))
    return _call_save(call, by=by, verb="created")


def volunteer_call_update(
    *, call: VolunteerCall, data: Mapping[str, Any], by: User | None = None
) -> VolunteerCall:
    """Replace the call's fields given in ``data``; the pages that showed it before (its old
    commune's) and those that show it now are renewed."""
    if call.commune_id:
        versions_bump({place_key("commune", call.commune_id)})
    for name, value in _call_fields(data).items():
        setattr(call, name, value)
    return _call_save(call, by=by, verb="updated")


def volunteer_call_delete(*, call: VolunteerCall, by: User | None = None) -> None:
    with transaction.atomic():
        _call_pages_touch(call)
        pk = call.pk
        call.delete()
    logger.info(
        "Volunteer call %s deleted (initiative %s) by %s",
        pk,
        call.initiative_id,
        getattr(by, "username", None),
    )
