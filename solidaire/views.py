"""Site-wide pages: footer pages, error pages, the rate-limit answer."""

import sys
from datetime import UTC, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe
from psycopg_pool import PoolTimeout

from solidaire.context_processors import accessibility_status
from solidaire.lib.dates import format_date

PAGES = {
    "accessibility": ("Déclaration d'accessibilité", "pages/accessibility.html"),
    "legal": ("Mentions légales", "pages/legal.html"),
    "privacy": ("Données personnelles", "pages/privacy.html"),
}


def page(request, name):
    if name not in PAGES:
        raise Http404
    title, template = PAGES[name]
    context = {
        "title": title,
        "site_root": settings.SITE_ROOT,
        "contact_email": settings.CONTACT_EMAIL,
        "host_name": settings.HOSTING_PROVIDER,
        "retention_closed_days": settings.RETENTION_CLOSED_DAYS,
        "retention_tasks_days": settings.RETENTION_TASKS_DAYS,
    }
    if name == "accessibility":
        context.update(_accessibility_context())
    if name == "privacy":
        context["matomo_host"] = (
            urlsplit(settings.MATOMO_URL).hostname if settings.MATOMO_URL else ""
        )
        context["matomo_on"] = bool(settings.MATOMO_URL and settings.MATOMO_SITE_ID)
        context["error_reporting_on"] = bool(settings.SENTRY_DSN)
    return render(request, template, context)


def _accessibility_context() -> dict:
    audit_date, rate = settings.ACCESSIBILITY_AUDIT_DATE, settings.ACCESSIBILITY_AUDIT_RATE
    audited = audit_date is not None and rate is not None
    return {
        "status": accessibility_status(),
        "audited": audited,
        "audit_date": format_date(audit_date) if audited else "",
        "audit_rate": f"{rate:g}".replace(".", ",") if audited else "",
        "auditor": settings.ACCESSIBILITY_AUDITOR,
        "statement_date": format_date(settings.ACCESSIBILITY_STATEMENT_DATE),
        "plan_url": settings.ACCESSIBILITY_PLAN_URL,
        "plan_years": _plan_years(),
    }


def _plan_years() -> str:
    """The multi-year plan's span: three years from the statement's (RGAA: at most three)."""
    first = settings.ACCESSIBILITY_STATEMENT_DATE.year
    return f"{first}-{first + 2}"


# RFC 9116 advises an Expires less than a year ahead; the answer is never kept past a day,
# so no copy outlives the date it states.
SECURITY_TXT_MAX_AGE = 24 * 3600


@require_safe
def security_txt(request):
    expires = timezone.now().astimezone(UTC) + timedelta(days=settings.SECURITY_TXT_EXPIRES_DAYS)
    lines = [
        f"Contact: {settings.SECURITY_CONTACT}",
        f"Expires: {expires.replace(microsecond=0).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: fr, en",
        f"Canonical: {settings.SITE_ROOT}/.well-known/security.txt",
    ]
    if settings.SECURITY_POLICY_URL:
        lines.append(f"Policy: {settings.SECURITY_POLICY_URL}")
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    # SECURITY_TXT_EXPIRES_DAYS is one day at least: a kept copy expires before its date.
    response["Cache-Control"] = f"public, max-age={SECURITY_TXT_MAX_AGE}"
    return response


def not_found(request, exception=None):
    return render(request, "404.html", {"title": "Page non trouvée"}, status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", {"title": "Accès refusé"}, status=403)


def csrf_failure(request, reason=""):
    # A form sent after its page expired, or with cookies blocked: say so in French.
    return render(request, "403_csrf.html", {"title": "Formulaire expiré"}, status=403)


FALLBACK_500 = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Erreur inattendue</title>'
    "</head><body><main><h1>Erreur inattendue</h1><p>Désolé, le service rencontre un problème. "
    'Réessayez dans quelques instants.</p><p><a href="/">Page d\'accueil</a></p></main></body></html>'
)


# Every pooled connection stayed busy for DB_POOL_TIMEOUT seconds (or the database cannot
# be reached): a plain page, since the full one would wait for a connection again.
POOL_EXHAUSTED_503 = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
    "<title>Service momentanément indisponible</title></head><body><main>"
    "<h1>Service momentanément indisponible</h1><p>Le site reçoit beaucoup de demandes en ce "
    "moment et n'a pas pu traiter la vôtre. Rien n'a été enregistré : réessayez dans "
    'quelques instants.</p><p><a href="/">Page d\'accueil</a></p></main></body></html>'
)
POOL_RETRY_AFTER_SECONDS = 10


def _pool_timed_out(exc: BaseException | None) -> bool:
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, PoolTimeout):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def server_error(request):
    if _pool_timed_out(sys.exc_info()[1]):
        response = HttpResponse(POOL_EXHAUSTED_503, status=503)
        response["Retry-After"] = str(POOL_RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    # The error may come from the database or a template the full page needs: fall back
    # to a plain page rather than failing again.
    try:
        return render(request, "500.html", {"title": "Erreur inattendue"}, status=500)
    except Exception:
        return HttpResponseServerError(FALLBACK_500)


def ratelimited(request, exception=None):
    return render(
        request,
        "429.html",
        {"title": "Trop de demandes"},
        status=429,
    )


def bad_request(request, exception=None):
    # The body is read (and found too large) by the CSRF check, before any view runs.
    if isinstance(exception, RequestDataTooBig):
        return render(
            request,
            "initiatives/submit/too_large.html",
            {"title": "Envoi trop volumineux"},
            status=413,
        )
    return render(request, "400.html", {"title": "Demande incorrecte"}, status=400)
