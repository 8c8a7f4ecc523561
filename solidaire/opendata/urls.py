from django.urls import path

from .api.communes import CommuneSearchView

app_name = "opendata"

urlpatterns = [
    path("api/v1/communes/", CommuneSearchView.as_view(), name="api-communes"),
]
