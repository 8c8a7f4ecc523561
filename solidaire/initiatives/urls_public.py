from django.urls import path

from . import views_map, views_places, views_public

# Names live in the "initiatives" namespace (see urls.py).
urlpatterns = [
    path("", views_public.home, name="home"),
    path("initiatives/", views_public.initiative_list, name="list"),
    path("initiatives/<int:pk>/", views_public.initiative_detail, name="detail"),
    path("initiatives/<int:pk>/signaler/", views_public.initiative_report, name="report"),
    path("communes/", views_places.commune_search, name="commune_search"),
    path("communes/<str:insee>/", views_places.commune_detail, name="commune"),
    path("epci/<str:siren>/", views_places.epci_detail, name="epci"),
    path("arrondissements/<str:code>/", views_places.arrondissement_detail, name="arrondissement"),
    path("pres-de-chez-moi/", views_places.near_me, name="near_me"),
    path("carte/", views_map.map_page, name="map"),
    path("carte/compteurs.json", views_map.map_counts, name="map_counts"),
    path("carte/communes/<str:insee>/", views_map.map_panel, name="map_panel"),
    path("carte/communes-62.geojson", views_map.map_geojson, name="map_geojson"),
]
