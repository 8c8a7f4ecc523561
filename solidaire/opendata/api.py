"""Read-only REST API (/api/v1/): initiatives, campaigns, bulletins and figures.

Filters are validated by ``InitiativeFilterSerializer`` and answered by
``initiative_search``, exactly like the public list and the exports.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from solidaire.initiatives.models import ActorKind, Campaign
from solidaire.initiatives.selectors import InitiativeFilters

from .filters import (
    PUBLIC_STATUS_VALUES,
    QUERY_STRING_MAX_LENGTH,
    InitiativeFilterSerializer,
    parse_filters,
)
from .figures import figures
from .pagination import InitiativeCursorPagination
from .selectors import public_initiatives
from .serializers import (
    CampaignSerializer,
    ErrorSerializer,
    InitiativeSerializer,
    StatsSerializer,
)

MAX_ID = 2**63 - 1


class AnonymousThrottle(AnonRateThrottle):
    """DRF's anonymous throttle, reading its rate at request time (tests raise it)."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


ERRORS = {
    400: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description="Paramètre invalide : {\"detail\": \"…\"} ou, par paramètre, "
        "{\"nom\": [\"message\"]} (valeurs possibles citées).",
    ),
    429: OpenApiResponse(
        ErrorSerializer,
        description="Trop de requêtes anonymes : réessayer après le délai de l'en-tête Retry-After.",
    ),
}
# The serializer's fields as query parameters, with the closed lists spelt out.
FILTER_PARAMETERS = [
    InitiativeFilterSerializer,
    # An empty value means "no filter", as in the public list's form.
    OpenApiParameter(
        "actor_kind", str, enum=["", *ActorKind.values], description="Type de porteur ; vide : tous."
    ),
    OpenApiParameter(
        "status",
        str,
        enum=["", *PUBLIC_STATUS_VALUES],
        description="published ou archived ; vide : les deux.",
    ),
]
NOT_FOUND = {404: OpenApiResponse(ErrorSerializer, description="Initiative inconnue ou non publique.")}


class PublicAPIMixin:
    throttle_classes = [AnonymousThrottle]
    authentication_classes = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if len(request.META.get("QUERY_STRING", "")) > QUERY_STRING_MAX_LENGTH:
            raise ValidationError(
                {"detail": f"Requête trop longue (plus de {QUERY_STRING_MAX_LENGTH} caractères)."}
            )

    def get_filters(self) -> InitiativeFilters:
        filters, errors = parse_filters(self.request.query_params)
        if errors:
            raise ValidationError(errors)
        return filters


class InitiativeViewSet(PublicAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Initiatives publiées et archivées, les plus récentes d'abord."""

    serializer_class = InitiativeSerializer
    pagination_class = InitiativeCursorPagination
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        if self.action == "list":
            return public_initiatives(filters=self.get_filters())
        return public_initiatives(filters=InitiativeFilters())

    def get_object(self):
        raw = self.kwargs["pk"]
        pk = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 20 else 0
        if not 1 <= pk <= MAX_ID:
            raise NotFound("Initiative inconnue ou non publique.")
        obj = self.get_queryset().filter(pk=pk).first()
        if obj is None:
            raise NotFound("Initiative inconnue ou non publique.")
        return obj

    @extend_schema(
        parameters=FILTER_PARAMETERS,
        responses={200: InitiativeSerializer(many=True), **ERRORS},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        description="Une initiative publiée ou archivée.",
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        responses={200: InitiativeSerializer, **NOT_FOUND, **ERRORS},
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


class CampaignListView(PublicAPIMixin, generics.ListAPIView):
    """Campagnes (crises) et leurs thèmes."""

    serializer_class = CampaignSerializer
    pagination_class = None

    def get_queryset(self):
        return Campaign.objects.prefetch_related("themes__parent", "departments").order_by(
            "-is_active", "-start_date", "name", "pk"
        )

    @extend_schema(responses={200: CampaignSerializer(many=True), **ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


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
