"""Moderators add, edit and remove an initiative's calls for volunteers.

A call is published with its initiative: these pages write the call, the initiative's own
workflow decides whether the public sees it.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from solidaire.accounts.access import role_required
from solidaire.accounts.models import Role
from solidaire.initiatives.forms_volunteers import StaffVolunteerCallForm
from solidaire.initiatives.models import VolunteerCall
from solidaire.initiatives.services import (
    volunteer_call_create,
    volunteer_call_delete,
    volunteer_call_update,
)

from .access import get_initiative_for_user


def _get_call_for_user(request, pk, call_pk) -> VolunteerCall:
    initiative = get_initiative_for_user(request, pk)
    return get_object_or_404(
        VolunteerCall.objects.select_related("commune"), pk=call_pk, initiative=initiative
    )


def _form_page(request, initiative, form, *, call=None):
    return render(
        request,
        "moderation/volunteer_call.html",
        {
            "title": f"{'Modifier' if call else 'Ajouter'} un appel à bénévoles : {initiative.title}",
            "initiative": initiative,
            "call": call,
            "call_form": form,
            "calls": initiative.volunteer_calls.select_related("commune"),
        },
        status=400 if request.method == "POST" else 200,
    )


def _save(request, form, save, done) -> bool:
    """Run the service; a refusal it makes (the form let it through) is shown on the form."""
    try:
        save()
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return False
    messages.success(request, done)
    return True


@role_required(Role.MODERATOR)
def call_add(request, pk):
    initiative = get_initiative_for_user(request, pk)
    form = StaffVolunteerCallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = _save(
            request,
            form,
            lambda: volunteer_call_create(
                initiative=initiative, data=form.cleaned_data, by=request.user
            ),
            "L'appel à bénévoles est enregistré. Il est publié avec l'initiative.",
        )
        if saved:
            return redirect("moderation:review", pk=initiative.pk)
    return _form_page(request, initiative, form)


@role_required(Role.MODERATOR)
def call_edit(request, pk, call_pk):
    call = _get_call_for_user(request, pk, call_pk)
    initiative = call.initiative
    if request.method == "POST":
        form = StaffVolunteerCallForm(request.POST)
        if form.is_valid() and _save(
            request,
            form,
            lambda: volunteer_call_update(call=call, data=form.cleaned_data, by=request.user),
            "L'appel à bénévoles est modifié.",
        ):
            return redirect("moderation:review", pk=initiative.pk)
    else:
        form = StaffVolunteerCallForm(initial=StaffVolunteerCallForm.initial_from(call))
    return _form_page(request, initiative, form, call=call)


@require_POST
@role_required(Role.MODERATOR)
def call_delete(request, pk, call_pk):
    call = _get_call_for_user(request, pk, call_pk)
    volunteer_call_delete(call=call, by=request.user)
    messages.success(request, "L'appel à bénévoles est supprimé.")
    return redirect("moderation:review", pk=pk)
