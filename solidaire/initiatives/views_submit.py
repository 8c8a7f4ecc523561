"""The public submission form and the submitter's private link (no account needed)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_ratelimit.core import get_usage

from solidaire.lib.typography import wait_phrase

from .forms import InitiativeForm, ProposeForm, all_valid, build_forms
from .models import Actor, Initiative, Status
from .selectors import submission_exists
from .services import (
    StaleVersion,
    TransitionError,
    initiative_resubmit,
    initiative_submit,
    initiative_update,
    initiative_withdraw,
)

SUBMITTER_EDITABLE = (Status.SUBMITTED, Status.CHANGES_REQUESTED)
STALE_FOR_SUBMITTER = (
    "Votre initiative a été modifiée pendant que vous la corrigiez (par la préfecture ou "
    "depuis une autre page). Rien n'a été enregistré : votre saisie est conservée ci-dessous ; "
    "enregistrez de nouveau pour la garder."
)


def _submit_rate(group, request):
    return settings.SUBMIT_RATE_LIMIT


def _accepted_usage(request, *, increment: bool) -> dict | None:
    """This address's accepted proposals in the current window (django-ratelimit's counter).

    Only accepted proposals are counted, so that validation errors never use up the quota.
    None when rate limits are off.
    """
    return get_usage(
        request, group="propose", key="ip", rate=_submit_rate, method="POST", increment=increment
    )


def _wait_seconds(request) -> int | None:
    """Seconds before this address may propose again, or None if it may now."""
    usage = _accepted_usage(request, increment=False)
    if usage is None or usage["count"] < usage["limit"]:
        return None
    return max(1, usage["time_left"])


def _too_large(request):
    return render(
        request,
        "initiatives/submit/too_large.html",
        {"title": "Envoi trop volumineux"},
        status=413,
    )


def _form_page(request, template, context):
    return render(request, template, context, status=400 if request.method == "POST" else 200)


def propose(request):
    if request.method == "POST":
        try:
            data = request.POST
        except RequestDataTooBig:
            return _too_large(request)
    else:
        data = None
    form, quantities, contacts = build_forms(ProposeForm, data)
    context = {
        "title": "Proposer une initiative",
        "form": form,
        "quantities": quantities,
        "contacts": contacts,
    }
    if data is None:
        form.initial.setdefault("owner_department", settings.HOME_DEPARTMENT)
    elif form.is_spam:
        # Answer as if all went well: the robot learns nothing, nothing is stored.
        return render(request, "initiatives/submit/done.html", {"title": "Merci !"})
    elif all_valid(form, quantities, contacts):
        key = form.cleaned_data["submission_key"]
        # A repeated POST of an accepted form (double click) is answered, not counted.
        wait = None if submission_exists(key) else _wait_seconds(request)
        if wait is not None:
            # The page itself, filled as sent: the same key sends it once, later.
            response = render(
                request,
                "initiatives/submit/propose.html",
                {**context, "retry_in": wait_phrase(wait)},
                status=429,
            )
            response["Retry-After"] = str(wait)
            return response
        initiative, created = initiative_submit(
            submission_key=key, **form.service_kwargs(quantities, contacts)
        )
        if created:
            _accepted_usage(request, increment=True)
        request.session["submitted_token"] = initiative.submitter_token
        return redirect("initiatives:propose_done")
    return _form_page(request, "initiatives/submit/propose.html", context)


def propose_done(request):
    token = request.session.get("submitted_token")
    initiative = Initiative.objects.filter(submitter_token=token).first() if token else None
    return render(
        request, "initiatives/submit/done.html", {"title": "Merci !", "initiative": initiative}
    )


def _by_token(token) -> Initiative:
    return get_object_or_404(
        Initiative.objects.select_related("campaign", "owner_department"), submitter_token=token
    )


def follow(request, token):
    initiative = _by_token(token)
    return render(
        request,
        "initiatives/submit/follow.html",
        {
            "title": f"Suivi de votre initiative : {initiative.title}",
            "initiative": initiative,
            "editable": initiative.status in SUBMITTER_EDITABLE,
            "transitions": initiative.transitions.all(),
            "Status": Status,
        },
    )


def follow_edit(request, token):
    initiative = _by_token(token)
    if initiative.status not in SUBMITTER_EDITABLE:
        raise PermissionDenied
    if request.method == "POST":
        try:
            data = request.POST
        except RequestDataTooBig:
            return _too_large(request)
        form, quantities, contacts = build_forms(InitiativeForm, data)
        saved = False
        if all_valid(form, quantities, contacts):
            try:
                initiative_update(
                    initiative=initiative,
                    actor=Actor.SUBMITTER,
                    expected_version=form.cleaned_data.get("version"),
                    **form.service_kwargs(quantities, contacts),
                )
                saved = True
            except StaleVersion as stale:
                # Edited meanwhile: keep the input, now based on the stored version.
                data = data.copy()
                data["version"] = str(stale.current.version)
                form, quantities, contacts = build_forms(InitiativeForm, data)
                all_valid(form, quantities, contacts)
                form.add_error(None, STALE_FOR_SUBMITTER)
        if saved:
            if "renvoyer" in request.POST and initiative.status == Status.CHANGES_REQUESTED:
                initiative_resubmit(initiative=initiative)
                messages.success(request, "Vos modifications sont envoyées à la préfecture.")
                return redirect("initiatives:follow", token=token)
            messages.success(request, "Vos modifications sont enregistrées.")
            return redirect("initiatives:follow", token=token)
    else:
        form, quantities, contacts = build_forms(InitiativeForm, initiative=initiative)
    return _form_page(
        request,
        "initiatives/submit/edit.html",
        {
            "title": "Modifier votre initiative",
            "initiative": initiative,
            "form": form,
            "quantities": quantities,
            "contacts": contacts,
        },
    )


def _submitter_step(request, token, step, done_message):
    initiative = _by_token(token)
    try:
        step(initiative=initiative)
    except TransitionError:
        # Not allowed from the current status: a forged or stale request.
        raise PermissionDenied from None
    messages.success(request, done_message)
    return redirect("initiatives:follow", token=token)


@require_POST
def follow_withdraw(request, token):
    return _submitter_step(request, token, initiative_withdraw, "Votre initiative est retirée.")


@require_POST
def follow_resubmit(request, token):
    return _submitter_step(
        request, token, initiative_resubmit, "Votre initiative est renvoyée à la préfecture."
    )
