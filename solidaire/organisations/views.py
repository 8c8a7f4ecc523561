"""The organisation's space, /organisation/: its initiatives, its members, its requests.

A person sees the private part only as an accepted member of an approved organisation;
anyone else signed in gets a page that says where their request stands and nothing more.
An initiative of another organisation is a 404, never a 403 that would confirm it exists.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from solidaire.initiatives.forms import all_valid, build_forms
from solidaire.initiatives.models import Initiative, Status
from solidaire.initiatives.services import StaleVersion, TransitionError
from solidaire.territory.models import Commune

from .forms import InviteForm, MemberInitiativeForm, OrganisationDetailsForm
from .models import ACTOR_KIND, OrganisationMember, OrganisationStatus
from .selectors import member_of, membership_of, needs_confirmation, organisation_initiatives
from .services import (
    LIVE,
    PROPOSED,
    member_accept,
    member_invite,
    organisation_initiative_confirm,
    organisation_initiative_edit,
    organisation_initiative_propose,
    organisation_propose,
)

STALE = (
    "Cette initiative a été modifiée pendant que vous la corrigiez (par la préfecture ou un "
    "collègue). Rien n'a été enregistré : votre saisie est conservée ci-dessous ; "
    "enregistrez de nouveau pour la garder."
)
DONE = {
    LIVE: "Vos modifications sont en ligne.",
    PROPOSED: "Votre modification est transmise à la préfecture ; la version publiée reste "
    "en ligne en attendant.",
}


def member_required(view):
    """Signed in (else the login page), an accepted member of an approved organisation
    (else the space's home, which says why); never cached."""

    @never_cache
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            if request.method in ("GET", "HEAD"):
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        member = member_of(request.user)
        if member is None:
            if request.method in ("GET", "HEAD"):
                return redirect("organisations:home")
            raise PermissionDenied
        return view(request, member, *args, **kwargs)

    return wrapper


def manager_required(view):
    @member_required
    @wraps(view)
    def wrapper(request, member, *args, **kwargs):
        if not member.is_manager:
            raise PermissionDenied
        return view(request, member, *args, **kwargs)

    return wrapper


def _get_initiative_for_member(member: OrganisationMember, pk) -> Initiative:
    """The initiative ``pk`` of the member's organisation; 404 for any other one."""
    return get_object_or_404(
        Initiative.objects.select_related("campaign", "owner_department"),
        pk=pk,
        organisation_link__organisation=member.organisation,
    )


@never_cache
def home(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    membership = membership_of(request.user)
    member = member_of(request.user)
    if member is None:
        return _waiting(request, membership)
    organisation = member.organisation
    initiatives = list(organisation_initiatives(organisation))
    context = {
        "title": str(organisation),
        "member": member,
        "organisation": organisation,
        "initiatives": initiatives,
        "to_confirm": needs_confirmation(initiatives),
        "Status": Status,
    }
    if member.is_manager:
        context.update(
            members=organisation.members.select_related("user"),
            invitations=organisation.invitations.filter(accepted_at__isnull=True),
            invite_form=InviteForm(),
        )
    return render(request, "organisations/home.html", context)


def _waiting(request, membership, form=None, status=200):
    """Where the person's request stands: nothing of the organisation's private data."""
    organisation = membership.organisation if membership else None
    pending = organisation is not None and organisation.status == OrganisationStatus.PENDING
    may_propose = pending and membership.accepted_at is not None
    if may_propose and form is None:
        form = OrganisationDetailsForm(
            initial={
                "name": organisation.name,
                "kind": organisation.kind,
                "commune": organisation.commune,
            }
        )
    return render(
        request,
        "organisations/waiting.html",
        {
            "title": "Espace organisation",
            "membership": membership,
            "organisation": organisation,
            "form": form if may_propose else None,
            "OrganisationStatus": OrganisationStatus,
        },
        status=status,
    )


@require_POST
@never_cache
def propose_details(request):
    """The first member of a pending organisation says what it is (the prefecture checks)."""
    membership = membership_of(request.user)
    if (
        membership is None
        or membership.accepted_at is None
        or membership.organisation.status != OrganisationStatus.PENDING
    ):
        raise PermissionDenied
    form = OrganisationDetailsForm(request.POST)
    if not form.is_valid():
        return _waiting(request, membership, form=form, status=400)
    organisation_propose(organisation=membership.organisation, by=request.user, **_details(form))
    messages.success(request, "Merci : la préfecture en tiendra compte pour valider la demande.")
    return redirect("organisations:home")


def _details(form) -> dict:
    data = form.cleaned_data
    return {"name": data["name"], "kind": data["kind"], "commune": data["commune"]}


def _form_page(request, template, context):
    return render(request, template, context, status=400 if request.method == "POST" else 200)


@member_required
def propose(request, member):
    """A new initiative, straight from the space: moderated, attached to the organisation."""
    organisation = member.organisation
    data = request.POST if request.method == "POST" else None
    form, quantities, contacts = build_forms(MemberInitiativeForm, data)
    if data is None:
        commune = Commune.objects.filter(pk=request.GET.get("commune", "")[:5]).first()
        form.initial.update(
            actor_name=organisation.name,
            actor_kind=ACTOR_KIND.get(organisation.kind, "other"),
            communes=[commune or organisation.commune],
            submitter_name=request.user.get_full_name(),
            submitter_email=request.user.email,
        )
    elif all_valid(form, quantities, contacts):
        kwargs = form.service_kwargs(quantities, contacts)
        kwargs["data"]["owner_department"] = organisation.department_code
        try:
            initiative, _ = organisation_initiative_propose(
                member=member, form_key=form.cleaned_data.get("submission_key") or "", **kwargs
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                "Votre proposition est envoyée à la préfecture, qui la relit avant de la publier.",
            )
            return redirect("organisations:home")
    return _form_page(
        request,
        "organisations/initiative_form.html",
        {
            "title": "Proposer une initiative",
            "form": form,
            "quantities": quantities,
            "contacts": contacts,
            "organisation": organisation,
            "initiative": None,
        },
    )


@member_required
def edit(request, member, pk):
    initiative = _get_initiative_for_member(member, pk)
    organisation = member.organisation
    editable = initiative.status in (Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.PUBLISHED)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        form, quantities, contacts = build_forms(MemberInitiativeForm, request.POST)
        if all_valid(form, quantities, contacts):
            stored = Initiative.objects.get(pk=initiative.pk)
            try:
                outcome = organisation_initiative_edit(
                    member=member,
                    initiative=initiative,
                    changes={
                        **form.service_kwargs(quantities, contacts),
                        "expected_version": form.cleaned_data.get("version"),
                    },
                    differences=form.differences(quantities, contacts, stored),
                    resubmit="renvoyer" in request.POST,
                )
            except StaleVersion as stale:
                data = request.POST.copy()
                data["version"] = str(stale.current.version)
                form, quantities, contacts = build_forms(MemberInitiativeForm, data)
                all_valid(form, quantities, contacts)
                form.add_error(None, STALE)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, DONE.get(outcome, "Vos modifications sont enregistrées."))
                return redirect("organisations:home")
    else:
        form, quantities, contacts = build_forms(MemberInitiativeForm, initiative=initiative)
    return _form_page(
        request,
        "organisations/initiative_form.html",
        {
            "title": f"Modifier : {initiative.title}",
            "form": form,
            "quantities": quantities,
            "contacts": contacts,
            "organisation": organisation,
            "initiative": initiative,
            "editable": editable,
        },
    )


@require_POST
@member_required
def confirm(request, member, pk, answer):
    """The freshness ask answered from the space: still active, or ended."""
    initiative = _get_initiative_for_member(member, pk)
    if answer not in ("active", "terminee"):
        raise Http404("Réponse inconnue")
    try:
        organisation_initiative_confirm(
            member=member, initiative=initiative, ended=answer == "terminee"
        )
    except TransitionError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"« {initiative.title} » est marquée comme terminée."
            if answer == "terminee"
            else f"« {initiative.title} » est confirmée : elle reste affichée.",
        )
    return redirect("organisations:home")


@require_POST
@manager_required
def invite(request, member):
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            member_invite(
                organisation=member.organisation,
                by=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            form.add_error("email", error)
    if not form.is_valid():
        organisation = member.organisation
        initiatives = list(organisation_initiatives(organisation))
        return render(
            request,
            "organisations/home.html",
            {
                "title": f"Erreur : {organisation}",
                "member": member,
                "organisation": organisation,
                "initiatives": initiatives,
                "to_confirm": needs_confirmation(initiatives),
                "members": organisation.members.select_related("user"),
                "invitations": organisation.invitations.filter(accepted_at__isnull=True),
                "invite_form": form,
                "Status": Status,
            },
            status=400,
        )
    messages.success(
        request,
        f"L'invitation est envoyée à {form.cleaned_data['email']}. Elle vaut dès sa "
        "connexion avec ProConnect au nom de votre organisation.",
    )
    return redirect("organisations:home")


@require_POST
@manager_required
def accept(request, member, pk):
    waiting = get_object_or_404(
        OrganisationMember.objects.select_related("user"),
        pk=pk,
        organisation=member.organisation,
        accepted_at__isnull=True,
    )
    member_accept(member=waiting, by=request.user)
    name = waiting.user.get_full_name() or waiting.user.email
    messages.success(request, f"{name} est maintenant membre de l'organisation.")
    return redirect("organisations:home")
