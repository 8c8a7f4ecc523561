"""GET /api/v1/stats/: the figures of /chiffres/, with the same filters as the list."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from ..figures import figures
from ..serializers import StatsSerializer
from .base import ERRORS, FILTER_PARAMETERS, PublicAPIMixin


def _bars(chart) -> list[dict]:
    return [{"code": code, "label": label, "value": value} for code, label, value in chart.rows]


class StatsView(PublicAPIMixin, APIView):
    """Chiffres des initiatives publiques (mêmes filtres que /api/v1/initiatives/)."""

    @extend_schema(parameters=FILTER_PARAMETERS, responses={200: StatsSerializer, **ERRORS})
    def get(self, request):
        result, _ = figures(filters=self.get_filters())
        charts = result["charts"]
        return Response(
            {
                "total": result["total"],
                "published": result["published"],
                "archived": result["archived"],
                "by_theme": _bars(charts["themes"]),
                "by_actor_kind": _bars(charts["types-de-porteur"]),
                "by_arrondissement": _bars(charts["arrondissements"]),
                "by_epci": _bars(charts["epci"]),
                "by_week": _bars(charts["semaines"]),
                "quantities": _bars(charts["quantites"]),
            }
        )
