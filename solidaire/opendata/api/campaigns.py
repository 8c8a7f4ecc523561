"""GET /api/v1/campaigns/: campaigns (crises) with their themes."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics

from solidaire.initiatives.models import Campaign

from ..serializers import CampaignSerializer
from .base import ERRORS, PublicAPIMixin


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
