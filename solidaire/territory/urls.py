from django.urls import path

from . import views

app_name = "territory"

# The commune page lists initiatives: it lives in the initiatives app ("initiatives:commune").
urlpatterns = [
    path("communes/", views.commune_search, name="search"),
    path("territoire/communes-62.geojson", views.communes_62_geojson, name="geojson-62"),
]
