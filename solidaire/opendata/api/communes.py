"""GET /api/v1/communes/?q=…&limit=…: the commune finder over HTTP (used by the autocomplete).

``?insee=62100`` looks one commune up by its INSEE code only, where ``?q=62100`` reads five
digits as a postal code first (Calais), as people type them.
"""

import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from solidaire.territory.finder import MAX_LIMIT, QueryError, find_by_insee, find_communes

_INSEE_RE = re.compile(r"^(?:\d{2}|2[AB])\d{3}$")


class CommuneMatchSerializer(serializers.Serializer):
    insee_code = serializers.CharField(help_text="Code INSEE de la commune (clé).")
    name = serializers.CharField()
    postal_codes = serializers.ListField(child=serializers.CharField())
    department_code = serializers.CharField()
    epci_code = serializers.CharField(help_text="SIREN de l'EPCI, vide s'il n'y en a pas.")
    arrondissement_code = serializers.CharField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    score = serializers.FloatField(
        help_text="100 : exact ; 90 : début du nom ; 80 : début d'un mot ; < 76 : approché."
    )


class CommuneQuerySerializer(serializers.Serializer):
    # "q" is checked by the finder itself (length, control characters), in French.
    limit = serializers.IntegerField(
        required=False,
        default=10,
        min_value=1,
        max_value=MAX_LIMIT,
        error_messages={
            "invalid": "Le paramètre limit doit être un nombre entier.",
            "min_value": "Le paramètre limit doit être au moins {min_value}.",
            "max_value": "Le paramètre limit doit être au plus {max_value}.",
            "max_string_length": "Le paramètre limit est trop long.",
        },
    )


def _insee_lookup(raw: str):
    code = raw.strip().upper()
    if not _INSEE_RE.match(code):
        raise QueryError(
            "Le paramètre insee doit être un code INSEE de cinq caractères, par exemple 62193."
        )
    match = find_by_insee(code)
    return [] if match is None else [match]


def _first_error(errors) -> str:
    for messages in errors.values():
        return str(messages[0])
    return "Paramètres invalides."


class CommuneSearchView(APIView):
    """Communes matching what people type (name with typos, postal code or INSEE code)."""

    @extend_schema(
        operation_id="communes_search",
        summary="Rechercher une commune",
        description=(
            "Recherche tolérante aux accents, tirets, apostrophes, « St »/« Ste » et fautes de "
            "frappe ; accepte un code postal ou un code INSEE. Cinq chiffres sont lus d'abord "
            "comme un code postal (ses communes, la plus peuplée d'abord), comme un code INSEE "
            "seulement si aucune commune n'a ce code postal ; « insee » cherche un code INSEE "
            "exact. Résultats du meilleur au moins bon."
        ),
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Nom, code postal ou code INSEE."),
            OpenApiParameter(
                "insee",
                OpenApiTypes.STR,
                description="Code INSEE exact (remplace q) : zéro ou une commune.",
            ),
            OpenApiParameter(
                "limit", OpenApiTypes.INT, description=f"1 à {MAX_LIMIT}, 10 par défaut."
            ),
        ],
        responses={
            200: inline_serializer(
                "CommuneSearchResults", {"results": CommuneMatchSerializer(many=True)}
            ),
            400: inline_serializer("ApiError", {"detail": serializers.CharField()}),
        },
        tags=["communes"],
    )
    def get(self, request):
        params = CommuneQuerySerializer(data=request.query_params)
        if not params.is_valid():
            return Response({"detail": _first_error(params.errors)}, status=400)
        try:
            if "insee" in request.query_params:
                matches = _insee_lookup(request.query_params["insee"])
            else:
                matches = find_communes(
                    request.query_params.get("q", ""), params.validated_data["limit"]
                )
        except QueryError as error:
            return Response({"detail": str(error)}, status=400)
        return Response({"results": CommuneMatchSerializer(matches, many=True).data})
