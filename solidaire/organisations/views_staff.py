"""The prefecture's organisation pages, /gestion/organisations/: approve, refuse, trust,
attach initiatives. A moderator sees the organisations of their départements (by their
commune) and those without a commune yet; every write goes through a service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from solidaire.accounts.access import check_scope, moderated_department_codes, role_required
from solidaire.accounts.models import Role
from solidaire.initiatives.models import Initiative

from .forms import AttachForm, OrganisationDetailsForm, RefuseForm
from .models import Organisation, OrganisationStatus
from .selectors import organisation_initiatives, organisations_for_moderator, pending_first
from .services import (
    organisation_approve,
    organisation_attach_initiative,
    organisation_refuse,
    organisation_set_trusted,
)

PAGE_SIZE = 50
FILTERS = {
    "": "Toutes",
    OrganisationStatus.PENDING: "En cours d'examen",
    OrganisationStatus.APPROVED: "Validées",
    OrganisationStatus.REFUSED: "Refusées",
}


def _get_organisation_for_user(request, pk) -> Organisation:
    """The organisation ``pk`` if it is in the user's scope: 404 when it does not exist,
    403 when it belongs to another département's prefecture."""
    organisation = get_object_or_404(Organisation.objects.select_related("commune"), pk=pk)
    if organisation.commune_id is not None:
        check_scope(request.user, Role.MODERATOR, organisation.department_code)
    return organisation


@role_required(Role.MODERATOR)
def organisation_list(request):
    status = request.GET.get("statut", OrganisationStatus.PENDING)
    if status not in FILTERS:
        status = OrganisationStatus.PENDING
    found = organisations_for_moderator(request.user)
    if status:
        found = found.filter(status=status)
    page = Paginator(pending_first(found), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/gestion/list.html",
        {
            "title": "Organisations",
            "page_obj": page,
            "filters": FILTERS,
            "status": status,
            "pending_count": organisations_for_moderator(request.user)
            .filter(status=OrganisationStatus.PENDING)
            .count(),
        },
    )


def _detail_page(request, organisation, *, details=None, refuse=None, attach=None):
    departments = moderated_department_codes(request.user)
    if details is None:
        details = OrganisationDetailsForm(
            initial={
                "name": organisation.name,
                "kind": organisation.kind,
                "commune": organisation.commune,
            },
            departments=departments,
        )
    bound = any(form is not None and form.is_bound for form in (details, refuse, attach))
    return render(
        request,
        "organisations/gestion/detail.html",
        {
            "title": f"Organisation : {organisation}",
            "organisation": organisation,
            "details": details,
            "refuse": refuse or RefuseForm(),
            "attach": attach or AttachForm(),
            "members": organisation.members.select_related("user"),
            "initiatives": organisation_initiatives(organisation),
            "OrganisationStatus": OrganisationStatus,
        },
        status=400 if bound else 200,
    )


@role_required(Role.MODERATOR)
def organisation_detail(request, pk):
    return _detail_page(request, _get_organisation_for_user(request, pk))


@require_POST
@role_required(Role.MODERATOR)
def organisation_approve_view(request, pk):
    organisation = _get_organisation_for_user(request, pk)
    form = OrganisationDetailsForm(
        request.POST, departments=moderated_department_codes(request.user)
    )
    if not form.is_valid():
        return _detail_page(request, organisation, details=form)
    try:
        organisation_approve(
            organisation=organisation,
            by=request.user,
            name=form.cleaned_data["name"],
            kind=form.cleaned_data["kind"],
            commune=form.cleaned_data["commune"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _detail_page(request, organisation, details=form)
    messages.success(request, "L'organisation est validée : ses membres ont accès à leur espace.")
    return redirect("organisations_staff:detail", pk=organisation.pk)


@require_POST
@role_required(Role.MODERATOR)
def organisation_refuse_view(request, pk):
    organisation = _get_organisation_for_user(request, pk)
    form = RefuseForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, organisation, refuse=form)
    organisation_refuse(
        organisation=organisation, by=request.user, reason=form.cleaned_data["reason"]
    )
    messages.success(request, "La demande est refusée.")
    return redirect("organisations_staff:detail", pk=organisation.pk)


@require_POST
@role_required(Role.MODERATOR)
def organisation_trust(request, pk):
    organisation = _get_organisation_for_user(request, pk)
    trusted = request.POST.get("trusted") == "1"
    try:
        organisation_set_trusted(organisation=organisation, by=request.user, trusted=trusted)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "L'organisation est de confiance : ses modifications d'initiatives publiées sont "
            "en ligne aussitôt."
            if trusted
            else "L'organisation n'est plus de confiance : ses modifications passent par la "
            "modération.",
        )
    return redirect("organisations_staff:detail", pk=organisation.pk)


@require_POST
@role_required(Role.MODERATOR)
def organisation_attach(request, pk):
    organisation = _get_organisation_for_user(request, pk)
    form = AttachForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, organisation, attach=form)
    initiative = Initiative.objects.filter(pk=form.cleaned_data["initiative"]).first()
    if initiative is None or not request.user.can(Role.MODERATOR, initiative.owner_department_id):
        form.add_error(
            "initiative", "Aucune initiative de ce numéro dans les départements que vous modérez."
        )
        return _detail_page(request, organisation, attach=form)
    if not organisation.is_approved:
        form.add_error(
            None, "Validez d'abord l'organisation : ses membres verront alors l'initiative."
        )
        return _detail_page(request, organisation, attach=form)
    organisation_attach_initiative(
        organisation=organisation, initiative=initiative, by=request.user
    )
    messages.success(request, f"« {initiative.title} » est rattachée à {organisation}.")
    return redirect("organisations_staff:detail", pk=organisation.pk)
