"""The back-office: queue, review, workflow actions. Every write goes through a service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from solidaire.accounts.access import (
    admin_required,
    check_scope,
    moderated_department_codes,
    role_required,
)
from solidaire.accounts.models import Role
from solidaire.initiatives.duplicates import likely_duplicates
from solidaire.initiatives.erasure import personal_data_erase
from solidaire.initiatives.forms import StaffInitiativeForm, all_valid, build_forms
from solidaire.initiatives.freshness import AnswerRefused, CallOutcome, initiative_record_call
from solidaire.initiatives.models import Actor, Initiative, Report, Source, Status
from solidaire.initiatives.selectors import without_public_contact
from solidaire.initiatives.services import (
    StaleVersion,
    TransitionError,
    allowed_targets,
    initiative_archive,
    initiative_bulk_publish,
    initiative_create,
    initiative_publish,
    initiative_reject,
    initiative_request_changes,
    initiative_resubmit,
    initiative_update,
    initiative_verify,
    report_resolve,
)

from .access import get_initiative_for_user
from .forms import ErasureForm, MessageForm, QueueFilterForm
from .selectors import (
    moderation_queue,
    open_reports_for,
    published_without_contact_count,
    scoped_initiatives,
    status_counts,
    to_verify_for,
)

PAGE_SIZE = 50


_get_initiative_for_user = get_initiative_for_user


def _get_report_for_user(request, pk) -> Report:
    """The report ``pk`` if the user moderates its initiative's département, else 403."""
    report = get_object_or_404(Report.objects.select_related("initiative"), pk=pk)
    check_scope(request.user, Role.MODERATOR, report.initiative.owner_department_id)
    return report


def _back(request, default="moderation:queue"):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


@role_required(Role.MODERATOR, Role.EDITOR)
def queue(request):
    if not request.user.has_role(Role.MODERATOR):
        # Editors land here after login: their pages are the bulletins.
        return render(request, "moderation/editor_home.html", {"title": "Gestion"})
    departments = moderated_department_codes(request.user)
    form = QueueFilterForm(request.GET or {"status": Status.SUBMITTED}, departments=departments)
    initiatives = moderation_queue(user=request.user, filters=form.filters())
    page = Paginator(initiatives, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = status_counts(request.user)
    return render(
        request,
        "moderation/queue.html",
        {
            "title": "Initiatives à modérer",
            "form": form,
            "page_obj": page,
            "reports": open_reports_for(request.user)[:20],
            "without_contact": published_without_contact_count(request.user),
            "to_verify": to_verify_for(request.user).count(),
            "counts": [
                (status, label, counts.get(status, 0))
                for status, label in Status.choices
                if status in (Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.PUBLISHED)
            ],
            "Status": Status,
        },
    )


@role_required(Role.MODERATOR)
def create(request):
    departments = moderated_department_codes(request.user)
    data = request.POST if request.method == "POST" else None
    form, quantities, contacts = build_forms(StaffInitiativeForm, data, departments=departments)
    if data is not None and all_valid(form, quantities, contacts):
        initiative = initiative_create(
            source=Source.STAFF, by=request.user, **form.service_kwargs(quantities, contacts)
        )
        messages.success(request, "L'initiative est enregistrée. Elle reste à publier.")
        return redirect("moderation:review", pk=initiative.pk)
    return render(
        request,
        "moderation/create.html",
        {
            "title": "Saisir une initiative",
            "form": form,
            "quantities": quantities,
            "contacts": contacts,
        },
        status=400 if data is not None else 200,
    )


def _review_page(request, initiative, forms, message_form, *, errors=(), conflict=None):
    if forms is None:
        forms = build_forms(
            StaffInitiativeForm,
            initiative=initiative,
            departments=moderated_department_codes(request.user),
        )
    form, quantities, contacts = forms
    return render(
        request,
        "moderation/review.html",
        {
            "title": f"Relire : {initiative.title}",
            "initiative": initiative,
            "form": form,
            "quantities": quantities,
            "contacts": contacts,
            "targets": allowed_targets(initiative.status, Actor.STAFF),
            "transitions": initiative.transitions.select_related("by"),
            "duplicates": likely_duplicates(initiative, among=scoped_initiatives(request.user)),
            "reports": initiative.reports.filter(resolved_at__isnull=True),
            "message_form": message_form,
            "errors": errors,
            "conflict": conflict,
            "Status": Status,
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required(Role.MODERATOR)
def review(request, pk):
    initiative = _get_initiative_for_user(request, pk)
    if request.method == "POST":
        return _save_and_act(request, initiative, action=None)
    return _review_page(request, initiative, None, MessageForm())


def _publish(initiative, user, message):
    return initiative_publish(initiative=initiative, by=user)


def _request_changes(initiative, user, message):
    return initiative_request_changes(initiative=initiative, by=user, message=message)


def _reject(initiative, user, message):
    return initiative_reject(initiative=initiative, by=user, reason=message)


def _archive(initiative, user, message):
    return initiative_archive(initiative=initiative, by=user)


def _verify(initiative, user, message):
    return initiative_verify(initiative=initiative, actor=Actor.STAFF, by=user, message=message)


def _back_to_queue(initiative, user, message):
    return initiative_resubmit(initiative=initiative, actor=Actor.STAFF, by=user)


# action -> (service call, status it leads to, success message)
ACTIONS = {
    "publier": (_publish, Status.PUBLISHED, "L'initiative est publiée."),
    "demander-modifications": (
        _request_changes,
        Status.CHANGES_REQUESTED,
        "La demande de modifications est envoyée.",
    ),
    "refuser": (_reject, Status.REJECTED, "L'initiative est refusée."),
    "archiver": (_archive, Status.ARCHIVED, "L'initiative est archivée."),
    # The moderator's check: "vérifiée le" moves to today, a stale one is listed again.
    "verifier": (_verify, Status.PUBLISHED, "L'initiative est marquée comme vérifiée."),
    "remettre-en-attente": (
        _back_to_queue,
        Status.SUBMITTED,
        "L'initiative est de nouveau à modérer.",
    ),
}


def _apply(request, initiative, forms, action, message) -> None:
    """Save what is on screen, then take the step, all or nothing.

    Sent twice (a double click, a reload), the same form finds its content already stored
    and the initiative already where the step leads: both count as done.
    """
    with transaction.atomic():
        if forms is not None:
            form, quantities, contacts = forms
            try:
                initiative_update(
                    initiative=initiative,
                    actor=Actor.STAFF,
                    by=request.user,
                    expected_version=form.cleaned_data.get("version"),
                    **form.service_kwargs(quantities, contacts),
                )
            except StaleVersion:
                # What is on screen is what is stored (sent twice): nothing to save.
                if form.differences(quantities, contacts, _stored(initiative)):
                    raise
        if action is None:
            return
        step, target, _ = ACTIONS[action]
        try:
            step(initiative, request.user, message)
        except TransitionError:
            initiative.refresh_from_db(fields=["status"])
            if initiative.status != target:
                raise


def _stored(initiative) -> Initiative:
    return Initiative.objects.select_related("campaign", "owner_department").get(pk=initiative.pk)


def _save_and_act(request, initiative, action):
    """The review form's every button: what is typed is saved with the step, or kept."""
    departments = moderated_department_codes(request.user)
    message_form = MessageForm(request.POST)
    message = message_form.cleaned_data["message"] if message_form.is_valid() else ""
    # A POST without the content form (the step alone) has nothing typed to save.
    forms = None
    if action is None or "title" in request.POST:
        forms = build_forms(StaffInitiativeForm, request.POST, departments=departments)
    if (forms is not None and not all_valid(*forms)) or not message_form.is_valid():
        errors = ["Rien n'a été enregistré : corrigez les champs signalés ci-dessous."]
        return _review_page(request, initiative, forms, message_form, errors=errors)
    try:
        _apply(request, initiative, forms, action, message)
    except StaleVersion as stale:
        stored = _stored(initiative)
        conflict = {
            "message": stale.messages[0],
            "differences": forms[0].differences(forms[1], forms[2], stored),
        }
        # The form keeps what was typed, now based on the stored version: saving again
        # deliberately replaces the other person's edit.
        data = request.POST.copy()
        data["version"] = str(stored.version)
        forms = build_forms(StaffInitiativeForm, data, departments=departments)
        all_valid(*forms)
        return _review_page(request, stored, forms, message_form, conflict=conflict)
    except ValidationError as error:
        # A refused step (TransitionError) or content the form let through: nothing saved.
        initiative = _stored(initiative)
        if forms is None:
            messages.error(request, " ".join(error.messages))
            return redirect("moderation:review", pk=initiative.pk)
        errors = [f"Rien n'a été enregistré : {' '.join(error.messages)}"]
        return _review_page(request, initiative, forms, message_form, errors=errors)
    messages.success(
        request, ACTIONS[action][2] if action else "Les modifications sont enregistrées."
    )
    return redirect("moderation:review", pk=initiative.pk)


@require_POST
@role_required(Role.MODERATOR)
def act(request, pk, action):
    if action not in ACTIONS:
        raise PermissionDenied
    return _save_and_act(request, _get_initiative_for_user(request, pk), action)


@role_required(Role.MODERATOR)
def bulk_publish(request):
    """Ticked in the queue, then confirmed on this page: only then published.

    A GET (the page opened directly) or a POST without a selection says so; a POST of the
    queue's selection lists what would be published; the confirmation's POST publishes.
    """
    raw = request.POST.getlist("ids") if request.method == "POST" else []
    ids = [int(i) for i in raw if i.isdigit()][:PAGE_SIZE]
    chosen = list(scoped_initiatives(request.user).filter(pk__in=ids).order_by("created_at", "pk"))
    if len(chosen) != len(set(ids)):
        # Some were outside the user's départements (or gone): touch none of them.
        raise PermissionDenied
    # Publishing needs a public contact: say before confirming which ones will stay behind.
    no_contact = set(
        scoped_initiatives(request.user)
        .filter(pk__in=ids)
        .filter(without_public_contact())
        .values_list("pk", flat=True)
    )
    submitted = [i for i in chosen if i.status == Status.SUBMITTED]
    publishable = [i for i in submitted if i.pk not in no_contact]
    if request.method == "POST" and request.POST.get("confirm") and chosen:
        count = initiative_bulk_publish(initiatives=publishable, by=request.user)
        left = len(submitted) - count
        if count:
            s = "s" if count > 1 else ""
            messages.success(request, f"{count} initiative{s} publiée{s}.")
        if left:
            s = "s" if left > 1 else ""
            messages.warning(
                request,
                f"{left} initiative{s} non publiée{s} : sans contact public. "
                "Ajoutez-en un sur sa page de relecture.",
            )
        if not count and not left:
            messages.info(request, "Aucune initiative publiée : elles ne sont plus à modérer.")
        return _back(request)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    return render(
        request,
        "moderation/bulk_publish.html",
        {
            "title": "Publier la sélection",
            "publishable": publishable,
            "without_contact": [i for i in submitted if i.pk in no_contact],
            "others": [i for i in chosen if i.status != Status.SUBMITTED],
            "next": back,
        },
    )


@require_POST
@role_required(Role.MODERATOR)
def resolve_report(request, pk):
    report_resolve(report=_get_report_for_user(request, pk), by=request.user)
    messages.success(request, "Le signalement est marqué comme traité.")
    return _back(request)


@role_required(Role.MODERATOR)
def to_verify(request):
    """Published initiatives to check by phone: imported (no submitter e-mail), opted out of
    the asks, or silent after the reminder."""
    page = Paginator(to_verify_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "moderation/to_verify.html",
        {"title": "Initiatives à vérifier", "page_obj": page, "outcomes": CallOutcome.LABELS},
    )


@require_POST
@role_required(Role.MODERATOR)
def record_call(request, pk, outcome):
    """One click records what the call said: still active, ended, or nobody answered."""
    initiative = _get_initiative_for_user(request, pk)
    if outcome not in CallOutcome.LABELS:
        raise Http404("Résultat d'appel inconnu")
    try:
        done = initiative_record_call(initiative=initiative, outcome=outcome, by=request.user)
    except AnswerRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{done} (« {initiative.title} »)")
    return _back(request, default="moderation:to_verify")


def _erasure_page(request, form, *, initiative=None, preview=None):
    return render(
        request,
        "moderation/erase.html",
        {
            "title": "Effacer les données personnelles",
            "form": form,
            "initiative": initiative,
            "preview": preview,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _erasure_done(request, counts) -> None:
    total = sum(counts.values())
    places = ", ".join(f"{place} ({n})" for place, n in sorted(counts.items()) if n)
    messages.success(
        request,
        f"Les données personnelles sont effacées : {places}."
        if total
        else "Les données personnelles sont effacées : elles ne figuraient nulle part ailleurs.",
    )


def _erasure_flow(request, *, initiative=None):
    """A form, then a confirmation page, then the erasure: a POST without "confirm" only
    shows what will be done."""
    if request.method != "POST":
        initial = {}
        if initiative is not None:
            initial = {
                "name": initiative.submitter_name,
                "email": initiative.submitter_email,
                "phone": initiative.submitter_phone,
            }
        form = ErasureForm(initial=initial, require_one=initiative is None)
        return _erasure_page(request, form, initiative=initiative)
    form = ErasureForm(request.POST, require_one=initiative is None)
    if not form.is_valid():
        return _erasure_page(request, form, initiative=initiative)
    if not request.POST.get("confirm"):
        # What would be erased, counted by doing it and undoing it.
        counts = personal_data_erase(
            initiative=initiative, by=request.user, dry_run=True, **form.cleaned_data
        )
        preview = [(place, n) for place, n in sorted(counts.items()) if n]
        return _erasure_page(request, form, initiative=initiative, preview=preview)
    counts = personal_data_erase(initiative=initiative, by=request.user, **form.cleaned_data)
    _erasure_done(request, counts)
    if initiative is not None:
        return redirect("moderation:review", pk=initiative.pk)
    return redirect("moderation:erase_person")


@role_required(Role.MODERATOR)
def erase(request, pk):
    """RGPD art. 17 for the submitter of an initiative the user moderates."""
    return _erasure_flow(request, initiative=_get_initiative_for_user(request, pk))


@admin_required
def erase_person(request):
    """RGPD art. 17 for anyone, by name, e-mail or phone: it reaches every département."""
    return _erasure_flow(request)
