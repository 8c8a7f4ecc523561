"""The import_bulletin command: drafts in the queue, idempotent, JSON on stdout, bad input."""

import json
from datetime import date
from io import StringIO
from pathlib import Path

import jsonschema
import pytest
from django.core.management import CommandError, call_command

from solidaire.imports.models import DocumentStatus, ImportedDocument
from solidaire.initiatives.models import Initiative, Source, Status
from tests.factories import make_campaign, make_theme
from tests.imports.factories import GOLDEN, SAMPLE, make_pdf, sample_text

SCHEMA = json.loads((SAMPLE.parent / "import-result.schema.json").read_text(encoding="utf-8"))


def run_command(*args):
    out, err = StringIO(), StringIO()
    call_command("import_bulletin", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def campaign(db):
    campaign = make_campaign()
    make_theme(campaign=campaign, name="Solidaires avec les personnels soignants")
    return campaign


def test_it_creates_submitted_drafts_linked_to_the_document(campaign):
    out, _ = run_command(SAMPLE, "--campaign", "covid-19", "--department", "62")
    drafts = Initiative.objects.filter(source=Source.IMPORT)
    assert drafts.count() == 11
    assert set(drafts.values_list("status", flat=True)) == {Status.SUBMITTED}
    document = ImportedDocument.objects.get()
    assert document.status == DocumentStatus.IMPORTED
    assert document.imported_initiatives.count() == 11
    lillers = drafts.get(places__commune_id="62516")
    assert list(lillers.contacts.values_list("kind", "value")) == [("phone", "+33321613610")]
    calais = drafts.get(places__commune_id="62193")
    assert [(q.count, q.item, q.period) for q in calais.quantities.all()] == [
        (1300, "visières", "trois semaines")
    ]
    # The "Solidaires avec les personnels soignants" section maps to the campaign's theme.
    lens = drafts.get(places__commune_id="62498")
    assert [t.name for t in lens.themes.all()] == ["Solidaires avec les personnels soignants"]
    assert lens.transitions.get().actor == "import"
    assert "11 initiative(s) créée(s)" in out


def test_importing_the_same_document_twice_creates_nothing_new(campaign):
    run_command(SAMPLE, "--campaign", "covid-19")
    out, _ = run_command(SAMPLE, "--campaign", "covid-19")
    assert Initiative.objects.count() == 11
    assert ImportedDocument.objects.count() == 1
    assert "déjà importé" in out


def test_a_dry_run_creates_nothing(campaign):
    out, _ = run_command(SAMPLE, "--dry-run")
    assert Initiative.objects.count() == 0
    assert ImportedDocument.objects.count() == 0
    assert "rien n'a été créé" in out


def test_json_output_validates_against_the_schema_and_does_not_imply_dry_run(campaign):
    out, err = run_command(SAMPLE, "--format", "json", "--campaign", "covid-19")
    result = json.loads(out)
    jsonschema.validate(result, SCHEMA)
    assert result["bulletin"]["number"] == 6
    assert len(result["initiatives"]) == 11
    assert Initiative.objects.count() == 11
    assert err == ""


def test_several_files_give_one_json_object_per_line_and_a_progress_bar(campaign, tmp_path):
    files = [SAMPLE, *sorted(GOLDEN.glob("*.txt"))]
    out, err = run_command(*files, "--format", "json", "--dry-run")
    lines = out.strip().splitlines()
    assert len(lines) == len(files)
    for line in lines:
        jsonschema.validate(json.loads(line), SCHEMA)
    assert f"{len(files)}/{len(files)}" in err


def test_it_reads_html_markdown_and_pdf(campaign, tmp_path):
    html = tmp_path / "page.html"
    html.write_text(
        "<html><body><nav>Menu</nav><h2>Solidarité</h2><p>Le CCAS de Wimereux livre "
        "200 repas aux aînés.</p><p>Contact : <a href='https://wimereux.fr'>site</a></p>"
        "</body></html>",
        encoding="utf-8",
    )
    md = tmp_path / "note.md"
    md.write_text("## Aide\n\nÀ **Outreau**, la mairie a distribué 500 masques.\n", "utf-8")
    pdf = tmp_path / "bulletin.pdf"
    pdf.write_bytes(make_pdf("A Lillers, le CCAS appelle les aines chaque semaine.\n"))
    out, _ = run_command(html, md, pdf, "--format", "json", "--dry-run", "--department", "62")
    results = [json.loads(line) for line in out.strip().splitlines()]
    assert [r["initiatives"][0]["communes"] for r in results] == [["62893"], ["62643"], ["62516"]]
    assert results[0]["initiatives"][0]["urls"] == ["https://wimereux.fr"]
    assert results[0]["sections"] == ["Solidarité"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("vide.txt", b"   \n", "vide"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binaire"),
        ("scan.pdf", None, "scanné"),
        (
            "english.txt",
            b"The volunteers of the town handed out masks to the elderly and "
            b"the shops of the area gave food to the hospital staff.",
            "français",
        ),
        ("tableur.xlsx", b"PK\x03\x04", "Format non pris en charge"),
    ],
)
def test_bad_input_gets_a_clear_message_and_a_failing_exit(
    campaign, tmp_path, name, content, message
):
    path = tmp_path / name
    path.write_bytes(make_pdf(None) if content is None else content)
    with pytest.raises(CommandError, match="Aucun document"):
        run_command(path, "--campaign", "covid-19")
    assert Initiative.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(campaign, tmp_path, settings):
    path = tmp_path / "enorme.txt"
    with path.open("wb") as fh:  # 50 MB of text, above the 20 MB default
        fh.write(sample_text().encode() * (50_000_000 // len(sample_text().encode()) + 1))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_bulletin", str(path), "--campaign", "covid-19", stderr=err, stdout=StringIO()
        )
    assert "trop volumineux" in err.getvalue()


def test_one_bad_file_does_not_stop_the_others(campaign, tmp_path):
    empty = tmp_path / "vide.txt"
    empty.write_bytes(b"")
    out, err = run_command(empty, SAMPLE, "--campaign", "covid-19")
    assert "vide.txt : Le fichier est vide." in err
    assert "1 document(s) importé(s), 1 en échec" in err
    assert Initiative.objects.count() == 11


def test_a_failure_midway_leaves_no_partial_drafts(campaign, monkeypatch):
    from solidaire.imports import services

    calls = []
    real = services.initiative_create

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 5:
            raise RuntimeError("disque plein")
        return real(**kwargs)

    monkeypatch.setattr(services, "initiative_create", flaky)
    with pytest.raises(RuntimeError):
        run_command(SAMPLE, "--campaign", "covid-19")
    assert Initiative.objects.count() == 0
    assert ImportedDocument.objects.filter(status=DocumentStatus.IMPORTED).count() == 0


def test_with_a_series_the_document_becomes_that_past_number(campaign):
    from solidaire.bulletins.models import Bulletin, BulletinSeries

    series = BulletinSeries.objects.create(
        slug="pas-de-calais-solidaire",
        title="Le Pas-de-Calais solidaire",
        department_id="62",
        campaign=campaign,
        authority="Préfet du Pas-de-Calais",
        place="Arras",
    )
    out, _ = run_command(SAMPLE, "--series", series.slug)
    bulletin = Bulletin.objects.get(series=series)
    assert (bulletin.number, bulletin.issue_date) == (6, date(2020, 4, 24))
    assert bulletin.items.count() == 11
    assert ImportedDocument.objects.get().bulletin == bulletin
    assert "n°6" in out


def test_it_refuses_an_unknown_campaign_series_or_departement(campaign):
    for args, message in (
        (("--campaign", "nope"), "Campagne inconnue"),
        (("--series", "nope"), "Série de bulletins inconnue"),
        (("--department", "99"), "Département inconnu"),
    ):
        with pytest.raises(CommandError, match=message):
            run_command(SAMPLE, *args)


def test_a_missing_file_is_reported(campaign, tmp_path):
    with pytest.raises(CommandError):
        run_command(Path(tmp_path / "absent.txt"), "--campaign", "covid-19")


def test_a_number_already_in_the_series_fails_that_document_without_drafts(campaign, tmp_path):
    from solidaire.bulletins.models import BulletinSeries

    series = BulletinSeries.objects.create(
        slug="pas-de-calais-solidaire",
        title="Le Pas-de-Calais solidaire",
        department_id="62",
        campaign=campaign,
        authority="Préfet du Pas-de-Calais",
        place="Arras",
    )
    run_command(SAMPLE, "--series", series.slug)
    # Another text claiming the same number 6.
    path = tmp_path / "n06-bis.txt"
    path.write_text(sample_text() + "\n\nFin du bulletin.", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_bulletin", str(path), "--series", series.slug, stderr=err, stdout=StringIO()
        )
    assert "déjà enregistré" in err.getvalue()  # a duplicate: said before anything is tried
    assert Initiative.objects.count() == 11
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_bulletin",
            str(path),
            "--series",
            series.slug,
            "--force",
            stderr=err,
            stdout=StringIO(),
        )
    assert "n°6 existe déjà" in err.getvalue()
    assert Initiative.objects.count() == 11
