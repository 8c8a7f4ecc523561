"""Public pages: home, list and search, detail, report an error."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited

from solidaire.territory.forms import CommuneSearchForm
from solidaire.territory.instance import instance

from . import services
from .forms_public import InitiativeFilterForm, ReportForm
from .models import Campaign, Initiative, Status
from .paging import SEARCH_COUNT_CAP, list_page
from .search import search_work_mem
from .selectors import (
    InitiativeFilters,
    initiative_count_known,
    initiative_get_public,
    initiative_public_counts,
    initiative_search,
    volunteer_calls_of,
    with_card_data,
)

PER_PAGE = 20


def home(request):
    latest = with_card_data(initiative_search(filters=InitiativeFilters(status=Status.PUBLISHED)))
    return render(
        request,
        "initiatives/home.html",
        {
            "title": "Accueil",
            "latest": latest[:6],
            "counts": initiative_public_counts(),
            "campaigns": Campaign.objects.filter(is_active=True).prefetch_related("themes"),
            "commune_form": CommuneSearchForm(),
            **_territory_link(),
        },
    )


def _territory_link() -> dict:
    """The instance's territory named on the home page, linked to its page."""
    territory = instance()
    if territory.kind == "department":
        url = reverse("initiatives:department", args=[territory.single])
    elif territory.kind == "region":
        url = reverse("initiatives:region", args=[territory.region])
    else:
        url = reverse("initiatives:france")
    return {"territory": territory, "territory_url": url}


def filtered_page(request, *, per_page=PER_PAGE):
    """The filter form bound to the query string and the page of results it selects."""
    form = InitiativeFilterForm(request.GET)
    form.is_valid()  # errors are shown; the valid filters still apply
    filters = form.filters()
    qs = with_card_data(initiative_search(filters=filters))
    if not filters.q:
        known = initiative_count_known(filters=filters)
        return form, list_page(request, qs, per_page, known=known)
    with search_work_mem():
        return form, list_page(request, qs, per_page, cap=SEARCH_COUNT_CAP)


def follow_links(filters: InitiativeFilters, query_string: str) -> dict:
    """ "M'alerter" prefilled with the search's place and theme, and the search's feeds."""
    params = {}
    for name in ("commune", "epci", "arrondissement", "department"):
        if getattr(filters, name):
            params[name] = getattr(filters, name)
            break
    if filters.theme:
        params["theme"] = filters.theme
    suffix = f"?{query_string}" if query_string else ""
    return {
        "alert_query": urlencode(params),
        "rss": reverse("initiatives:feed_search_rss") + suffix,
        "atom": reverse("initiatives:feed_search_atom") + suffix,
    }


def initiative_list(request):
    form, page = filtered_page(request)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "title": "Initiatives",
        "form": form,
        "page": page,
        "follow": follow_links(form.filters(), query.urlencode()),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "initiatives/_results.html", context)
    return render(request, "initiatives/list.html", context)


def _get_public_or_404(pk: int) -> Initiative:
    initiative = initiative_get_public(pk=pk)
    if initiative is None:
        raise Http404("Initiative introuvable")
    return initiative


def initiative_detail(request, pk: int):
    initiative = _get_public_or_404(pk)
    # No form here: the report form holds a CSRF token, and this page is kept in the cache.
    return render(
        request,
        "initiatives/detail.html",
        {
            "title": initiative.title,
            "initiative": initiative,
            "calls": volunteer_calls_of(initiative),
        },
    )


def _report_rate(group, request):
    return settings.REPORT_RATE_LIMIT


def _report_page(request, initiative: Initiative, form: ReportForm, *, status: int = 200):
    """The report form: in place on the initiative's page (htmx), or a page of its own."""
    context = {
        "title": f"Signaler une erreur : {initiative.title}",
        "initiative": initiative,
        "report_form": form,
        "crumbs": [
            ("Initiatives", reverse("initiatives:list")),
            (Truncator(initiative.title).chars(60), initiative.get_absolute_url()),
        ],
    }
    fragment = request.htmx and not request.htmx.boosted and request.method == "GET"
    template = "initiatives/_report_form.html" if fragment else "initiatives/report.html"
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def initiative_report(request, pk: int):
    initiative = _get_public_or_404(pk)
    if request.method == "GET":
        form = ReportForm()
        # Loaded on demand: the visitor asked for the form, the message field takes the focus.
        form.fields["message"].widget.attrs["autofocus"] = True
        return _report_page(request, initiative, form)
    if is_ratelimited(
        request, group="initiatives.report", key="ip", rate=_report_rate, increment=True
    ):
        raise Ratelimited
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _report_page(request, initiative, form, status=400)
    if not form.is_spam:  # robots get the same answer and nothing is stored
        services.initiative_report(initiative=initiative, message=form.cleaned_data["message"])
    messages.success(request, "Merci : votre signalement a été transmis à la préfecture.")
    # Lands on the confirmation at the top (base.html), not on the form it thanks for.
    return redirect(initiative.get_absolute_url() + "#message")
