import pytest

from tests.e2e.conftest import axe_violations
from tests.opendata.factories import make_demo_set


@pytest.mark.parametrize(
    ("path", "heading"),
    [("/donnees/", "Données ouvertes"), ("/chiffres/", "Chiffres")],
)
def test_open_data_pages_are_accessible(page, url, path, heading):
    make_demo_set()
    page.goto(url(path))
    assert page.locator("h1").inner_text() == heading
    assert axe_violations(page) == []


def test_each_chart_has_a_title_and_a_table_beside_it(page, url):
    make_demo_set()
    page.goto(url("/chiffres/"))
    charts = page.locator("svg[role=img]")
    assert charts.count() == 7
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.locator("title").text_content().strip()
        assert chart.locator("desc").text_content().strip()
    table = page.locator("#types-de-porteur table")
    assert "Association" in table.inner_text()
    # Keyboard users reach the CSV downloads.
    page.keyboard.press("Tab")
    link = page.get_by_role("link", name="Télécharger « Initiatives par thème » (CSV)")
    link.focus()
    assert link.evaluate("el => el === document.activeElement")


def test_the_api_docs_load_without_a_cdn(page, url):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url("/api/v1/docs/"))
    page.wait_for_selector(".swagger-ui .info", timeout=15_000)
    assert "API Territoire solidaire" in page.locator(".swagger-ui .info").inner_text()
    assert all(r.startswith(url("")) for r in requests), requests
