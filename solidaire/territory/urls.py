from django.urls import path

from . import views

app_name = "territory"

# "Trouver ma commune" and the commune page live in the initiatives app (they list
# initiatives); they reuse territory/_commune_identity.html and _commune_map.html.
urlpatterns = [
    path("territoire/communes-62.geojson", views.communes_62_geojson, name="geojson-62"),
]
