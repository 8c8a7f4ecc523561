"""GET /api/v1/initiatives/ and /api/v1/initiatives/<id>/: published and archived
initiatives, filtered exactly like the public list (``initiative_search``)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import NotFound

from solidaire.initiatives.search import search_work_mem
from solidaire.initiatives.selectors import InitiativeFilters

from ..pagination import InitiativeCursorPagination
from ..selectors import public_initiatives
from ..serializers import InitiativeSerializer
from .base import ERRORS, FILTER_PARAMETERS, MAX_ID, NOT_FOUND, PublicAPIMixin


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
        if not request.query_params.get("q"):
            return super().list(request, *args, **kwargs)
        with search_work_mem():
            return super().list(request, *args, **kwargs)

    @extend_schema(
        description="Une initiative publiée ou archivée.",
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
        responses={200: InitiativeSerializer, **NOT_FOUND, **ERRORS},
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)
