from django.conf import settings

DATA_ATTRIBUTION = (
    "Sources : INSEE (COG 2026, populations légales), DGCL (EPCI 2026), La Poste (codes postaux), "
    "IGN (ADMIN EXPRESS 2018, GEOFLA 2016), via etalab/decoupage-administratif et "
    "gregoiredavid/france-geojson. Licence Ouverte 2.0."
)


def site(request):
    return {
        "SITE_TITLE": settings.SITE_TITLE,
        "SITE_TAGLINE": settings.SITE_TAGLINE,
        "PREFECTURE_NAME": settings.PREFECTURE_NAME,
        "DATA_ATTRIBUTION": DATA_ATTRIBUTION,
    }
