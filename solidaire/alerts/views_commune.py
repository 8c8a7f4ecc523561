"""A commune's sheet and embeddable block. The embed routes alone may be framed by
another site: X-Frame-Options is left out and the CSP's frame-ancestors opened for them."""

from csp.decorators import csp_replace
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from solidaire.bulletins.pdf import PdfUnavailable
from solidaire.territory.models import Commune

from .commune_kit import commune_sheet_pdf, embed_data

# Any site may show the block: it holds public data only, and its links open a new tab.
FRAMING = {"frame-ancestors": ["*"]}


def _commune(insee: str) -> Commune:
    return get_object_or_404(Commune.objects.select_related("department"), insee_code=insee.upper())


def _embed_context(commune: Commune) -> dict:
    return {"data": embed_data(commune), "site_title": settings.SITE_TITLE}


def _open_to_all(response):
    # A mairie's site may read the JSON and the plain HTML from its own pages' scripts.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def commune_sheet(request, insee):
    commune = _commune(insee)
    try:
        data = commune_sheet_pdf(commune)
    except PdfUnavailable:
        return render(
            request,
            "alerts/message.html",
            {
                "title": "Fiche indisponible",
                "message": "La fiche à imprimer est momentanément indisponible. "
                "Réessayez dans quelques minutes.",
                "level": "warning",
            },
            status=503,
        )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="initiatives-{commune.insee_code}.pdf"'
    return response


@require_GET
@xframe_options_exempt
@csp_replace(FRAMING)
def commune_embed(request, insee):
    """The iframe's document."""
    return render(request, "alerts/embed.html", _embed_context(_commune(insee)))


@require_GET
@xframe_options_exempt
@csp_replace(FRAMING)
def commune_embed_html(request, insee):
    """The plain-HTML block: no script, no style, to paste or include as is."""
    response = render(request, "alerts/_embed_block.html", _embed_context(_commune(insee)))
    return _open_to_all(response)


@require_GET
@xframe_options_exempt
@csp_replace(FRAMING)
def commune_embed_json(request, insee):
    response = JsonResponse(embed_data(_commune(insee)), json_dumps_params={"ensure_ascii": False})
    return _open_to_all(response)
