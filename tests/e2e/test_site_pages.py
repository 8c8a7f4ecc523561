import pytest

from tests.e2e.conftest import axe_violations


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/accessibilite/", "Déclaration d'accessibilité"),
        ("/mentions-legales/", "Mentions légales"),
        ("/donnees-personnelles/", "Données personnelles"),
        ("/cette-page-n-existe-pas/", "Page non trouvée"),
    ],
)
def test_footer_and_error_pages_are_accessible(page, url, path, heading):
    page.goto(url(path))
    assert page.locator("h1").inner_text() == heading
    assert "INSEE (COG 2026" in page.locator("#pied-de-page").inner_text()
    assert axe_violations(page) == []


def test_the_reference_geography_survives_between_browser_tests(page, url):
    from solidaire.territory.models import Commune

    # Runs after the tests above, each of which flushed the database on teardown.
    assert Commune.objects.count() == 34875
    page.goto(url("/accessibilite/"))
    assert page.title().startswith("Déclaration d'accessibilité")
