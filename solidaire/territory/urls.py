from django.urls import path, register_converter

from . import views


class OutlineConverter:
    """The names of the shipped outline files; anything else is a 404 before any read."""

    regex = "communes-[0-9][0-9AB][0-9]?|departements|regions"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(OutlineConverter, "outline")

app_name = "territory"

# The commune page lists initiatives: it lives in the initiatives app ("initiatives:commune").
urlpatterns = [
    path("communes/", views.commune_search, name="search"),
    path("territoire/<outline:name>.geojson", views.outline_geojson, name="outline"),
]
