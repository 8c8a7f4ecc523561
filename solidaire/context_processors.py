from django.conf import settings

from solidaire.lib.rgaa import conformity
from solidaire.territory.attribution import DATA_ATTRIBUTION

# Pages never measured: the staff's (back-office, accounts, admin).
STAFF_PREFIXES = ("/gestion/", "/comptes/", "/admin/")


def accessibility_status() -> str:
    return conformity(settings.ACCESSIBILITY_AUDIT_RATE, settings.ACCESSIBILITY_AUDIT_DATE)


def audience_measurement(request) -> dict | None:
    """The Matomo tracker's address and site, where this page may be measured: Matomo set,
    a public page (never a staff one, nor one seen by signed-in staff), no private token in
    its address."""
    if not (settings.MATOMO_URL and settings.MATOMO_SITE_ID):
        return None
    if request.path.startswith(STAFF_PREFIXES):
        return None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None
    match = getattr(request, "resolver_match", None)
    if match is None or "token" in match.kwargs:
        return None
    return {"url": settings.MATOMO_URL, "site_id": settings.MATOMO_SITE_ID}


def site(request):
    return {
        "SITE_TITLE": settings.SITE_TITLE,
        "SITE_TAGLINE": settings.SITE_TAGLINE,
        "PREFECTURE_NAME": settings.PREFECTURE_NAME,
        "SITE_ROOT": settings.SITE_ROOT,
        "DATA_ATTRIBUTION": DATA_ATTRIBUTION,
        "ACCESSIBILITY_STATUS": accessibility_status(),
        "MATOMO": audience_measurement(request),
    }
