"""The shipped reference geography: where its files are, the one checked way to read them,
the communes' outlines, and each area's representative point.

Importable without Django (the gazetteer and the import runner read the files in plain
Python), so the representative points import the models when they are first computed.
"""

from __future__ import annotations

import csv
import gzip
import io
import threading
from pathlib import Path

from .columns import COLUMNS

DATA_DIR = Path(__file__).resolve().parent / "data"
OUTLINES_DIR = DATA_DIR / "outlines"
# Communes drawn as their communes.csv point (see data/README.md, "Outlines in this project"):
# 7 restored after 2018 have no outline, and 3 parents still carry the former commune
# nouvelle's, which the shipped files leave out.
RESTORED_WITHOUT_OUTLINE = frozenset(
    {"14666", "15031", "15035", "15047", "15171", "85165", "85212"}
)
TOO_LARGE_OUTLINES = frozenset({"14712", "15141", "85084"})
POINT_ONLY_COMMUNES = RESTORED_WITHOUT_OUTLINE | TOO_LARGE_OUTLINES
# The files of outlines/ besides the communes of each département.
AREA_OUTLINES = ("departements", "regions")
AREA_KINDS = ("epci", "arrondissement", "department")


class TerritoryDataError(Exception):
    """A reference file is missing or does not have the expected content."""


def read_rows(filename: str, *, data_dir: Path = DATA_DIR) -> list[dict[str, str]]:
    """Rows of one gzipped (or plain) reference CSV, checked against ``columns.COLUMNS``.

    >>> read_rows("regions.csv")[0].keys()
    dict_keys(['code', 'name'])
    """
    path = data_dir / f"{filename}.gz"
    if not path.exists():
        path = data_dir / filename
    if not path.exists():
        raise TerritoryDataError(f"Fichier de référence introuvable : {data_dir / filename}(.gz)")
    try:
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
        lines = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile, csv.Error) as exc:
        raise TerritoryDataError(f"Fichier de référence illisible : {path} ({exc})") from exc
    header = lines[0] if lines else None
    expected = COLUMNS[filename]
    if header != expected:
        raise TerritoryDataError(
            f"Fichier de référence corrompu : {path} (colonnes {header}, attendues {expected})"
        )
    rows = [_row(header, line) for line in lines[1:] if line]
    if not rows:
        raise TerritoryDataError(f"Fichier de référence vide : {path}")
    return rows


def _row(header: list[str], line: list[str]) -> dict:
    """What ``csv.DictReader`` makes of a line (missing cells None, extra ones under None),
    at a fraction of its cost: the gazetteer reads 35,000 communes at start-up."""
    if len(line) == len(header):
        return dict(zip(header, line, strict=True))
    row = dict.fromkeys(header)
    row.update(zip(header, line, strict=False))
    if len(line) > len(header):
        row[None] = line[len(header) :]
    return row


def read_words(filename: str, *, data_dir: Path = DATA_DIR) -> set[str]:
    """The words of a shipped word list (one a line, ``#`` comments); none if it is absent."""
    path = data_dir / filename
    if not path.exists():
        return set()
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    return {
        line.strip()
        for line in raw.decode("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }


def outline_path(department: str) -> Path:
    """The gzipped GeoJSON of a département's commune outlines.

    >>> outline_path("62").name
    'communes-62.geojson.gz'
    """
    return OUTLINES_DIR / f"communes-{department}.geojson.gz"


def outline_file(name: str) -> Path | None:
    """The gzipped GeoJSON named ``name`` ("communes-62", "departements", "regions"), if it ships.

    >>> outline_file("communes-2A").name, outline_file("communes-99"), outline_file("../x")
    ('communes-2A.geojson.gz', None, None)
    """
    if name not in _outline_names():
        return None
    return OUTLINES_DIR / f"{name}.geojson.gz"


def _outline_names() -> frozenset[str]:
    global _names
    if _names is None:
        _names = frozenset(
            path.name.removesuffix(".geojson.gz") for path in OUTLINES_DIR.glob("*.geojson.gz")
        )
    return _names


_names: frozenset[str] | None = None


def has_outline(insee_code: str, department: str) -> bool:
    """Whether the map draws this commune's outline (else its point)."""
    return insee_code not in POINT_ONLY_COMMUNES and f"communes-{department}" in _outline_names()


# --- representative points ---------------------------------------------------------------

_points_lock = threading.Lock()
_points: dict[str, dict[str, tuple[float, float]]] | None = None


def _compute_area_points() -> dict[str, dict[str, tuple[float, float]]]:
    from .models import Commune

    points: dict[str, dict[str, tuple[float, float]]] = {kind: {} for kind in AREA_KINDS}
    rows = Commune.objects.order_by("-population", "insee_code").values_list(
        "epci_id", "arrondissement_id", "department_id", "latitude", "longitude"
    )
    for epci, arrondissement, department, lat, lon in rows.iterator(chunk_size=5000):
        # Most populous first (ties: smallest INSEE code): the first commune seen gives the point.
        for kind, code in zip(AREA_KINDS, (epci, arrondissement, department), strict=True):
            if code and code not in points[kind]:
                points[kind][code] = (lat, lon)
    return points


def area_points() -> dict[str, dict[str, tuple[float, float]]]:
    """{"epci"|"arrondissement"|"department": {code: (lat, lon)}}: each area's most populous
    commune, which always lies inside the area and where most people live.

    Kept by the process: the reference geography changes once a year. An empty result
    (no communes loaded yet) is not kept.
    """
    global _points
    if _points is None:
        with _points_lock:
            if _points is None:
                points = _compute_area_points()
                if not any(points.values()):
                    return points
                _points = points
    return _points


def area_point(kind: str, code: str) -> tuple[float, float] | None:
    """(latitude, longitude) of an EPCI, arrondissement or département."""
    return area_points().get(kind, {}).get(code)


def area_choices(*, department_codes: list[str]) -> dict[str, list[tuple[str, str]]]:
    """(value, label) pairs of the areas a public filter offers: the EPCI and arrondissements
    of ``department_codes``, and every département."""
    from .models import Arrondissement, Commune, Department, Epci

    epci_codes = (
        Commune.objects.filter(department_id__in=department_codes, epci__isnull=False)
        .values("epci_id")
        .distinct()
    )
    return {
        "epci": [(e.siren, e.name) for e in Epci.objects.filter(siren__in=epci_codes)],
        "arrondissement": [
            (a.code, f"{a.name} ({a.department_id})")
            for a in Arrondissement.objects.filter(department_id__in=department_codes)
        ],
        "department": [(d.code, f"{d.code} — {d.name}") for d in Department.objects.all()],
    }
