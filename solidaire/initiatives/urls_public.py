from django.urls import path, register_converter
from django.urls.converters import StringConverter

from . import feeds, views_map, views_places, views_public, views_volunteers


class CodeConverter(StringConverter):
    """INSEE, SIREN and arrondissement codes: anything else is a 404 before any query."""

    regex = "[0-9A-Za-z]{1,12}"


register_converter(CodeConverter, "code")

# Names live in the "initiatives" namespace (see urls.py).
urlpatterns = [
    path("", views_public.home, name="home"),
    path("initiatives/", views_public.initiative_list, name="list"),
    path("initiatives/<int:pk>/", views_public.initiative_detail, name="detail"),
    path("initiatives/<int:pk>/signaler/", views_public.initiative_report, name="report"),
    path("communes/<code:insee>/", views_places.commune_detail, name="commune"),
    path("epci/<code:siren>/", views_places.epci_detail, name="epci"),
    path("arrondissements/<code:code>/", views_places.arrondissement_detail, name="arrondissement"),
    path("departements/<code:code>/", views_places.department_detail, name="department"),
    path("regions/", views_places.france, name="france"),
    path("regions/<code:code>/", views_places.region_detail, name="region"),
    path("benevolat/", views_volunteers.call_list, name="volunteer_calls"),
    path(
        "benevolat/flux-api-engagement.xml",
        views_volunteers.api_engagement_feed,
        name="volunteer_feed_xml",
    ),
    path("benevolat/missions.json", views_volunteers.missions_json, name="volunteer_feed_json"),
    path("pres-de-chez-moi/", views_places.near_me, name="near_me"),
    path("carte/", views_map.map_page, name="map"),
    path("carte/compteurs.json", views_map.map_counts, name="map_counts"),
    path("carte/lieux.json", views_map.map_places, name="map_places"),
    path("carte/communes/<code:insee>/", views_map.map_panel, name="map_panel"),
    path(
        "flux/initiatives/<slug:slug>/rss/",
        feeds.CampaignInitiativesFeed(),
        name="feed_campaign_rss",
    ),
    path(
        "flux/initiatives/<slug:slug>/atom/",
        feeds.CampaignInitiativesAtomFeed(),
        name="feed_campaign_atom",
    ),
    path("flux/communes/<str:insee>/rss/", feeds.CommuneInitiativesFeed(), name="feed_commune_rss"),
    path(
        "flux/communes/<str:insee>/atom/",
        feeds.CommuneInitiativesAtomFeed(),
        name="feed_commune_atom",
    ),
    # Area and search feeds: what the area pages and the public list show.
    path("flux/epci/<code:code>/rss/", feeds.EpciInitiativesFeed(), name="feed_epci_rss"),
    path("flux/epci/<code:code>/atom/", feeds.EpciInitiativesAtomFeed(), name="feed_epci_atom"),
    path(
        "flux/arrondissements/<code:code>/rss/",
        feeds.ArrondissementInitiativesFeed(),
        name="feed_arrondissement_rss",
    ),
    path(
        "flux/arrondissements/<code:code>/atom/",
        feeds.ArrondissementInitiativesAtomFeed(),
        name="feed_arrondissement_atom",
    ),
    path(
        "flux/departements/<code:code>/rss/",
        feeds.DepartmentInitiativesFeed(),
        name="feed_department_rss",
    ),
    path(
        "flux/departements/<code:code>/atom/",
        feeds.DepartmentInitiativesAtomFeed(),
        name="feed_department_atom",
    ),
    path("flux/recherche/rss/", feeds.SearchInitiativesFeed(), name="feed_search_rss"),
    path("flux/recherche/atom/", feeds.SearchInitiativesAtomFeed(), name="feed_search_atom"),
]
