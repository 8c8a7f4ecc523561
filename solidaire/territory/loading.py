"""Load the shipped reference geography (COG 2026) into the database, idempotently."""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from solidaire.pagecache.versions import SITE, versions_bump

from .models import Arrondissement, Commune, CommunePostalCode, Department, Epci, Region
from .reference import DATA_DIR, TerritoryDataError, read_rows


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
    regions = read_rows("regions.csv", data_dir=data_dir)
    departments = read_rows("departments.csv", data_dir=data_dir)
    arrondissements = read_rows("arrondissements.csv", data_dir=data_dir)
    communes = read_rows("communes.csv", data_dir=data_dir)
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
        if any(summary.created.values()) or any(summary.updated.values()):
            # Names of places are on every public page.
            versions_bump([SITE])
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
