"""API representations. Only public fields are listed; submitter data has no serializer."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from solidaire.initiatives.contacts import ContactView, contact_view
from solidaire.initiatives.models import (
    VOLUNTEER_CALL_FIELDS,
    Campaign,
    Initiative,
    Place,
    Quantity,
    Theme,
    VolunteerCall,
)

from .columns import initiative_url
from .records import TIMELINE_FIELDS
from .selectors import place_code, place_name, place_point


class ThemeSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Theme
        fields = ["slug", "name", "parent", "position"]


class CampaignSerializer(serializers.ModelSerializer):
    themes = ThemeSerializer(many=True, read_only=True)
    departments = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "slug",
            "name",
            "description",
            "start_date",
            "end_date",
            "is_active",
            "departments",
            "themes",
        ]


class PlaceSerializer(serializers.ModelSerializer):
    code = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()
    latitude = serializers.SerializerMethodField()
    longitude = serializers.SerializerMethodField()

    class Meta:
        model = Place
        fields = ["kind", "code", "name", "latitude", "longitude"]

    def get_code(self, place) -> str:
        return place_code(place)

    def get_name(self, place) -> str:
        return place_name(place)

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_latitude(self, place):
        point = place_point(place)
        return point[0] if point else None

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_longitude(self, place):
        point = place_point(place)
        return point[1] if point else None


class QuantitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Quantity
        fields = ["count", "approximate", "item", "item_key", "period"]


class ContactSerializer(serializers.Serializer):
    """A contact as stored (``kind``, ``value``: a mairie's is its commune's INSEE code), and
    as read (``label``) with its link (``url``: the Annuaire's entry of a mairie)."""

    kind = serializers.CharField()
    value = serializers.CharField()
    label = serializers.CharField()
    url = serializers.CharField()

    def to_representation(self, instance):
        view = (
            instance
            if isinstance(instance, ContactView)
            else contact_view(instance.kind, instance.value)
        )
        return super().to_representation(view)


class VolunteerCallSerializer(serializers.ModelSerializer):
    """An open call for volunteers (only those of listed, running initiatives)."""

    commune = serializers.CharField(source="commune_id", read_only=True, allow_null=True)

    class Meta:
        model = VolunteerCall
        fields = ["id", *VOLUNTEER_CALL_FIELDS]


class InitiativeSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    campaign = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    themes = serializers.SerializerMethodField()
    owner_department = serializers.CharField(source="owner_department_id", read_only=True)
    places = PlaceSerializer(many=True, read_only=True)
    quantities = QuantitySerializer(many=True, read_only=True)
    public_contacts = ContactSerializer(source="contacts", many=True, read_only=True)
    volunteer_calls = VolunteerCallSerializer(source="open_calls", many=True, read_only=True)

    class Meta:
        model = Initiative
        fields = [
            "id",
            "url",
            "title",
            "description",
            "campaign",
            "themes",
            "actor_name",
            "actor_kind",
            "beneficiaries",
            "owner_department",
            "places",
            "quantities",
            "public_contacts",
            "volunteer_calls",
            *TIMELINE_FIELDS,
        ]

    def get_url(self, initiative) -> str:
        return initiative_url(initiative.pk)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_themes(self, initiative):
        # Slugs, as in the ``theme`` filter; names are in /api/v1/campaigns/.
        return [theme.slug for theme in initiative.themes.all()]


class BarSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    value = serializers.IntegerField()


class StatsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    published = serializers.IntegerField()
    archived = serializers.IntegerField()
    by_theme = BarSerializer(many=True)
    by_actor_kind = BarSerializer(many=True)
    by_arrondissement = BarSerializer(many=True)
    by_epci = BarSerializer(many=True)
    by_week = BarSerializer(many=True)
    quantities = BarSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
