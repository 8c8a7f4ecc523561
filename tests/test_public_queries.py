"""The public pages and API answers read the database a number of times that does not grow
with the number of initiatives: the same count of queries with 5 and with 50 initiatives
where they show, and under a ceiling. Measured with the page cache off (cold reads)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_initiative, make_theme

pytestmark = pytest.mark.django_db

CALAIS, CALAIS_EPCI = "62193", "200090751"
PAGES = [
    "/",
    "/initiatives/",
    "/initiatives/?q=masques",
    "/initiatives/?department=62&theme={theme}",
    f"/initiatives/?epci={CALAIS_EPCI}",
    f"/communes/{CALAIS}/",
    f"/epci/{CALAIS_EPCI}/",
    "/departements/62/",
    "/pres-de-chez-moi/?lat=50.9513&lon=1.8587",
    "/carte/compteurs.json",
    "/carte/compteurs.json?q=masques",
    f"/api/v1/initiatives/?commune={CALAIS}",
    "/api/v1/initiatives/?q=masques",
]
# The most today: 13, the commune page (its lists read their few ids first: selectors._placed).
CEILING = 14


def add(count: int, theme) -> None:
    for i in range(count):
        make_initiative(
            title=f"Masques n°{i}",
            themes=[theme],
            communes=(CALAIS, "62160"),
            epcis=(CALAIS_EPCI,),
            contacts=[("phone", "+33321613610"), ("url", "https://example.org/")],
        )


def queries(client, url: str) -> int:
    client.get(url)  # reference data read once per process (choices, names, area points)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_public_pages_read_a_constant_number_of_times(visitor, settings):
    settings.PAGE_CACHE = False
    theme = make_theme(name="Aide alimentaire")
    add(5, theme)
    pages = [url.format(theme=theme.slug) for url in PAGES]
    few = {url: queries(visitor, url) for url in pages}
    add(45, theme)
    many = {url: queries(visitor, url) for url in pages}
    assert many == few
    assert max(many.values()) <= CEILING, many
