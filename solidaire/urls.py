from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path

from . import health, views
from .accounts import views as accounts_views
from .sitemaps import SITEMAPS

urlpatterns = [
    path("", include("solidaire.initiatives.urls")),
    path("", include("solidaire.territory.urls")),
    path("comptes/", include("solidaire.accounts.urls")),
    path("gestion/", include("solidaire.moderation.urls")),
    path("", include("solidaire.bulletins.urls")),
    path("gestion/imports/", include("solidaire.imports.urls")),
    path("gestion/organisations/", include("solidaire.organisations.urls_staff")),
    path("organisation/", include("solidaire.organisations.urls")),
    path("gestion/travaux/", include("solidaire.outbox.staff.urls")),
    path("", include("solidaire.opendata.urls")),
    path("", include("solidaire.alerts.urls")),
    path("accessibilite/", views.page, {"name": "accessibility"}, name="accessibility"),
    path("mentions-legales/", views.page, {"name": "legal"}, name="legal"),
    path("donnees-personnelles/", views.page, {"name": "privacy"}, name="privacy"),
    # RFC 9116: where to report a vulnerability, with a computed Expires.
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    # For load balancers and monitors: JSON, never cached (solidaire/health.py).
    path("sante/", health.health, name="health"),
    path("sitemap.xml", sitemaps.index, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    # The admin's own login form, throttled; answers 429 like the staff login when blocked.
    path("admin/login/", accounts_views.admin_login),
    path("admin/", admin.site.urls),
]

handler400 = "solidaire.views.bad_request"
handler403 = "solidaire.views.permission_denied"
handler404 = "solidaire.views.not_found"
handler500 = "solidaire.views.server_error"
