"""GET /api/v1/bulletins/: published numbers with their relayed initiatives, as published.

A number is served from its published snapshot (the frozen content every renderer uses),
so a later edit of an initiative never changes what a past number said.
"""

from django.conf import settings
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError

from solidaire.bulletins.models import BulletinSeries
from solidaire.bulletins.selectors import published_bulletins
from solidaire.initiatives.filters import ChoiceCode

from ..pagination import InitiativeCursorPagination
from .base import ERRORS, PublicAPIMixin


class BulletinItemSerializer(serializers.Serializer):
    initiative_id = serializers.IntegerField(allow_null=True)
    initiative_title = serializers.CharField(allow_blank=True)
    paragraph = serializers.CharField(allow_blank=True)
    contact_label = serializers.CharField(allow_blank=True)
    contact_text = serializers.CharField(allow_blank=True)


class BulletinSectionSerializer(serializers.Serializer):
    heading = serializers.CharField()
    items = BulletinItemSerializer(many=True)


class BulletinSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    series = serializers.CharField(source="series.slug")
    series_title = serializers.CharField(source="series.title")
    department = serializers.CharField(source="series.department_id")
    number = serializers.IntegerField()
    title = serializers.SerializerMethodField()
    issue_date = serializers.DateField()
    dateline = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField()
    introduction = serializers.SerializerMethodField()
    closing = serializers.SerializerMethodField()
    calls_to_action = serializers.SerializerMethodField()
    sections = serializers.SerializerMethodField()

    def _snapshot(self, bulletin, key, default=""):
        return (bulletin.snapshot or {}).get(key, default)

    def get_url(self, bulletin) -> str:
        return f"{settings.SITE_ROOT}{bulletin.get_absolute_url()}"

    def get_title(self, bulletin) -> str:
        return self._snapshot(bulletin, "title") or str(bulletin)

    def get_dateline(self, bulletin) -> str:
        return self._snapshot(bulletin, "dateline")

    def get_introduction(self, bulletin) -> str:
        return self._snapshot(bulletin, "introduction")

    def get_closing(self, bulletin) -> str:
        return self._snapshot(bulletin, "closing")

    def get_calls_to_action(self, bulletin) -> str:
        return self._snapshot(bulletin, "calls_to_action")

    @extend_schema_field(BulletinSectionSerializer(many=True))
    def get_sections(self, bulletin):
        return self._snapshot(bulletin, "sections", [])


def _series_slugs() -> list[str]:
    return list(BulletinSeries.objects.order_by("slug").values_list("slug", flat=True))


class BulletinFilterSerializer(serializers.Serializer):
    series = ChoiceCode(allowed=_series_slugs, help_text="Identifiant (slug) de la série.")


class BulletinListView(PublicAPIMixin, generics.ListAPIView):
    """Numéros publiés des bulletins, les plus récents d'abord, avec leurs initiatives."""

    serializer_class = BulletinSerializer
    pagination_class = InitiativeCursorPagination  # same order: -published_at, -id

    def get_queryset(self):
        params = BulletinFilterSerializer(data=self.request.query_params)
        if not params.is_valid():
            raise ValidationError(params.errors)
        qs = published_bulletins()
        if params.validated_data.get("series"):
            qs = qs.filter(series__slug=params.validated_data["series"])
        return qs

    @extend_schema(
        parameters=[BulletinFilterSerializer],
        responses={200: BulletinSerializer(many=True), **ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
