"""Alert pages: the subscription form (its own page, so that the pages linking to it stay
cacheable), confirmation, one-click unsubscription, the page managing an address's alerts.

Token pages are never cached, and a link only shows a button: mail scanners follow links,
only the button's POST changes anything (the RFC 8058 one-click POST excepted, by design).
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from solidaire.territory.models import Commune

from .forms import AlertForm, area_of
from .models import Alert, AlertRecipient, AlertScope
from .services import (
    AlertError,
    alert_confirm,
    alert_for_confirmation,
    alert_subscribe,
    alert_unsubscribe,
    recipient_unsubscribe_all,
)

TEMPLATE = "alerts/new.html"


def _initial(params) -> tuple[dict, object]:
    """The form prefilled from a page's "M'alerter" link: ?commune=, ?epci=, ?theme=…"""
    initial, area = {}, None
    commune_code = (params.get("commune") or "").strip().upper()
    if commune_code and len(commune_code) == 5 and commune_code.isalnum():
        commune = Commune.objects.filter(pk=commune_code).first()
        if commune is not None:
            initial["commune"] = commune
            initial["scope"] = AlertScope.NEAR if params.get("distance") else AlertScope.COMMUNE
    for scope in (AlertScope.EPCI, AlertScope.ARRONDISSEMENT, AlertScope.DEPARTMENT):
        if params.get(scope) and "scope" not in initial:
            area = area_of(scope, params[scope])
            if area is not None:
                initial.update(scope=scope, area=area.pk)
    if (params.get("distance") or "").isdigit():
        initial["distance"] = int(params["distance"])
    theme = params.get("theme", "")
    if theme:
        initial["themes"] = list(
            AlertForm().fields["themes"].queryset.filter(slug=theme).values_list("pk", flat=True)
        )
    return initial, area


def _render(request, form, area=None, status=200):
    return render(
        request,
        TEMPLATE,
        {"title": "M'alerter des nouvelles initiatives", "form": form, "area": area},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@ratelimit(
    key="ip",
    rate=lambda group, request: settings.SUBSCRIBE_RATE_LIMIT,
    method="POST",
    block=True,
)
def alert_new(request):
    if request.method == "GET":
        initial, area = _initial(request.GET)
        return _render(request, AlertForm(initial=initial), area)
    form = AlertForm(request.POST)
    if not form.is_valid() or form.place is None:
        return _render(request, form, status=400)
    alert = alert_subscribe(
        email=form.cleaned_data["email"],
        place=form.place,
        themes=form.cleaned_data["themes"],
        frequency=form.cleaned_data["frequency"],
    )
    return _message(
        request,
        "Presque terminé",
        "Ouvrez le lien de confirmation que nous venons d'envoyer à "
        f"{alert.recipient.email} : l'alerte ne partira qu'une fois confirmée.",
        level="success",
    )


def _message(request, title, message, *, level="info", status=200, manage=None):
    return render(
        request,
        "alerts/message.html",
        {"title": title, "message": message, "level": level, "manage": manage},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    try:
        alert = alert_for_confirmation(token=token)
        if request.method == "POST":
            alert = alert_confirm(token=token)
            return _message(
                request,
                "Alerte confirmée",
                f"Vous recevrez les initiatives publiées ou terminées : {alert.place_label} "
                f"({alert.get_frequency_display().lower()}).",
                level="success",
                manage=alert.recipient,
            )
    except AlertError as exc:
        return _message(request, "Confirmation impossible", str(exc), level="error", status=400)
    if alert.confirmed_at is not None:
        return _message(
            request,
            "Alerte déjà confirmée",
            "Cette alerte est déjà confirmée.",
            manage=alert.recipient,
        )
    return render(
        request,
        "alerts/confirm.html",
        {"title": "Confirmer mon alerte", "alert": alert, "themes": list(alert.themes.all())},
    )


@never_cache
@csrf_exempt  # One-click unsubscription (RFC 8058) is a POST from the mail client.
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    if request.method == "POST":
        alert = alert_unsubscribe(token=token)
        if alert is None:
            return _message(
                request,
                "Désabonnement",
                "Ce lien n'est plus valide : cette alerte a déjà été supprimée.",
            )
        recipient = AlertRecipient.objects.filter(pk=alert.recipient_id).first()
        return _message(
            request,
            "Alerte supprimée",
            f"Vous ne recevrez plus l'alerte « {alert.place_label} ».",
            level="success",
            manage=recipient,
        )
    alert = Alert.objects.filter(unsubscribe_token=token).select_related("recipient").first()
    return render(
        request,
        "alerts/unsubscribe.html",
        {"title": "Supprimer une alerte", "alert": alert},
        status=200 if alert else 404,
    )


def _recipient_or_404(token: str) -> AlertRecipient:
    if len(token) > 64:
        raise Http404
    return get_object_or_404(AlertRecipient, manage_token=token)


@never_cache
def manage(request, token):
    recipient = _recipient_or_404(token)
    alerts = recipient.alerts.select_related(
        "commune", "epci", "arrondissement", "department"
    ).prefetch_related("themes")
    return render(
        request,
        "alerts/manage.html",
        {"title": "Mes alertes", "recipient": recipient, "alerts": alerts},
    )


@never_cache
@require_POST
def manage_delete_all(request, token):
    recipient = _recipient_or_404(token)
    count = recipient_unsubscribe_all(recipient=recipient)
    return _message(
        request,
        "Alertes supprimées",
        f"{count} alerte(s) supprimée(s). Votre adresse a été effacée.",
        level="success",
    )
