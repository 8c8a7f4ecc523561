"""What every public endpoint of /api/v1/ shares: anonymous throttling, the query-string
limit, filter validation and the error responses declared in the schema."""

from django.http import JsonResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings

from solidaire.client_address import ClientAnonRateThrottle
from solidaire.initiatives.filters import (
    PUBLIC_STATUS_VALUES,
    InitiativeFilterSerializer,
    parse_filters,
    query_string_error,
)
from solidaire.initiatives.models import ActorKind
from solidaire.initiatives.selectors import InitiativeFilters

from ..serializers import ErrorSerializer

MAX_ID = 2**63 - 1


class AnonymousThrottle(ClientAnonRateThrottle):
    """The anonymous throttle (keyed on the client's address), reading its rate at request
    time (tests raise it)."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


ERRORS = {
    400: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description='Paramètre invalide : {"detail": "…"} ou, par paramètre, '
        '{"nom": ["message"]} (valeurs possibles citées).',
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
        "actor_kind",
        str,
        enum=["", *ActorKind.values],
        description="Type de porteur ; vide : tous.",
    ),
    OpenApiParameter(
        "status",
        str,
        enum=["", *PUBLIC_STATUS_VALUES],
        description="published ou archived ; vide : les deux.",
    ),
]
NOT_FOUND = {
    404: OpenApiResponse(ErrorSerializer, description="Initiative inconnue ou non publique.")
}


class PublicAPIMixin:
    throttle_classes = [AnonymousThrottle]
    authentication_classes = []

    def dispatch(self, request, *args, **kwargs):
        # Before DRF parses anything: Django raises on too many fields.
        error = query_string_error(request.META.get("QUERY_STRING", ""))
        if error:
            return JsonResponse({"detail": error}, status=400)
        return super().dispatch(request, *args, **kwargs)

    def get_filters(self) -> InitiativeFilters:
        filters, errors = parse_filters(self.request.query_params)
        if errors:
            raise ValidationError(errors)
        return filters
