"""Footer pages with real content, and the DSFR error pages."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_the_accessibility_statement_gives_the_status_the_standard_and_a_contact(visitor):
    html = visitor.get("/accessibilite/").content.decode()
    assert "non conforme" in html  # no audit recorded (tests/test_accessibility_statement.py)
    assert "RGAA" in html and "4.1" in html
    assert "mailto:" in html
    assert "Défenseur des droits" in html


@override_settings(PREFECTURE_NAME="Préfet du Nord", HOSTING_PROVIDER="Hébergeur Test SAS")
def test_the_legal_notice_names_the_prefecture_the_host_and_the_licence(visitor):
    html = visitor.get("/mentions-legales/").content.decode()
    assert "Préfet du Nord" in html
    assert "Hébergeur Test SAS" in html
    assert "Licence Ouverte 2.0" in html


def test_the_privacy_page_says_what_is_kept_why_how_long_and_how_to_purge(visitor):
    html = visitor.get("/donnees-personnelles/").content.decode()
    for text in ("Nom, adresse e-mail, numéro de téléphone", "Abonnés", "Agents", "12&nbsp;mois"):
        assert text in html
    assert "purge_personal_data" in html
    assert "CNIL" in html and "droit d'accès" in html


@pytest.mark.parametrize(
    "path", ["/accessibilite/", "/mentions-legales/", "/donnees-personnelles/"]
)
def test_every_footer_page_shows_the_data_attribution(visitor, path):
    response = visitor.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="attribution-donnees"' in html and "INSEE (COG 2026" in html
    assert "À compléter" not in html


def test_an_unknown_url_is_a_dsfr_404(visitor):
    response = visitor.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page non trouvée" in response.content.decode()


def test_a_refused_page_is_a_dsfr_403_in_french(client, editor):
    client.force_login(editor)
    response = client.get("/gestion/imports/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Accès refusé" in html and "fr-footer" in html
    assert "Forbidden" not in html


def test_a_form_sent_without_its_csrf_token_gets_a_french_dsfr_page(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/initiatives/proposer/", {"title": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Formulaire expiré" in html and "fr-footer" in html
    assert "Forbidden" not in html and "CSRF verification failed" not in html


def test_the_500_page_is_a_dsfr_page(rf):
    from solidaire.views import server_error

    request = rf.get("/")
    request.user = None
    response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Erreur inattendue" in html and "fr-footer" in html


def test_the_500_page_falls_back_to_plain_html_when_the_page_cannot_render(rf, monkeypatch):
    from solidaire import views

    def broken(*args, **kwargs):
        raise RuntimeError("database unavailable")

    monkeypatch.setattr(views, "render", broken)
    response = views.server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Erreur inattendue" in response.content.decode()
