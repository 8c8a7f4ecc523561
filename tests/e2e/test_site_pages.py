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


def test_the_browser_enforces_the_policy_and_reports_an_inline_script(page, url, csp_violations):
    page.goto(url("/mentions-legales/"))
    # What an injected payload would do: an inline script and an inline style attribute.
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.inlineRan = true";
          document.body.append(script);
          document.body.insertAdjacentHTML("beforeend", '<p id="styled" style="color: red">x</p>');
        }"""
    )
    page.wait_for_function("() => document.querySelector('#styled')")
    assert page.evaluate("window.inlineRan") is None
    assert page.evaluate("getComputedStyle(document.querySelector('#styled')).color") != (
        "rgb(255, 0, 0)"
    )
    # The violation events are dispatched after the blocked operations.
    page.wait_for_function("() => window.cspViolations.length >= 2")
    assert any("script-src" in v for v in csp_violations), list(csp_violations)
    assert any("style-src" in v for v in csp_violations), list(csp_violations)
    csp_violations.clear()  # seen and expected
