"""The data·inclusion export: structures and services that the schema's own package accepts."""

import io
import json
import logging
from pathlib import Path

import pytest
from data_inclusion.schema.v1 import Service, Structure, Thematique
from django.conf import settings
from django.core.management import call_command
from jsonschema import Draft202012Validator

from solidaire.initiatives.models import Freshness, Initiative, Theme
from solidaire.opendata import datainclusion
from solidaire.opendata.full_exports import export_storage, exports_build, exports_build_summary
from solidaire.opendata.models import ExportFile
from solidaire.territory.models import Commune
from tests.factories import make_campaign, make_initiative
from tests.opendata.factories import PRIVATE_VALUES

pytestmark = pytest.mark.django_db

SPECS = Path(settings.BASE_DIR) / "docs" / "specs" / "data-inclusion"


def _stored(fmt: str) -> list[dict]:
    with export_storage().open(ExportFile.objects.get(fmt=fmt).name, "rb") as handle:
        return json.loads(handle.read())


def _by_initiative(services: list[dict]) -> dict[int, dict]:
    return {int(s["id"].rsplit("--", 1)[1]): s for s in services}


def test_the_job_writes_structures_and_services_the_schema_accepts(demo):
    exports_build()
    structures, services = _stored("di-structures"), _stored("di-services")
    published = [i for i in demo["public"] if i.status == "published"]
    assert len(services) == len(structures) == len(published) == 4
    assert ExportFile.objects.get(fmt="di-services").rows == 4
    # Archived initiatives are over: no offer to send anyone to.
    archived = next(i for i in demo["public"] if i.status == "archived")
    assert archived.id not in _by_initiative(services)
    structure_schema = Draft202012Validator(json.loads((SPECS / "structure.json").read_text()))
    service_schema = Draft202012Validator(json.loads((SPECS / "service.json").read_text()))
    ids = {s["id"] for s in structures}
    for structure in structures:
        Structure.model_validate(structure, context={"ignore_warnings": False})
        assert not list(structure_schema.iter_errors(structure))
        assert structure["source"] == datainclusion.source() == "territoire-solidaire"
    for service in services:
        Service.model_validate(service)
        assert not list(service_schema.iter_errors(service))
        assert service["structure_id"] in ids
        assert service["lien_source"].startswith(settings.SITE_ROOT + "/initiatives/")
    text = json.dumps([structures, services], ensure_ascii=False)
    for private in PRIVATE_VALUES:
        assert private not in text


def test_zone_eligibilite_is_made_of_insee_siren_and_department_codes(db):
    arrondissement = Commune.objects.get(insee_code="62193").arrondissement_id
    initiative = make_initiative(
        communes=("62041",),
        epcis=("200033579",),
        arrondissements=(arrondissement,),
        departments=("59",),
    )
    exports_build()
    service = _by_initiative(_stored("di-services"))[initiative.id]
    zone = service["zone_eligibilite"]
    communes = set(
        Commune.objects.filter(arrondissement_id=arrondissement).values_list(
            "insee_code", flat=True
        )
    )
    assert zone[:2] == ["62041", "200033579"]
    assert zone[-1] == "59"
    # The schema has no arrondissement: it is given as its communes.
    assert set(zone[2:-1]) == communes and "62193" in communes
    assert service["code_insee"] == "62041" and service["commune"] == "Arras"


def test_themes_are_mapped_to_thematiques_through_the_reviewed_table(db):
    campaign = make_campaign()
    shopping = Theme.objects.create(
        campaign=campaign, name="Aide aux courses", slug="aide-aux-courses"
    )
    calls = Theme.objects.create(campaign=campaign, name="Écoute", slug="ecoute-et-appels")
    unknown = Theme.objects.create(campaign=campaign, name="Nouveau", slug="un-theme-nouveau")
    initiative = make_initiative(campaign=campaign, themes=(shopping, calls, unknown))
    exports_build()
    service = _by_initiative(_stored("di-services"))[initiative.id]
    assert service["thematiques"] == [
        "equipement-et-alimentation--alimentation",
        "remobilisation--lien-social",
        "sante--sante-mentale",
    ]


def test_every_theme_of_the_demo_campaign_has_been_reviewed():
    demo = json.loads(
        (Path(settings.BASE_DIR) / "solidaire/initiatives/demo/bulletin-n06.json").read_text()
    )

    def slugs(themes):
        for theme in themes:
            yield theme["slug"]
            yield from slugs(theme.get("children", []))

    assert set(slugs(demo["campaign"]["themes"])) <= set(datainclusion.THEME_THEMATIQUES)
    for mapped in datainclusion.THEME_THEMATIQUES.values():
        assert all(isinstance(t, Thematique) for t in mapped)


def test_only_public_contacts_go_out_filed_by_kind(db):
    initiative = make_initiative(
        contacts=(
            ("email", "benevoles@asso.example.org"),
            ("phone", "+33321000000"),
            ("url", "https://asso.example.org/aider"),
        ),
        submitter_email="prive@exemple-prive.test",
        submitter_phone="+33699999999",
    )
    exports_build()
    service = _by_initiative(_stored("di-services"))[initiative.id]
    assert service["courriel"] == "benevoles@asso.example.org"
    assert service["telephone"] == "+33321000000"
    assert service["lien_mobilisation"] == "https://asso.example.org/aider"
    assert service["modes_mobilisation"] == [
        "envoyer-un-courriel",
        "telephoner",
        "utiliser-lien-mobilisation",
    ]
    assert service["mobilisable_par"] == ["usagers"]
    structure = next(s for s in _stored("di-structures") if s["id"] == service["structure_id"])
    assert structure["site_web"] == "https://asso.example.org/aider"
    text = json.dumps(_stored("di-services")) + json.dumps(_stored("di-structures"))
    assert "prive@exemple-prive.test" not in text and "699999999" not in text


def test_a_record_the_schema_refuses_is_reported_and_the_others_exported(db, caplog):
    good = make_initiative(title="Courses pour les aînés")
    # A two-letter name: data·inclusion wants 3 to 150 characters.
    bad = make_initiative(title="Ok")
    hidden = make_initiative(title="Probablement terminée")
    Initiative.objects.filter(pk=hidden.pk).update(freshness=Freshness.HIDDEN)
    with caplog.at_level(logging.WARNING, logger="solidaire.opendata.datainclusion"):
        summary = exports_build_summary()
    # (The module's demo set may be there too: only these three are looked at.)
    services = _by_initiative(_stored("di-services"))
    assert good.id in services and bad.id not in services and hidden.id not in services
    problems = ExportFile.objects.get(fmt="di-services").problems
    assert [p["initiative"] for p in problems] == [bad.id]
    assert "service.nom : au moins 3 caractère(s)" in problems[0]["errors"]
    assert f"initiative {bad.id} refusée par le schéma" in caplog.text
    assert f"1 refusé(s) par le schéma (initiatives {bad.id})" in summary
    # The CSV keeps every public initiative.
    assert ExportFile.objects.get(fmt="csv").rows == Initiative.objects.public().count()


def test_the_files_are_listed_on_the_data_page_and_served_whole(visitor, db):
    make_initiative()
    response = visitor.get("/donnees/data-inclusion-services.json")
    assert response.status_code == 503
    assert "en cours de préparation" in response.json()["detail"]
    exports_build()
    stored = ExportFile.objects.get(fmt="di-services")
    response = visitor.get("/donnees/data-inclusion-services.json")
    assert response.status_code == 200
    assert response["Content-Length"] == str(stored.size)
    assert response["ETag"] == f'"{stored.sha256}"'
    assert "data-inclusion-services.json" in response["Content-Disposition"]
    services = json.loads(b"".join(response.streaming_content))
    assert len(services) == stored.rows >= 1
    assert visitor.get("/donnees/data-inclusion-autre.json").status_code == 404
    page = visitor.get("/donnees/").content.decode()
    assert "/donnees/data-inclusion-structures.json" in page
    assert "/donnees/data-inclusion-services.json" in page
    assert stored.sha256 in page


def test_the_same_data_gives_the_same_files(db):
    make_initiative(contacts=(("email", "a@example.org"), ("phone", "+33321000000")))
    first = {f.fmt: f.sha256 for f in exports_build()}
    second = {f.fmt: f.sha256 for f in exports_build()}
    assert first["di-services"] == second["di-services"]
    assert first["di-structures"] == second["di-structures"]


def test_the_command_and_the_admin_report_the_refused_initiatives(db, client, admin_user):
    bad = make_initiative(title="Ok")
    out = io.StringIO()
    call_command("build_exports", stdout=out)
    text = out.getvalue()
    assert "di-services : " in text and "SHA-256" in text
    assert (
        f"Refusée par le schéma data·inclusion : initiative n° {bad.id} « Ok » : "
        "service.nom : au moins 3 caractère(s)"
    ) in text
    client.force_login(admin_user)
    page = client.get("/admin/opendata/exportfile/di-services/change/").content.decode()
    # (The page's typography puts a no-break space after « n° ».)
    page = page.replace("\xa0", " ")
    assert f"{bad.id} « Ok » : service.nom : au moins 3 caractère(s)" in page
    assert client.get("/admin/opendata/exportfile/").status_code == 200
    assert client.get("/admin/opendata/datagouvdataset/").status_code == 200
