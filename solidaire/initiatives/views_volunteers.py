"""Public pages of the calls for volunteers: /benevolat/ and the feeds API Engagement reads."""

from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from .forms_volunteers import VolunteerCallFilterForm
from .selectors import volunteer_call_search
from .volunteer_feed import feed_calls, feed_xml, mission_record

PER_PAGE = 20


def call_list(request):
    form = VolunteerCallFilterForm(request.GET)
    form.is_valid()  # errors are shown; the valid filters still apply
    calls = volunteer_call_search(filters=form.filters())
    page = Paginator(calls, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "initiatives/volunteers/list.html",
        {
            "title": "Appels à bénévoles",
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": any(request.GET.get(name) for name in form.fields),
        },
    )


def api_engagement_feed(request):
    """The XML feed API Engagement pulls (docs/specs/api-engagement/xml-feed.md)."""
    return HttpResponse(feed_xml(feed_calls()), content_type="application/xml; charset=utf-8")


def missions_json(request):
    """The same missions as JSON records in the OpenAPI "createMission" body's shape."""
    missions = [mission_record(call) for call in feed_calls()]
    return JsonResponse(
        {"count": len(missions), "missions": missions},
        json_dumps_params={"ensure_ascii": False},
    )
