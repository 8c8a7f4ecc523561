"""Load the shipped reference geography (COG 2026) into the database, idempotently."""

import csv
import gzip
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .columns import COLUMNS
from .models import Arrondissement, Commune, CommunePostalCode, Department, Epci, Region

DATA_DIR = Path(__file__).resolve().parent / "data"


class TerritoryDataError(Exception):
    """A reference file is missing or does not have the expected content."""


@dataclass
class LoadSummary:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())

    def __str__(self):
        parts = [
            f"{name}: {self.created.get(name, 0)} créé(s), {self.updated.get(name, 0)} modifié(s)"
            for name in ("régions", "départements", "arrondissements", "EPCI", "communes")
        ]
        return " ; ".join(parts)


def read_rows(data_dir: Path, filename: str) -> list[dict[str, str]]:
    """Read one gzipped (or plain) CSV file, checking its header."""
    path = data_dir / f"{filename}.gz"
    if not path.exists():
        path = data_dir / filename
    if not path.exists():
        raise TerritoryDataError(f"Fichier de référence introuvable : {data_dir / filename}(.gz)")
    try:
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
        text = raw.decode("utf-8")
        reader = csv.DictReader(io.StringIO(text, newline=""))
        rows = list(reader)
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile, csv.Error) as exc:
        raise TerritoryDataError(f"Fichier de référence illisible : {path} ({exc})") from exc
    expected = COLUMNS[filename]
    if reader.fieldnames != expected:
        raise TerritoryDataError(
            f"Fichier de référence corrompu : {path} (colonnes {reader.fieldnames}, "
            f"attendues {expected})"
        )
    if not rows:
        raise TerritoryDataError(f"Fichier de référence vide : {path}")
    return rows


def _sync(model, wanted: dict[str, dict], fields: list[str]) -> tuple[int, int]:
    """Create missing rows and update changed ones; return (created, updated)."""
    existing = {obj.pk: obj for obj in model.objects.all()}
    to_create, to_update = [], []
    for pk, values in wanted.items():
        obj = existing.get(pk)
        if obj is None:
            to_create.append(model(pk=pk, **values))
        elif any(getattr(obj, name) != values[name] for name in fields):
            for name in fields:
                setattr(obj, name, values[name])
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=2000)
    if to_update:
        model.objects.bulk_update(to_update, fields, batch_size=2000)
    return len(to_create), len(to_update)


def _commune_values(row: dict[str, str], path_hint: str) -> dict:
    try:
        return {
            "name": row["name"],
            "postal_codes": row["postal_codes"],
            "department_id": row["department_code"],
            "arrondissement_id": row["arrondissement_code"] or None,
            "epci_id": row["epci_code"] or None,
            "population": int(row["population"] or 0),
            "latitude": float(row["latitude"]),
            "longitude": float(row["longitude"]),
        }
    except (TypeError, ValueError) as exc:
        raise TerritoryDataError(
            f"Ligne invalide dans {path_hint} pour {row.get('insee_code')!r} : {exc}"
        ) from exc


def load_territory(data_dir: Path = DATA_DIR) -> LoadSummary:
    """Load every reference file in one transaction: all or nothing."""
    regions = read_rows(data_dir, "regions.csv")
    departments = read_rows(data_dir, "departments.csv")
    arrondissements = read_rows(data_dir, "arrondissements.csv")
    communes = read_rows(data_dir, "communes.csv")
    commune_values = {
        row["insee_code"]: _commune_values(row, str(data_dir / "communes.csv")) for row in communes
    }
    epcis = {row["epci_code"]: {"name": row["epci_name"]} for row in communes if row["epci_code"]}
    summary = LoadSummary()
    with transaction.atomic():
        steps = [
            ("régions", Region, {r["code"]: {"name": r["name"]} for r in regions}, ["name"]),
            (
                "départements",
                Department,
                {
                    r["code"]: {"name": r["name"], "region_id": r["region_code"]}
                    for r in departments
                },
                ["name", "region_id"],
            ),
            (
                "arrondissements",
                Arrondissement,
                {
                    r["code"]: {"name": r["name"], "department_id": r["department_code"]}
                    for r in arrondissements
                },
                ["name", "department_id"],
            ),
            ("EPCI", Epci, epcis, ["name"]),
            ("communes", Commune, commune_values, list(next(iter(commune_values.values())))),
        ]
        for label, model, wanted, fields in steps:
            summary.created[label], summary.updated[label] = _sync(model, wanted, fields)
        if summary.created["communes"] or summary.updated["communes"]:
            _sync_postal_codes(commune_values)
    return summary


def _sync_postal_codes(commune_values: dict[str, dict]) -> None:
    wanted = {
        (code, insee)
        for insee, values in commune_values.items()
        for code in values["postal_codes"].split(";")
        if code
    }
    existing = set(CommunePostalCode.objects.values_list("code", "commune_id"))
    stale = existing - wanted
    if stale:
        for code, insee in stale:
            CommunePostalCode.objects.filter(code=code, commune_id=insee).delete()
    CommunePostalCode.objects.bulk_create(
        [CommunePostalCode(code=code, commune_id=insee) for code, insee in wanted - existing],
        batch_size=5000,
    )


def outlines_path(data_dir: Path = DATA_DIR) -> Path:
    return data_dir / "communes-62.geojson.gz"
