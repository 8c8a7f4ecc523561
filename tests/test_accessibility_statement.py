"""The accessibility statement in the RGAA's form, its conformity read from the audit that
the settings record: "non conforme" until there is one, then the RGAA's rule on its rate."""

import re
from datetime import date

import pytest
from django.test import override_settings

from tests.test_typography_everywhere import html_text

pytestmark = pytest.mark.django_db

AUDIT_DAY = date(2026, 10, 15)
# The RGAA's model statement, in its order.
SECTIONS = [
    "État de conformité",
    "Résultats des tests",
    "Contenus non accessibles",
    "Établissement de cette déclaration d'accessibilité",
    "Retour d'information et contact",
    "Voies de recours",
    "Schéma pluriannuel de mise en accessibilité et plan d'action",
]


def statement(client) -> str:
    response = client.get("/accessibilite/")
    assert response.status_code == 200
    return response.content.decode()


def status_of(html: str) -> str:
    return html_text(re.search(r'<strong id="statut-conformite">(.*?)</strong>', html).group(1))


def footer_status(html: str) -> str:
    link = re.search(r'href="/accessibilite/">(.*?)</a>', html).group(1)
    return html_text(link).split(":", 1)[1].strip()


def test_without_an_audit_the_site_is_not_conformant(visitor):
    html = statement(visitor)
    assert status_of(html) == "non conforme"
    assert footer_status(html) == "non conforme"
    assert "partiellement conforme" not in html and "totalement conforme" not in html
    text = html_text(html)
    assert "Aucun audit de conformité au RGAA n'a encore été réalisé" in text
    assert "Faire réaliser un audit complet" in text


def test_the_statement_has_every_section_of_the_rgaa_model_in_order(visitor):
    headings = [html_text(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", statement(visitor))]
    assert headings == SECTIONS
    text = html_text(statement(visitor))
    for part in (
        "Non-conformités",
        "Dérogations pour charge disproportionnée",
        "Contenus non soumis à l'obligation d'accessibilité",
        "Technologies utilisées",
        "Environnement de test",
        "Défenseur des droits",
        "Libre réponse 71120",
        "Plan d'action",
    ):
        assert part in text, part


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        (100, "totalement conforme"),
        (87.5, "partiellement conforme"),
        (50, "partiellement conforme"),
        (49.9, "non conforme"),
        (12, "non conforme"),
    ],
)
def test_a_recorded_audit_gives_the_rgaa_level_of_its_rate(visitor, rate, expected):
    with override_settings(
        ACCESSIBILITY_AUDIT_DATE=AUDIT_DAY,
        ACCESSIBILITY_AUDIT_RATE=rate,
        ACCESSIBILITY_AUDITOR="Cabinet Exemple",
    ):
        html = statement(visitor)
    assert status_of(html) == expected
    assert footer_status(html) == expected
    text = html_text(html)
    written = f"{rate:g}".replace(".", ",")
    assert (
        f"L'audit de conformité réalisé le 15 octobre 2026 par Cabinet Exemple révèle que {written}"
        in text
    )
    assert "Aucun audit" not in text


def test_a_rate_without_its_audit_date_is_no_audit(visitor):
    with override_settings(ACCESSIBILITY_AUDIT_RATE=100):
        assert status_of(statement(visitor)) == "non conforme"


def test_the_plan_links_to_its_published_version_when_there_is_one(visitor):
    with override_settings(ACCESSIBILITY_PLAN_URL="https://www.example.gouv.fr/schema-2026.pdf"):
        html = statement(visitor)
    assert 'href="https://www.example.gouv.fr/schema-2026.pdf"' in html


def test_the_footer_of_any_page_says_the_same_level(visitor):
    assert footer_status(visitor.get("/mentions-legales/").content.decode()) == "non conforme"
