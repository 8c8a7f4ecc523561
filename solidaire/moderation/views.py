"""The back-office: queue, review, workflow actions. Every write goes through a service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from solidaire.accounts.access import check_scope, moderated_department_codes, role_required
from solidaire.accounts.models import Role
from solidaire.initiatives.duplicates import likely_duplicates
from solidaire.initiatives.forms import StaffInitiativeForm, all_valid, build_forms
from solidaire.initiatives.models import Actor, Initiative, Report, Source, Status
from solidaire.initiatives.services import (
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
    report_resolve,
)

from .forms import MessageForm, QueueFilterForm
from .selectors import (
    moderation_queue,
    open_reports_for,
    published_without_contact_count,
    scoped_initiatives,
    status_counts,
)

PAGE_SIZE = 50


def _get_initiative_for_user(request, pk) -> Initiative:
    """The initiative ``pk`` if the user moderates its owning département, else 403."""
    initiative = get_object_or_404(
        Initiative.objects.select_related("campaign", "owner_department"), pk=pk
    )
    check_scope(request.user, Role.MODERATOR, initiative.owner_department_id)
    return initiative


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


@role_required(Role.MODERATOR)
def review(request, pk):
    initiative = _get_initiative_for_user(request, pk)
    departments = moderated_department_codes(request.user)
    if request.method == "POST":
        form, quantities, contacts = build_forms(
            StaffInitiativeForm, request.POST, departments=departments
        )
        if all_valid(form, quantities, contacts):
            initiative_update(
                initiative=initiative,
                actor=Actor.STAFF,
                by=request.user,
                **form.service_kwargs(quantities, contacts),
            )
            messages.success(request, "Les modifications sont enregistrées.")
            return redirect("moderation:review", pk=pk)
    else:
        form, quantities, contacts = build_forms(
            StaffInitiativeForm, initiative=initiative, departments=departments
        )
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
            "message_form": MessageForm(),
            "Status": Status,
        },
        status=400 if request.method == "POST" else 200,
    )


def _publish(initiative, user, message):
    return initiative_publish(initiative=initiative, by=user)


def _request_changes(initiative, user, message):
    return initiative_request_changes(initiative=initiative, by=user, message=message)


def _reject(initiative, user, message):
    return initiative_reject(initiative=initiative, by=user, reason=message)


def _archive(initiative, user, message):
    return initiative_archive(initiative=initiative, by=user)


def _back_to_queue(initiative, user, message):
    return initiative_resubmit(initiative=initiative, actor=Actor.STAFF, by=user)


ACTIONS = {
    "publier": (_publish, "L'initiative est publiée."),
    "demander-modifications": (_request_changes, "La demande de modifications est envoyée."),
    "refuser": (_reject, "L'initiative est refusée."),
    "archiver": (_archive, "L'initiative est archivée."),
    "remettre-en-attente": (_back_to_queue, "L'initiative est de nouveau à modérer."),
}


@require_POST
@role_required(Role.MODERATOR)
def act(request, pk, action):
    if action not in ACTIONS:
        raise PermissionDenied
    initiative = _get_initiative_for_user(request, pk)
    form = MessageForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    step, done = ACTIONS[action]
    try:
        step(initiative, request.user, message)
    except TransitionError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("moderation:review", pk=pk)


@require_POST
@role_required(Role.MODERATOR)
def bulk_publish(request):
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()][:PAGE_SIZE]
    chosen = list(scoped_initiatives(request.user).filter(pk__in=ids))
    if len(chosen) != len(set(ids)):
        # Some were outside the user's départements (or gone): touch none of them.
        raise PermissionDenied
    count = initiative_bulk_publish(initiatives=chosen, by=request.user)
    s = "s" if count > 1 else ""
    messages.success(request, f"{count} initiative{s} publiée{s}.")
    return _back(request)


@require_POST
@role_required(Role.MODERATOR)
def resolve_report(request, pk):
    report_resolve(report=_get_report_for_user(request, pk), by=request.user)
    messages.success(request, "Le signalement est marqué comme traité.")
    return _back(request)
