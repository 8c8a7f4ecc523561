"""Pages and files of the open data area: /donnees/ (exports) and /chiffres/ (figures)."""

import hashlib
from functools import wraps

from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe

from solidaire.initiatives.filters import parse_filters, query_string_error
from solidaire.initiatives.selectors import InitiativeFilters, initiative_search
from solidaire.initiatives.selectors_map import department_counts
from solidaire.lib.untrusted import SafeWriter
from solidaire.territory.attribution import DATA_ATTRIBUTION
from solidaire.territory.instance import instance
from solidaire.territory.models import Department

from .charts import bar_chart, choropleth, choropleth_legend
from .columns import COLUMNS
from .datapackage import datapackage
from .exports import csv_lines, geojson_lines, json_lines, spreadsheet_csv_lines
from .figures import CHART_SLUGS, figures
from .selectors import data_version

# Export name: content type, line generator, file name. The dotted formats are served
# at /donnees/initiatives.<fmt>; the spreadsheet CSV has its own address.
FILES = {
    "csv": ("text/csv; charset=utf-8", csv_lines, "initiatives.csv"),
    "json": ("application/json; charset=utf-8", json_lines, "initiatives.json"),
    "geojson": ("application/geo+json; charset=utf-8", geojson_lines, "initiatives.geojson"),
    "tableur": ("text/csv; charset=utf-8", spreadsheet_csv_lines, "initiatives-tableur.csv"),
}
EXPORTS = ("csv", "json", "geojson")
# Longer tables (EPCI or communes of a national base) are in the CSV downloads.
TABLE_ROWS = 100


def _filters_or_errors(request) -> tuple[InitiativeFilters | None, dict]:
    error = query_string_error(request.META.get("QUERY_STRING", ""))
    if error:
        return None, {"detail": error}
    return parse_filters(request.GET)


def _filtered_file(param: str, known):
    """For the views of a file named by the URL's ``param``: 404 for a name not in ``known``,
    400 with the errors in JSON for invalid filters, else the view called with ``filters``."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, **kwargs):
            if kwargs[param] not in known:
                raise Http404
            filters, errors = _filters_or_errors(request)
            if errors:
                return JsonResponse(errors, status=400, json_dumps_params={"ensure_ascii": False})
            return view(request, **kwargs, filters=filters)

        return wrapper

    return decorator


def _open_data(view):
    """A file and its 304: any site may fetch it from a browser, any cache keep it a while."""

    @wraps(view)
    @cache_control(public=True, max_age=300)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


# The views compute ``data_version`` once and pass it on, for both of @condition's questions.
_versioned = condition(
    etag_func=lambda request, *, version, **kwargs: version[0],
    last_modified_func=lambda request, *, version, **kwargs: version[1],
)


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
@_filtered_file("fmt", EXPORTS)
def export(request, fmt, *, filters):
    version = data_version(filters=filters, salt=f"export-{fmt}")
    return _export_file(request, fmt=fmt, filters=filters, version=version)


@require_safe
@_filtered_file("fmt", ("tableur",))
def spreadsheet_export(request, fmt, *, filters):
    version = data_version(filters=filters, salt="export-tableur")
    return _export_file(request, fmt=fmt, filters=filters, version=version)


@_open_data
@_versioned
def _export_file(request, *, fmt, filters, version):
    content_type, lines, filename = FILES[fmt]
    response = StreamingHttpResponse(lines(filters), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def datapackage_json(request):
    version = data_version(filters=InitiativeFilters(), salt="datapackage")
    return _datapackage_file(request, version=version)


@_open_data
@_versioned
def _datapackage_file(request, *, version):
    _, last = version
    return JsonResponse(
        datapackage(last_modified=last),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )


@require_safe
def figures_page(request):
    filters, errors = _filters_or_errors(request)
    if errors:
        filters = InitiativeFilters()
    result, _ = figures(filters=filters)
    charts = result["charts"]
    communes = charts["communes"]
    territory = instance()
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
            "territory": territory,
            **_instance_map(territory, communes, filters),
            "map_legend": choropleth_legend(),
            "errors": errors,
            "querystring": request.GET.urlencode() if not errors else "",
        },
        status=400 if errors else 200,
    )


def _department_of(insee: str) -> str:
    return insee[:3] if insee.startswith("97") else insee[:2]


def _instance_map(territory, communes, filters) -> dict:
    """The figures page's map and the table beside it: the instance's communes, or its
    départements for a wider instance (metropolitan ones on the map, all in the table)."""
    if territory.kind == "department":
        code = territory.single
        rows = [row for row in communes.rows if _department_of(row[0]) == code]
        title = f"Carte des initiatives par commune {territory.of_label}"
        svg = _map({code: value for code, _, value in rows}, name=f"communes-{code}", title=title)
        return {"map_unit": "communes", "map_rows": rows[:TABLE_ROWS], "map_svg": svg}
    counts = department_counts(initiative_search(filters=filters).values("pk"))
    names = dict(
        Department.objects.filter(code__in=territory.departments).values_list("code", "name")
    )
    rows = sorted(
        ((code, names[code], counts.get(code, 0)) for code in territory.departments),
        key=lambda row: (-row[2], row[0]),
    )
    drawn = tuple(code for code in territory.departments if not code.startswith("97"))
    title = f"Carte des initiatives par département {territory.of_label}"
    svg = _map(counts, name="departements", title=title, codes=drawn or None)
    return {"map_unit": "départements", "map_rows": rows[:TABLE_ROWS], "map_svg": svg}


def _map(counts: dict[str, int], *, name: str, title: str, codes=None):
    """A choropleth, cached by its counts (about 350 kB of SVG for the 62's communes)."""
    key = (
        "opendata:map:"
        + hashlib.sha256(repr((name, title, codes, sorted(counts.items()))).encode()).hexdigest()
    )
    svg = cache.get(key)
    if svg is None:
        svg = choropleth(counts, name=name, title=title, codes=codes)
        cache.set(key, svg, 3600)
    return mark_safe(svg)  # built by choropleth from escaped values


@require_safe
@_filtered_file("slug", CHART_SLUGS)
def chart_csv(request, slug, *, filters):
    result, etag = figures(filters=filters)
    return _chart_file(request, chart=result["charts"][slug], etag=etag)


@_open_data
@condition(etag_func=lambda request, *, etag, **kwargs: etag)
def _chart_file(request, *, chart, etag):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="chiffres-{chart.slug}.csv"'
    writer = SafeWriter(response, lineterminator="\r\n")
    header = ["code", chart.label_header, chart.value_header]
    if chart.extra_header:
        header.append(chart.extra_header)
    writer.writerow(header)
    for index, (code, label, value) in enumerate(chart.rows):
        row = [code, label, value]
        if chart.extra_header:
            row.append(chart.extra[index])
        writer.writerow(row)
    return response
