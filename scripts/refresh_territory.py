"""Rebuild solidaire/territory/data/*.csv.gz from a newer @etalab/decoupage-administratif.

Usage: python scripts/refresh_territory.py PACKAGE_DATA_DIR [--out DATA_DIR]

PACKAGE_DATA_DIR is the package's ``data/`` folder (``npm pack`` then untar: package/data).
Kept: communes of type ``commune-actuelle`` in zones ``metro`` and ``drom``, as in the shipped
files. Coordinates are not in the package: they are taken from the current ``communes.csv``
by INSEE code, or, for a new commune, averaged over its ``anciensCodes`` (population-weighted).
Communes still without a point are listed and nothing is written (exit code 1).
Plain Python, no Django: run it anywhere.
"""

import argparse
import csv
import gzip
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "solidaire" / "territory" / "data"
sys.path.insert(0, str(ROOT))

from solidaire.territory.columns import COLUMNS as HEADERS  # noqa: E402  (no Django import)

ZONES = {"metro", "drom"}


def read_json(folder: Path, name: str):
    return json.loads((folder / name).read_text(encoding="utf-8"))


def previous_points(data_dir: Path) -> dict[str, tuple[float, float, int]]:
    path = data_dir / "communes.csv.gz"
    if not path.exists():
        return {}
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    return {
        row["insee_code"]: (float(row["latitude"]), float(row["longitude"]), int(row["population"]))
        for row in csv.DictReader(io.StringIO(text, newline=""))
    }


def build_tables(package: Path, points: dict) -> tuple[dict[str, list[list]], list[str]]:
    """Return the CSV rows per file name, and the communes left without coordinates."""
    communes = [
        c
        for c in read_json(package, "communes.json")
        if c.get("type") == "commune-actuelle" and c.get("zone") in ZONES
    ]
    departments = [d for d in read_json(package, "departements.json") if d.get("zone") in ZONES]
    kept_departments = {d["code"] for d in departments}
    regions = [r for r in read_json(package, "regions.json") if r.get("zone") in ZONES]
    arrondissements = [
        a
        for a in read_json(package, "arrondissements.json")
        if a["departement"] in kept_departments
    ]
    epci_of = {}
    for epci in read_json(package, "epci.json"):
        for member in epci.get("membres", []):
            epci_of[member["code"]] = (epci["code"], epci["nom"])

    rows, missing = [], []
    for commune in sorted(communes, key=lambda c: c["code"]):
        code = commune["code"]
        point = points.get(code)
        if point is None:
            olds = [points[old] for old in commune.get("anciensCodes", []) if old in points]
            weight = sum(max(p[2], 1) for p in olds)
            if olds:
                point = (
                    round(sum(p[0] * max(p[2], 1) for p in olds) / weight, 5),
                    round(sum(p[1] * max(p[2], 1) for p in olds) / weight, 5),
                    0,
                )
        if point is None:
            missing.append(f"{code} {commune['nom']}")
            continue
        epci_code, epci_name = epci_of.get(code, ("", ""))
        rows.append(
            [
                code,
                commune["nom"],
                ";".join(sorted(commune.get("codesPostaux", []))),
                commune["departement"],
                commune.get("arrondissement") or "",
                epci_code,
                epci_name,
                commune.get("population", 0),
                f"{point[0]:.5f}",
                f"{point[1]:.5f}",
            ]
        )
    tables = {
        "regions.csv": [[r["code"], r["nom"]] for r in sorted(regions, key=lambda r: r["code"])],
        "departments.csv": [
            [d["code"], d["nom"], d["region"]] for d in sorted(departments, key=lambda d: d["code"])
        ],
        "arrondissements.csv": [
            [a["code"], a["nom"], a["departement"]]
            for a in sorted(arrondissements, key=lambda a: a["code"])
        ],
        "communes.csv": rows,
    }
    return tables, missing


def write_tables(tables: dict[str, list[list]], out: Path) -> None:
    for name, rows in tables.items():
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(HEADERS[name])
        writer.writerows(rows)
        # mtime=0: the same data gives the same bytes, so git sees no change.
        (out / f"{name}.gz").write_bytes(gzip.compress(buffer.getvalue().encode(), mtime=0))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package_data", type=Path)
    parser.add_argument("--out", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    tables, missing = build_tables(args.package_data, previous_points(args.out))
    if missing:
        print(f"{len(missing)} commune(s) sans coordonnées, rien n'est écrit :", file=sys.stderr)
        for line in missing:
            print(f"  {line}", file=sys.stderr)
        return 1
    write_tables(tables, args.out)
    counts = ", ".join(f"{name}: {len(rows)}" for name, rows in tables.items())
    print(f"Référentiel régénéré dans {args.out} ({counts}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
