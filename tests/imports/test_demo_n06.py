"""The demo's n°6 against the import: pasted again it is a duplicate (warned, nothing
created unless asked), and the platform's own PDF of it reads back into its 11 initiatives
and its header."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from solidaire.imports.duplicates import duplicate_warnings
from solidaire.imports.evaluation import compare
from solidaire.imports.models import ImportedDocument
from solidaire.imports.pipeline import run
from solidaire.imports.readers import read_document
from solidaire.imports.services import DuplicateDocument, document_analyse, document_import
from solidaire.initiatives.demo import EXPECTED
from solidaire.initiatives.models import Initiative
from tests.bulletins import demo_n06
from tests.factories import PASSWORD
from tests.imports.factories import SAMPLE, sample_text

pytestmark = pytest.mark.django_db

# The n°6 built once for the module, and its PDF (shared with the other module that reads them).
demo_rows, demo, demo_pdf = demo_n06.demo_rows, demo_n06.demo, demo_n06.demo_pdf


def test_the_sample_pasted_again_is_a_recorded_number_whose_initiatives_are_published(demo):
    bulletin, _ = demo
    document, _ = document_analyse(text=sample_text(), name="n06.txt", department="62")
    warnings = duplicate_warnings(result=document.result)
    assert any("n°6" in w and "déjà enregistré" in w for w in warnings), warnings
    assert any("déjà publiées" in w for w in warnings), warnings


def test_importing_it_creates_nothing_unless_forced(demo):
    bulletin, _ = demo
    before = Initiative.objects.count()
    document, _ = document_analyse(
        text=sample_text(), name="n06.txt", department="62", campaign=bulletin.series.campaign
    )
    with pytest.raises(DuplicateDocument):
        document_import(document=document, campaign=bulletin.series.campaign)
    assert Initiative.objects.count() == before
    created = document_import(document=document, campaign=bulletin.series.campaign, force=True)
    assert len(created) == 11


def test_the_command_warns_and_exits_non_zero_without_drafts(demo):
    before = Initiative.objects.count()
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_bulletin",
            str(SAMPLE),
            "--campaign",
            "covid-19",
            "--department",
            "62",
            stderr=err,
            stdout=StringIO(),
        )
    assert "doublon probable" in err.getvalue()
    assert "déjà enregistré" in err.getvalue()
    assert Initiative.objects.count() == before


def test_the_review_screen_warns_and_creates_nothing(demo, client, moderator62):
    bulletin, _ = demo
    document, _ = document_analyse(
        text=sample_text(), name="n06.txt", department="62", campaign=bulletin.series.campaign
    )
    client.login(username=moderator62.username, password=PASSWORD)
    url = f"/gestion/imports/{document.pk}/"
    page = client.get(url)
    assert "Doublon probable" in page.content.decode()
    assert page.context["warnings"]
    before = Initiative.objects.count()
    fields = {"action": "import", "submitted": "1"}
    for index, item in enumerate(document.result["initiatives"]):
        fields[f"i{index}-include"] = "on"
        fields[f"i{index}-communes"] = item["communes"]
    response = client.post(url, fields)
    assert response.status_code == 200
    assert any("doublon probable" in e for e in response.context["errors"])
    assert Initiative.objects.count() == before
    response = client.post(url, {**fields, "doc-force": "on"})
    assert response.status_code == 302
    assert Initiative.objects.count() == before + 11


def test_the_platform_pdf_reads_back_into_its_initiatives_and_header(demo_pdf):
    text, fmt = read_document(demo_pdf, "pas-de-calais-solidaire-n06.pdf")
    assert fmt == "pdf"
    result = run(text, department="62").as_json()
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert result["bulletin"]["title"] == expected["bulletin"]["title"]
    assert result["bulletin"]["number"] == 6
    assert result["bulletin"]["date"] == "2020-04-24"
    assert result["bulletin"]["place"] == "Arras"
    score = compare(result, expected)
    assert (score.found, score.paired) == (11, 11), score.details
    assert [i["section"] for i in result["initiatives"]] == [
        i["section"] for i in expected["initiatives"]
    ]
    # The page footers and the masthead's motto are no initiative's text.
    assert not any(
        "Page 1 sur" in i["text"] or "Fraternité" in i["text"] for i in result["initiatives"]
    )


def test_the_platform_pdf_is_a_duplicate_of_the_recorded_number(demo, demo_pdf):
    document, _ = document_analyse(data=demo_pdf, name="n06.pdf", department="62")
    assert isinstance(document, ImportedDocument)
    assert duplicate_warnings(result=document.result)
