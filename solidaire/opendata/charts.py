"""Server-side SVG charts: horizontal bars and the instance's choropleth (its communes, or
its départements for a wider instance).

Each SVG is role="img" with a <title> and <desc>; the page puts the same figures in an
HTML table beside it, which is what screen readers and keyboard users read.
"""

import gzip
import json
import math
from functools import lru_cache

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from solidaire.territory.reference import outline_file

from .figures import Chart

BAR_COLOUR = "#000091"  # DSFR blue France: 15.9:1 on white
TEXT_COLOUR = "#161616"
MAX_BARS = 25


def _number(value: int) -> str:
    # French thousands separator: a narrow no-break space.
    return f"{value:,}".replace(",", "\u202f")


def bar_chart(chart: Chart, *, max_bars: int = MAX_BARS) -> SafeString:
    rows = chart.rows[:max_bars]
    if not rows:
        return mark_safe("")
    label_width, bar_width, value_width, row_height = 310, 270, 80, 24
    width = label_width + bar_width + value_width
    height = row_height * len(rows) + 8
    top = max(value for _, _, value in rows) or 1
    shown = f" ({len(rows)} premiers sur {len(chart.rows)})" if len(chart.rows) > len(rows) else ""
    title_id, desc_id = f"graphique-{chart.slug}-titre", f"graphique-{chart.slug}-desc"
    desc = f"{chart.description}{shown} " + " ; ".join(
        f"{label} : {_number(value)}" for _, label, value in rows[:10]
    )
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" role="img" class="od-chart" '
            'viewBox="0 0 {} {}" width="100%" aria-labelledby="{} {}">'
            '<title id="{}">{}</title><desc id="{}">{}</desc>',
            width,
            height,
            title_id,
            desc_id,
            title_id,
            chart.title + shown,
            desc_id,
            desc,
        )
    ]
    for index, (_, label, value) in enumerate(rows):
        y = 4 + index * row_height
        length = max(1.0, bar_width * value / top)
        short = label if len(label) <= 40 else label[:39] + "…"
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" font-size="13" fill="{}">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
                '<text x="{}" y="{}" font-size="13" fill="{}">{}</text>',
                label_width - 8,
                y + 16,
                TEXT_COLOUR,
                short,
                label_width,
                y + 3,
                f"{length:.1f}",
                row_height - 6,
                BAR_COLOUR,
                label_width + length + 6,
                y + 16,
                TEXT_COLOUR,
                _number(value),
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))


# Sequential blues, light to dark; classes chosen for small counts per commune.
CLASSES = [
    (0, 0, "#f6f6f6", "aucune"),
    (1, 1, "#cacafb", "1"),
    (2, 4, "#8585f6", "2 à 4"),
    (5, 9, "#3a3aef", "5 à 9"),
    (10, 10**12, "#000091", "10 ou plus"),
]


def colour_class(count: int) -> tuple[str, str]:
    for low, high, colour, label in CLASSES:
        if low <= count <= high:
            return colour, label
    return CLASSES[-1][2], CLASSES[-1][3]


@lru_cache(maxsize=8)
def _outline_paths(
    name: str, codes: tuple[str, ...] | None
) -> tuple[tuple[tuple[str, str, str], ...], int, int]:
    """((code, name, SVG path), …), width, height: the outlines of one shipped file (only
    ``codes`` if given), projected once.

    An equirectangular projection scaled by cos(latitude) is accurate enough for one
    département (50–51° N) or for metropolitan France."""
    with gzip.open(outline_file(name), "rt", encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    key = "insee_code" if name.startswith("communes-") else "code"
    if codes is not None:
        features = [f for f in features if f["properties"][key] in codes]

    def rings(geometry):
        if geometry["type"] == "Polygon":
            yield from geometry["coordinates"]
        else:
            for polygon in geometry["coordinates"]:
                yield from polygon

    lons = [x for f in features for ring in rings(f["geometry"]) for x, _ in ring]
    lats = [y for f in features for ring in rings(f["geometry"]) for _, y in ring]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    k = math.cos(math.radians((north + south) / 2))
    width = 640
    scale = width / ((east - west) * k)
    height = math.ceil((north - south) * scale)
    paths = []
    for feature in features:
        d = []
        for ring in rings(feature["geometry"]):
            points = []
            for lon, lat in ring:
                point = f"{(lon - west) * k * scale:.0f},{(north - lat) * scale:.0f}"
                if not points or points[-1] != point:  # drop points merged by rounding
                    points.append(point)
            d.append("M" + "L".join(points) + "Z")
        props = feature["properties"]
        paths.append((props[key], props["name"], "".join(d)))
    return tuple(paths), width, height


def choropleth(
    counts: dict[str, int], *, name: str, title: str, codes: tuple[str, ...] | None = None
) -> SafeString:
    """The areas of the outline file ``name`` (only ``codes`` if given) coloured by count."""
    paths, width, height = _outline_paths(name, codes)
    unit = "communes" if name.startswith("communes-") else "départements"
    with_initiatives = sum(1 for code, _, _ in paths if counts.get(code))
    legend = ", ".join(label for _, _, _, label in CLASSES)
    attribute = "data-insee" if unit == "communes" else "data-department"
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" role="img" class="od-map" '
            'viewBox="0 0 {} {}" width="100%" aria-labelledby="carte-titre carte-desc">'
            '<title id="carte-titre">{}</title><desc id="carte-desc">{}</desc>'
            '<g stroke="#6a6a6a" stroke-width="0.3">',
            width,
            height,
            title,
            f"{with_initiatives} {unit} sur {len(paths)} ont au moins une initiative. "
            f"Plus la zone est foncée, plus elle a d'initiatives ({legend}). "
            "Le tableau suivant donne les chiffres.",
        )
    ]
    for code, _name, d in paths:
        colour, _ = colour_class(counts.get(code, 0))
        parts.append(f'<path d="{d}" fill="{colour}" {attribute}="{escape(code)}"></path>')
    parts.append("</g></svg>")
    return mark_safe("".join(parts))


def choropleth_legend() -> list[tuple[str, str]]:
    return [(colour, label) for _, _, colour, label in CLASSES]
