"""The PDF edition (WeasyPrint), cached per published revision.

A failure never breaks the web page: it is logged, remembered for a while, and the page
says the PDF is unavailable.
"""

import logging
from pathlib import Path

import dsfr
from django.core.cache import cache
from django.template.loader import render_to_string

from solidaire.lib.typography import french_html

from .models import Bulletin

logger = logging.getLogger(__name__)

DSFR_FONTS = Path(dsfr.__file__).parent / "static" / "dsfr" / "dist" / "fonts"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
# (weight, style) -> file, for each family we can embed, best first.
FONT_FAMILIES = [
    (
        "Marianne",
        DSFR_FONTS,
        {
            (400, "normal"): "Marianne-Regular.woff2",
            (700, "normal"): "Marianne-Bold.woff2",
            (400, "italic"): "Marianne-Regular_Italic.woff2",
        },
    ),
    (
        "DejaVu Sans",
        DEJAVU,
        {
            (400, "normal"): "DejaVuSans.ttf",
            (700, "normal"): "DejaVuSans-Bold.ttf",
            (400, "italic"): "DejaVuSans-Oblique.ttf",
        },
    ),
]
CACHE_SECONDS = 60 * 60 * 24 * 30
FAILURE_SECONDS = 60 * 10


class PdfUnavailable(Exception):
    pass


def font_faces() -> tuple[str, list[dict]]:
    """The first family whose files are all present, as @font-face rules' data."""
    for family, folder, files in FONT_FAMILIES:
        paths = {key: folder / name for key, name in files.items()}
        if all(path.is_file() for path in paths.values()):
            return family, [
                {"family": family, "weight": w, "style": s, "url": path.as_uri()}
                for (w, s), path in paths.items()
            ]
    raise PdfUnavailable("No font to embed in the PDF (Marianne or DejaVu).")


def render_pdf(snapshot: dict) -> bytes:
    from weasyprint import HTML

    family, faces = font_faces()
    html = french_html(
        render_to_string(
            "bulletins/pdf/bulletin.html", {"s": snapshot, "family": family, "faces": faces}
        )
    )
    return HTML(string=html, base_url=str(DSFR_FONTS)).write_pdf(
        pdf_variant="pdf/ua-1", uncompressed_pdf=False
    )


def _key(bulletin: Bulletin, kind: str) -> str:
    return f"bulletin-{kind}:{bulletin.pk}:{bulletin.revision}"


def pdf_marked_unavailable(bulletin: Bulletin) -> bool:
    return bool(cache.get(_key(bulletin, "pdf-failed")))


def get_pdf(bulletin: Bulletin) -> bytes:
    """The PDF of the bulletin's current revision; raises PdfUnavailable (and logs why)."""
    key = _key(bulletin, "pdf")
    data = cache.get(key)
    if data is not None:
        return data
    try:
        data = render_pdf(bulletin.snapshot)
    except Exception as exc:
        logger.exception(
            "PDF rendering failed for %s n°%s (revision %s)",
            bulletin.series.slug,
            bulletin.number,
            bulletin.revision,
        )
        cache.set(_key(bulletin, "pdf-failed"), True, FAILURE_SECONDS)
        raise PdfUnavailable(str(exc)) from exc
    cache.set(key, data, CACHE_SECONDS)
    cache.delete(_key(bulletin, "pdf-failed"))
    return data


def pdf_forget_earlier(bulletin: Bulletin) -> None:
    """Drop the cached PDFs of the revisions before the current one (after an erasure)."""
    cache.delete_many(
        [f"bulletin-pdf:{bulletin.pk}:{revision}" for revision in range(1, bulletin.revision)]
    )
