"""Public pages: archive, series (with subscription), number, PDF, confirm, unsubscribe."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from .forms import SubscribeForm
from .models import Bulletin, BulletinSeries, BulletinStatus
from .pdf import PdfUnavailable, font_faces, get_pdf, pdf_marked_unavailable
from .selectors import published_bulletins
from .subscriptions import (
    SubscriptionError,
    recipient_for_token,
    subscriber_confirm,
    subscriber_subscribe,
    unsubscribe,
)


def _published(slug: str, number: int) -> Bulletin:
    return get_object_or_404(
        Bulletin.objects.select_related("series"),
        series__slug=slug,
        number=number,
        status=BulletinStatus.PUBLISHED,
    )


def pdf_available(bulletin: Bulletin) -> bool:
    if pdf_marked_unavailable(bulletin):
        return False
    try:
        font_faces()
    except PdfUnavailable:
        return False
    return True


def archive(request):
    series_list = BulletinSeries.objects.select_related("department").order_by("title")
    bulletins = published_bulletins()
    by_series = {}
    for bulletin in bulletins:
        by_series.setdefault(bulletin.series_id, []).append(bulletin)
    rows = [(series, by_series.get(series.pk, [])) for series in series_list]
    return render(request, "bulletins/public/archive.html", {"title": "Bulletins", "rows": rows})


def series_page(request, slug):
    # No form here: the subscription form holds a CSRF token, and this page is cached.
    series = get_object_or_404(BulletinSeries.objects.select_related("department"), slug=slug)
    context = {"title": series.title, "series": series, "bulletins": published_bulletins(series)}
    return render(request, "bulletins/public/series.html", context)


def _subscribe_page(request, series: BulletinSeries, form: SubscribeForm, *, status: int = 200):
    """The subscription form: in place on the series' page (htmx), or a page of its own."""
    fragment = request.htmx and not request.htmx.boosted and request.method == "GET"
    template = "_subscribe_form.html" if fragment else "subscribe.html"
    context = {"title": f"S’abonner : {series.title}", "series": series, "form": form}
    return render(request, f"bulletins/public/{template}", context, status=status)


@require_http_methods(["GET", "POST"])
@ratelimit(
    key="ip", rate=lambda group, request: settings.SUBSCRIBE_RATE_LIMIT, method="POST", block=True
)
def subscribe(request, slug):
    series = get_object_or_404(BulletinSeries, slug=slug)
    if request.method == "GET":
        form = SubscribeForm()
        # Loaded on demand: the visitor asked for the form, the address field takes the focus.
        form.fields["email"].widget.attrs["autofocus"] = True
        return _subscribe_page(request, series, form)
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return _subscribe_page(request, series, form, status=400)
    try:
        subscriber_subscribe(series=series, email=form.cleaned_data["email"])
    except SubscriptionError as exc:
        form.add_error("email", str(exc))
        return _subscribe_page(request, series, form, status=400)
    messages.success(
        request,
        "Presque terminé : ouvrez le lien de confirmation que nous venons de vous envoyer "
        "par e-mail pour recevoir les prochains numéros.",
    )
    return redirect(series)


@never_cache  # token pages are never kept by a browser or a proxy
def confirm(request, token):
    try:
        subscriber = subscriber_confirm(token=token)
    except SubscriptionError as exc:
        return render(
            request,
            "bulletins/public/message.html",
            {"title": "Confirmation impossible", "message": str(exc), "level": "error"},
            status=400,
        )
    return render(
        request,
        "bulletins/public/message.html",
        {
            "title": "Abonnement confirmé",
            "message": f"Vous recevrez les prochains numéros de « {subscriber.series.title} ».",
            "level": "success",
            "series": subscriber.series,
        },
    )


@never_cache
@csrf_exempt  # One-click unsubscription (RFC 8058) is a POST from the mail client.
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request, token):
    if request.method == "GET":
        recipient = recipient_for_token(token)
        return render(
            request,
            "bulletins/public/unsubscribe.html",
            {"title": "Se désabonner", "recipient": recipient},
            status=200 if recipient else 404,
        )
    series = unsubscribe(token=token)
    if series is None:
        message = "Ce lien de désabonnement n'est plus valide : l'adresse n'est plus abonnée."
    else:
        message = f"Vous ne recevrez plus « {series.title} ». Votre adresse a été effacée."
    return render(
        request,
        "bulletins/public/message.html",
        {"title": "Désabonnement", "message": message, "level": "success", "series": series},
    )


def detail(request, slug, number):
    bulletin = _published(slug, number)
    revisions = bulletin.revisions.filter(revision__gt=1).order_by("revision")
    context = {
        "title": bulletin.snapshot["title"],
        "bulletin": bulletin,
        "series": bulletin.series,
        "s": bulletin.snapshot,
        "revisions": revisions,
        "pdf_available": pdf_available(bulletin),
    }
    return render(request, "bulletins/public/detail.html", context)


def pdf(request, slug, number):
    bulletin = _published(slug, number)
    try:
        data = get_pdf(bulletin)
    except PdfUnavailable:
        return render(
            request,
            "bulletins/public/message.html",
            {
                "title": "PDF indisponible",
                "message": "Le PDF de ce numéro est momentanément indisponible. "
                "Vous pouvez le lire en ligne.",
                "level": "warning",
                "link": bulletin.get_absolute_url(),
                "link_text": f"Lire le n°{bulletin.number} en ligne",
            },
            status=503,
        )
    response = HttpResponse(data, content_type="application/pdf")
    filename = f"{bulletin.series.slug}-n{bulletin.number:02d}-{bulletin.issue_date}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
