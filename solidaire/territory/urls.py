from django.urls import path

from . import views

app_name = "territory"

urlpatterns = [
    path("communes/", views.commune_search, name="search"),
    path("communes/<str:insee>/", views.commune_detail, name="commune"),
    path("territoire/communes-62.geojson", views.communes_62_geojson, name="geojson-62"),
]
