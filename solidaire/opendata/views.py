"""Pages and files of the open data area: /donnees/ (exports) and /chiffres/ (figures)."""

import csv
import hashlib

from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from solidaire.initiatives.selectors import InitiativeFilters
from solidaire.territory.attribution import DATA_ATTRIBUTION

from .charts import bar_chart, choropleth_62, choropleth_legend
from .columns import COLUMNS
from .datapackage import datapackage
from .exports import csv_lines, geojson_lines, json_lines
from .figures import CHART_SLUGS, figures
from .filters import parse_filters, query_string_error
from .selectors import data_version

EXPORTS = {
    "csv": ("text/csv; charset=utf-8", csv_lines),
    "json": ("application/json; charset=utf-8", json_lines),
    "geojson": ("application/geo+json; charset=utf-8", geojson_lines),
}
# Longer tables (EPCI or communes of a national base) are in the CSV downloads.
TABLE_ROWS = 100


def _filters_or_errors(request) -> tuple[InitiativeFilters | None, dict]:
    error = query_string_error(request.META.get("QUERY_STRING", ""))
    if error:
        return None, {"detail": error}
    return parse_filters(request.GET)


def _open(response):
    # Open data: any site may fetch it from a browser.
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=300)
    return response


def _conditional(request, *, filters, salt):
    """(None, headers) to serve the file, or (304 response, headers)."""
    etag, last = data_version(filters=filters, salt=salt)
    etag = quote_etag(etag)
    last_ts = int(last.timestamp()) if last else None
    headers = {"ETag": etag}
    if last_ts:
        headers["Last-Modified"] = http_date(last_ts)
    response = get_conditional_response(request, etag=etag, last_modified=last_ts)
    if response is not None:
        for name, value in headers.items():
            response[name] = value
    return response, headers


@require_safe
def index(request):
    return render(
        request,
        "opendata/index.html",
        {
            "title": "Données ouvertes",
            "columns": COLUMNS,
            "attribution": DATA_ATTRIBUTION,
        },
    )


@require_safe
def export(request, fmt):
    if fmt not in EXPORTS:
        raise Http404
    filters, errors = _filters_or_errors(request)
    if errors:
        return JsonResponse(errors, status=400, json_dumps_params={"ensure_ascii": False})
    not_modified, headers = _conditional(request, filters=filters, salt=f"export-{fmt}")
    if not_modified is not None:
        return _open(not_modified)
    content_type, lines = EXPORTS[fmt]
    response = StreamingHttpResponse(lines(filters), content_type=content_type)
    for name, value in headers.items():
        response[name] = value
    response["Content-Disposition"] = f'attachment; filename="initiatives.{fmt}"'
    return _open(response)


@require_safe
def datapackage_json(request):
    filters = InitiativeFilters()
    not_modified, headers = _conditional(request, filters=filters, salt="datapackage")
    if not_modified is not None:
        return _open(not_modified)
    _, last = data_version(filters=filters)
    response = JsonResponse(
        datapackage(last_modified=last),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    for name, value in headers.items():
        response[name] = value
    return _open(response)


@require_safe
def figures_page(request):
    filters, errors = _filters_or_errors(request)
    if errors:
        filters = InitiativeFilters()
    result, _ = figures(filters=filters)
    charts = result["charts"]
    communes = charts["communes"]
    counts_62 = {code: value for code, _, value in communes.rows if code.startswith("62")}
    sections = [
        {
            "chart": charts[slug],
            "svg": bar_chart(charts[slug]),
            "rows": [
                (code, label, value, charts[slug].extra[i] if charts[slug].extra else None)
                for i, (code, label, value) in enumerate(charts[slug].rows[:TABLE_ROWS])
            ],
        }
        for slug in CHART_SLUGS
        if slug != "communes"
    ]
    return render(
        request,
        "opendata/figures.html",
        {
            "title": "Chiffres",
            "result": result,
            "sections": sections,
            "communes": communes,
            "communes_rows": communes.rows[:TABLE_ROWS],
            "map_svg": _map(counts_62),
            "map_legend": choropleth_legend(),
            "errors": errors,
            "querystring": request.GET.urlencode() if not errors else "",
        },
        status=400 if errors else 200,
    )


def _map(counts: dict[str, int]):
    """The 62's choropleth, cached by its counts (about 350 kB of SVG)."""
    key = "opendata:map62:" + hashlib.sha256(repr(sorted(counts.items())).encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = choropleth_62(counts)
        cache.set(key, svg, 3600)
    return mark_safe(svg)  # built by choropleth_62 from escaped values


@require_safe
def chart_csv(request, slug):
    if slug not in CHART_SLUGS:
        raise Http404
    filters, errors = _filters_or_errors(request)
    if errors:
        return JsonResponse(errors, status=400, json_dumps_params={"ensure_ascii": False})
    result, etag = figures(filters=filters)
    chart = result["charts"][slug]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="chiffres-{slug}.csv"'
    response["ETag"] = quote_etag(etag)
    writer = csv.writer(response, lineterminator="\r\n")
    header = ["code", chart.label_header, chart.value_header]
    if chart.extra_header:
        header.append(chart.extra_header)
    writer.writerow(header)
    for index, (code, label, value) in enumerate(chart.rows):
        row = [code, label, value]
        if chart.extra_header:
            row.append(chart.extra[index])
        writer.writerow(row)
    return _open(response)
