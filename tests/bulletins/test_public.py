import pytest

from solidaire.bulletins.services import bulletin_create_draft

pytestmark = pytest.mark.django_db


def test_the_archive_lists_each_series_with_its_numbers(demo, client):
    html = client.get("/bulletins/").content.decode()
    assert 'href="/bulletins/pas-de-calais-solidaire/6/"' in html
    assert "n°6 du 24 avril 2020" in html


def test_the_number_page_shows_the_frozen_bulletin_with_whole_links(demo, client):
    bulletin, initiatives = demo
    html = client.get("/bulletins/pas-de-calais-solidaire/6/").content.decode()
    assert "Arras, le 24 avril 2020" in html
    assert '<h1 id="bulletin-titre">Covid-19\u00a0: le Pas-de-Calais solidaire n°6</h1>' in html
    assert (
        '<a class="bulletin-link" href="https://www.facebook.com/MDNIduCalaisis/">'
        "https://www.facebook.com/MDNIduCalaisis/</a>" in html
    )
    assert 'href="mailto:solidarité.grandarras@cu-arras.org"' in html
    assert 'href="tel:0321613610"' in html
    assert "1\u00a0300 visières" in html
    for initiative in initiatives:
        assert f'href="/initiatives/{initiative.pk}/"' in html
    assert 'href="/bulletins/pas-de-calais-solidaire/6/pdf"' in html


def test_drafts_and_unknown_numbers_are_not_public(demo, client):
    bulletin, _ = demo
    draft = bulletin_create_draft(series=bulletin.series, initiatives=[])
    assert draft.number == 7
    assert client.get("/bulletins/pas-de-calais-solidaire/7/").status_code == 404
    assert client.get("/bulletins/pas-de-calais-solidaire/7/pdf").status_code == 404
    assert client.get("/bulletins/inconnue/6/").status_code == 404
    assert client.get("/bulletins/inconnue/").status_code == 404


def test_the_series_page_links_the_subscription_form_it_loads_apart(demo, client):
    html = client.get("/bulletins/pas-de-calais-solidaire/").content.decode()
    # A link without JavaScript, the form in place with htmx: no CSRF token on the page.
    assert 'href="/bulletins/pas-de-calais-solidaire/abonnement/"' in html
    assert 'hx-get="/bulletins/pas-de-calais-solidaire/abonnement/"' in html
    assert "csrfmiddlewaretoken" not in html
    form = client.get("/bulletins/pas-de-calais-solidaire/abonnement/").content.decode()
    assert 'action="/bulletins/pas-de-calais-solidaire/abonnement/"' in form
    assert 'name="email"' in form and 'maxlength="254"' in form
    assert "<html" in form and "csrfmiddlewaretoken" in form
    fragment = client.get(
        "/bulletins/pas-de-calais-solidaire/abonnement/", headers={"HX-Request": "true"}
    )
    assert "<html" not in fragment.content.decode()
    assert 'name="email"' in fragment.content.decode()
