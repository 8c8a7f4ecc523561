from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views
from .api.bulletins import BulletinListView
from .api.campaigns import CampaignListView
from .api.communes import CommuneSearchView
from .api.initiatives import InitiativeViewSet
from .api.stats import StatsView

app_name = "opendata"

initiative_list = InitiativeViewSet.as_view({"get": "list"})
initiative_detail = InitiativeViewSet.as_view({"get": "retrieve"})

urlpatterns = [
    path("api/v1/communes/", CommuneSearchView.as_view(), name="api-communes"),
    path("api/v1/initiatives/", initiative_list, name="api-initiatives"),
    path("api/v1/initiatives/<str:pk>/", initiative_detail, name="api-initiative"),
    path("api/v1/campaigns/", CampaignListView.as_view(), name="api-campaigns"),
    path("api/v1/bulletins/", BulletinListView.as_view(), name="api-bulletins"),
    path("api/v1/stats/", StatsView.as_view(), name="api-stats"),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/v1/docs/",
        # The split view serves its start-up script as a file (?script): the CSP allows no
        # inline script; the page's template drops the inline <style> too.
        SpectacularSwaggerSplitView.as_view(
            url_name="opendata:api-schema", template_name="opendata/swagger_ui.html"
        ),
        name="api-docs",
    ),
    path("donnees/", views.index, name="index"),
    path("donnees/datapackage.json", views.datapackage_json, name="datapackage"),
    path("donnees/schema.json", views.table_schema_json, name="table-schema"),
    path(
        "donnees/initiatives-tableur.csv",
        views.spreadsheet_export,
        {"fmt": "tableur"},
        name="export-spreadsheet",
    ),
    path("donnees/initiatives.<str:fmt>", views.export, name="export"),
    path(
        "donnees/data-inclusion-<str:kind>.json",
        views.data_inclusion_export,
        name="export-data-inclusion",
    ),
    path("chiffres/", views.figures_page, name="figures"),
    path("chiffres/<slug:slug>.csv", views.chart_csv, name="chart-csv"),
]
