"""Pages and files of the open data area: /donnees/ (exports) and /chiffres/ (figures)."""

import hashlib
import tempfile
from functools import wraps

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
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

from . import datainclusion
from .charts import bar_chart, choropleth, choropleth_legend
from .columns import COLUMNS
from .datapackage import datapackage
from .exports import csv_lines, geojson_lines, json_lines, spreadsheet_csv_lines
from .figures import CHART_SLUGS, figures
from .full_exports import current_files, export_storage, repr_digest
from .models import ExportFile
from .selectors import data_version
from .tableschema import SCHEMA_VERSION, initiatives_table_schema
from .tasks import exports_build_task

# Export name: content type, line generator, file name. The dotted formats are served
# at /donnees/initiatives.<fmt>; the spreadsheet CSV has its own address.
FILES = {
    "csv": ("text/csv; charset=utf-8", csv_lines, "initiatives.csv"),
    "json": ("application/json; charset=utf-8", json_lines, "initiatives.json"),
    "geojson": ("application/geo+json; charset=utf-8", geojson_lines, "initiatives.geojson"),
    "tableur": ("text/csv; charset=utf-8", spreadsheet_csv_lines, "initiatives-tableur.csv"),
}
EXPORTS = ("csv", "json", "geojson")
# Files that exist only whole, built by the job: data·inclusion's structures and services.
FULL_ONLY_FILES = {
    "di-structures": ("application/json; charset=utf-8", "data-inclusion-structures.json"),
    "di-services": ("application/json; charset=utf-8", "data-inclusion-services.json"),
}
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
            # Template variables take no hyphen: di-services is read as files.di_services.
            "files": {fmt.replace("-", "_"): file for fmt, file in current_files().items()},
            "max_rows": settings.EXPORT_MAX_ROWS,
            "data_inclusion_version": datainclusion.SCHEMA_VERSION,
            "schema_url": reverse("opendata:table-schema"),
            "schema_version": SCHEMA_VERSION,
        },
    )


@require_safe
@_filtered_file("fmt", EXPORTS)
def export(request, fmt, *, filters):
    return _export(request, fmt=fmt, filters=filters)


@require_safe
@_filtered_file("fmt", ("tableur",))
def spreadsheet_export(request, fmt, *, filters):
    return _export(request, fmt=fmt, filters=filters)


def _export(request, *, fmt, filters):
    """The full file generated ahead of time when there is no filter; else the filtered
    rows, generated by the request up to ``EXPORT_MAX_ROWS``, then sent with their length."""
    unfiltered = filters == InitiativeFilters()
    if unfiltered:
        stored = ExportFile.objects.filter(fmt=fmt).first()
        if stored is not None:
            return _full_file(request, stored=stored)
    limit = settings.EXPORT_MAX_ROWS
    if initiative_search(filters=filters)[: limit + 1].count() > limit:
        return _too_many_rows(fmt=fmt, limit=limit, unfiltered=unfiltered)
    version = data_version(filters=filters, salt=f"export-{fmt}")
    return _export_file(request, fmt=fmt, filters=filters, version=version)


def _full_url(fmt: str) -> str:
    if fmt == "tableur":
        return reverse("opendata:export-spreadsheet")
    return reverse("opendata:export", args=[fmt])


def _too_many_rows(*, fmt: str, limit: int, unfiltered: bool) -> JsonResponse:
    if unfiltered:
        # No full file yet (a new instance): ask for one, once for every waiting visitor.
        if cache.add("opendata:exports-build-asked", True, 600):
            exports_build_task.enqueue()
        response = JsonResponse(
            {
                "detail": "Le fichier complet est en cours de préparation : réessayez dans "
                "quelques minutes."
            },
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
        response["Retry-After"] = "300"
        return response
    full = _full_url(fmt)
    return JsonResponse(
        {
            "detail": f"Cet export dépasse {intcomma(limit)} initiatives : précisez les filtres, "
            f"ou téléchargez le fichier complet ({full}), mis à jour régulièrement, et "
            "filtrez-le vous-même.",
            "full_file": full,
        },
        status=400,
        json_dumps_params={"ensure_ascii": False},
    )


def _digest_headers(response, *, size: int, sha256: str) -> None:
    # A client checks what it received: its length (a cut answer is short) and its SHA-256.
    response["Content-Length"] = str(size)
    response["Repr-Digest"] = repr_digest(sha256)
    response["Digest"] = "SHA-256=" + repr_digest(sha256).removeprefix("sha-256=:")[:-1]


@_open_data
@condition(
    etag_func=lambda request, *, stored: stored.sha256,
    last_modified_func=lambda request, *, stored: stored.generated_at,
)
def _full_file(request, *, stored):
    if stored.fmt in FULL_ONLY_FILES:
        content_type, filename = FULL_ONLY_FILES[stored.fmt]
    else:
        content_type, _, filename = FILES[stored.fmt]
    try:
        handle = export_storage().open(stored.name, "rb")
    except FileNotFoundError:
        # Replaced by a newer file between reading its row and opening it.
        stored = ExportFile.objects.get(fmt=stored.fmt)
        handle = export_storage().open(stored.name, "rb")
    response = FileResponse(
        handle, content_type=content_type, as_attachment=True, filename=filename
    )
    _digest_headers(response, size=stored.size, sha256=stored.sha256)
    return response


@_open_data
@_versioned
def _export_file(request, *, fmt, filters, version):
    """The filtered rows written to a temporary file (in memory up to 1 MB) while hashed,
    then sent with their length: a cut answer is never taken for a whole one."""
    content_type, lines, filename = FILES[fmt]
    spool = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115 (FileResponse closes it)
    digest = hashlib.sha256()
    size = 0
    for text in lines(filters):
        data = text.encode()
        spool.write(data)
        digest.update(data)
        size += len(data)
    spool.seek(0)
    response = FileResponse(spool, content_type=content_type, as_attachment=True, filename=filename)
    _digest_headers(response, size=size, sha256=digest.hexdigest())
    return response


@require_safe
def data_inclusion_export(request, kind):
    """data·inclusion's structures or services: the stored file, or 503 while the first one
    is being built (no filter: the schema's consumers take the whole catalogue)."""
    fmt = f"di-{kind}"
    if fmt not in FULL_ONLY_FILES:
        raise Http404
    stored = ExportFile.objects.filter(fmt=fmt).first()
    if stored is None:
        return _too_many_rows(fmt=fmt, limit=0, unfiltered=True)
    return _full_file(request, stored=stored)


@require_safe
@_open_data
def table_schema_json(request):
    """The Table Schema of the CSV export, as committed in docs/schema/schema.json."""
    return JsonResponse(
        initiatives_table_schema(), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )


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
