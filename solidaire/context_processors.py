from django.conf import settings

from solidaire.territory.attribution import DATA_ATTRIBUTION


def site(request):
    return {
        "SITE_TITLE": settings.SITE_TITLE,
        "SITE_TAGLINE": settings.SITE_TAGLINE,
        "PREFECTURE_NAME": settings.PREFECTURE_NAME,
        "SITE_ROOT": settings.SITE_ROOT,
        "DATA_ATTRIBUTION": DATA_ATTRIBUTION,
    }
