from django.urls import path, register_converter
from django.urls.converters import StringConverter

from . import views


class OutlineConverter(StringConverter):
    """The names of the shipped outline files; anything else is a 404 before any read."""

    regex = "communes-[0-9][0-9AB][0-9]?|departements|regions"


register_converter(OutlineConverter, "outline")

app_name = "territory"

# The commune page lists initiatives: it lives in the initiatives app ("initiatives:commune").
urlpatterns = [
    path("communes/", views.commune_search, name="search"),
    path("territoire/<outline:name>.geojson", views.outline_geojson, name="outline"),
]
