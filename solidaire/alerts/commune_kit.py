"""What a mairie or a CCAS posts on its own channels about its commune: a printable A4
sheet (WeasyPrint, large type, contacts, a QR code to the commune page) and an embeddable
block (iframe document, plain HTML, JSON), all from the same selection."""

import hashlib
import logging
from dataclasses import dataclass

import segno
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from solidaire.bulletins.pdf import DSFR_FONTS, PdfUnavailable, font_faces
from solidaire.bulletins.subscriptions import absolute
from solidaire.initiatives.contacts import contact_views
from solidaire.initiatives.models import Initiative, Status
from solidaire.initiatives.nearby import initiatives_near
from solidaire.initiatives.selectors import (
    initiatives_covering_commune,
    initiatives_in_commune,
    with_list_data,
)
from solidaire.lib.typography import french_html
from solidaire.territory.models import Commune

logger = logging.getLogger(__name__)

SURROUNDINGS_KM = 10
SHEET_MAX = 12
EMBED_MAX = 10
CACHE_SECONDS = 60 * 60


@dataclass
class Listed:
    initiative: Initiative
    where: str  # "here", "covering", "nearby"
    contacts: list
    distance_km: float | None = None


def commune_selection(commune: Commune, *, limit: int) -> list[Listed]:
    """The commune's running initiatives, those covering it, then the nearest around it."""
    running = Initiative.objects.listed().filter(status=Status.PUBLISHED)
    here = list(
        with_list_data(
            initiatives_in_commune(commune).filter(pk__in=running.values("pk"))
        ).prefetch_related("contacts")[:limit]
    )
    covering = list(
        with_list_data(
            initiatives_covering_commune(commune).filter(status=Status.PUBLISHED)
        ).prefetch_related("contacts")[: max(limit - len(here), 0)]
    )
    listed = [Listed(i, "here", contact_views(i.contacts.all())) for i in here]
    listed += [Listed(i, "covering", contact_views(i.contacts.all())) for i in covering]
    room = limit - len(listed)
    if room > 0:
        near = initiatives_near(
            commune.latitude,
            commune.longitude,
            SURROUNDINGS_KM,
            exclude_ids={item.initiative.pk for item in listed},
            limit=room,
            prepare=lambda qs: with_list_data(qs.filter(status=Status.PUBLISHED)).prefetch_related(
                "contacts"
            ),
        )
        listed += [
            Listed(
                n.initiative, "nearby", contact_views(n.initiative.contacts.all()), n.distance_km
            )
            for n in near
        ]
    return listed


def commune_url(commune: Commune) -> str:
    return absolute(commune_path(commune))


def commune_path(commune: Commune) -> str:
    return reverse("initiatives:commune", args=[commune.insee_code])


def qr_data_uri(url: str) -> str:
    """A QR code of ``url`` as a PNG data URI (segno, no imaging library needed)."""
    return segno.make(url, error="m").png_data_uri(scale=8, border=2)


def _sheet_key(commune: Commune, listed: list[Listed]) -> str:
    stamp = "|".join(f"{i.initiative.pk}:{i.initiative.updated_at.isoformat()}" for i in listed)
    digest = hashlib.sha256(stamp.encode()).hexdigest()[:20]
    return f"commune-sheet:{commune.insee_code}:{digest}"


def commune_sheet_pdf(commune: Commune) -> bytes:
    """The A4 sheet; cached while its initiatives do not change. Raises PdfUnavailable."""
    listed = commune_selection(commune, limit=SHEET_MAX)
    key = _sheet_key(commune, listed)
    data = cache.get(key)
    if data is not None:
        return data
    from weasyprint import HTML

    family, faces = font_faces()
    url = commune_url(commune)
    html = french_html(
        render_to_string(
            "alerts/sheet.html",
            {
                "commune": commune,
                "listed": listed,
                "url": url,
                "qr": qr_data_uri(url),
                "family": family,
                "faces": faces,
                "today": timezone.localdate(),
                "authority": settings.PREFECTURE_NAME,
                "site_title": settings.SITE_TITLE,
                "surroundings_km": SURROUNDINGS_KM,
            },
        )
    )
    try:
        data = HTML(string=html, base_url=str(DSFR_FONTS)).write_pdf(pdf_variant="pdf/ua-1")
    except Exception as exc:
        logger.exception("Commune sheet PDF failed for %s", commune.insee_code)
        raise PdfUnavailable(str(exc)) from exc
    cache.set(key, data, CACHE_SECONDS)
    return data


def embed_data(commune: Commune) -> dict:
    """The JSON of the embeddable block: public fields only."""
    listed = commune_selection(commune, limit=EMBED_MAX)
    return {
        "commune": {
            "insee_code": commune.insee_code,
            "name": commune.name,
            "department": commune.department_id,
            "url": commune_url(commune),
        },
        "initiatives": [
            {
                "id": item.initiative.pk,
                "title": item.initiative.title,
                "actor": item.initiative.actor_name,
                "url": absolute(item.initiative.get_absolute_url()),
                "where": item.where,
                "distance_km": round(item.distance_km, 1) if item.distance_km is not None else None,
                "published_at": item.initiative.published_at.isoformat(),
                "contacts": [
                    {"kind": c.kind, "label": c.label, "url": c.url} for c in item.contacts
                ],
            }
            for item in listed
        ],
    }
