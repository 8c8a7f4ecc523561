"""The site's URLs plus a page made only of the territory includes (identity and map),
which the initiatives commune page reuses; it lets the browser test draw the map."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template import engines
from django.urls import path

from solidaire.territory.maps import commune_map_context
from solidaire.territory.models import Commune
from solidaire.urls import handler404, handler500  # noqa: F401
from solidaire.urls import urlpatterns as site_urlpatterns

PAGE = """{% extends "base.html" %}{% block content %}<h1>{{ commune.name }}</h1>
{% include "territory/_commune_identity.html" %}{% include "territory/_commune_map.html" %}
{% endblock %}"""


def commune_includes(request, insee):
    commune = get_object_or_404(
        Commune.objects.select_related("department__region", "arrondissement", "epci"), pk=insee
    )
    context = {"title": commune.name, "commune": commune, **commune_map_context(commune)}
    return HttpResponse(engines["django"].from_string(PAGE).render(context, request))


urlpatterns = [path("essai-territoire/<str:insee>/", commune_includes), *site_urlpatterns]
