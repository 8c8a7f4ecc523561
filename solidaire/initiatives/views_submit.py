"""The public submission form and the submitter's private link (no account needed)."""

import hmac
import secrets
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.core import get_usage

from solidaire.lib.typography import wait_phrase

from .forms import InitiativeForm, ProposeForm, all_valid, build_forms
from .forms_volunteers import PREFIX as CALL_PREFIX
from .forms_volunteers import ProposeVolunteerCallForm
from .models import Actor, Initiative, Status
from .selectors import private_link_expired, submission_exists
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


SUBMISSION_SECRET = "submission_secret"


def _session_secret(request) -> str:
    secret = request.session.get(SUBMISSION_SECRET)
    if secret is None:
        secret = request.session[SUBMISSION_SECRET] = secrets.token_hex(16)
    return secret


def _stored_key(request, key: str) -> str:
    """The idempotency key as stored: the form's key bound to this browser's session.

    The form's key is visible in its page; bound to a secret the session alone holds, a
    key reused from another browser finds nothing and makes a new proposal, instead of
    answering with someone else's private link.
    """
    return hmac.new(_session_secret(request).encode(), key.encode(), "sha256").hexdigest()


def _form_page(request, template, context):
    return render(request, template, context, status=400 if request.method == "POST" else 200)


@never_cache
def propose(request):
    # The secret exists before the first POST, so a double click shares it.
    _session_secret(request)
    if request.method == "POST":
        try:
            data = request.POST
        except RequestDataTooBig:
            return _too_large(request)
    else:
        data = None
    form, quantities, contacts = build_forms(ProposeForm, data)
    call_form = ProposeVolunteerCallForm(data, prefix=CALL_PREFIX)
    context = {
        "title": "Proposer une initiative",
        "form": form,
        "quantities": quantities,
        "contacts": contacts,
        "call_form": call_form,
    }
    if data is None:
        form.initial.setdefault("owner_department", settings.HOME_DEPARTMENT)
    elif form.is_spam:
        # Answer as if all went well: the robot learns nothing, nothing is stored.
        return render(request, "initiatives/submit/done.html", {"title": "Merci !"})
    elif all([all_valid(form, quantities, contacts), call_form.is_valid()]):
        key = _stored_key(request, form.cleaned_data["submission_key"])
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
            submission_key=key,
            volunteer_call=call_form.call_data(),
            **form.service_kwargs(quantities, contacts),
        )
        if created:
            _accepted_usage(request, increment=True)
        request.session["submitted_token"] = initiative.submitter_token
        return redirect("initiatives:propose_done")
    return _form_page(request, "initiatives/submit/propose.html", context)


@never_cache
def propose_done(request):
    token = request.session.get("submitted_token")
    initiative = Initiative.objects.filter(submitter_token=token).first() if token else None
    return render(
        request, "initiatives/submit/done.html", {"title": "Merci !", "initiative": initiative}
    )


def private_link(view):
    """A view of the submitter's private link: never cached, 404 for an unknown token,
    410 and a French page once expired; the view gets the initiative."""

    @never_cache
    @wraps(view)
    def wrapper(request, token, *args, **kwargs):
        initiative = get_object_or_404(
            Initiative.objects.select_related("campaign", "owner_department"),
            submitter_token=token,
        )
        if private_link_expired(initiative, now=timezone.now()):
            return render(
                request,
                "initiatives/submit/link_expired.html",
                {"title": "Lien expiré", "days": settings.PRIVATE_LINK_TTL_DAYS},
                status=410,
            )
        return view(request, initiative, *args, **kwargs)

    return wrapper


@private_link
def follow(request, initiative):
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


@private_link
def follow_edit(request, initiative):
    token = initiative.submitter_token
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


def _submitter_step(request, initiative, step, done_message):
    try:
        step(initiative=initiative)
    except TransitionError:
        # Not allowed from the current status: a forged or stale request.
        raise PermissionDenied from None
    messages.success(request, done_message)
    return redirect("initiatives:follow", token=initiative.submitter_token)


@require_POST
@private_link
def follow_withdraw(request, initiative):
    return _submitter_step(
        request, initiative, initiative_withdraw, "Votre initiative est retirée."
    )


@require_POST
@private_link
def follow_resubmit(request, initiative):
    return _submitter_step(
        request, initiative, initiative_resubmit, "Votre initiative est renvoyée à la préfecture."
    )
