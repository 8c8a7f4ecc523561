"""Fixtures of the demo's bulletin n°6, built once per test module, and its PDF rendered
once, for the modules that only read them (the PDF's tests, the import's round trip). A
module binds them under their names:

    demo_rows, demo, demo_pdf = demo_n06.demo_rows, demo_n06.demo, demo_n06.demo_pdf
"""

import pytest
from django.test import Client

from tests.bulletins.factories import make_demo_bulletin
from tests.database import module_fixtures

demo_rows, demo = module_fixtures(
    make_demo_bulletin, "(Bulletin n°6, its 11 initiatives in the sample's order)."
)


@pytest.fixture(scope="module")
def demo_pdf(demo_rows, django_db_blocker):
    """The n°6's PDF as the platform serves it, rendered once for the module."""
    with django_db_blocker.unblock():
        response = Client().get("/bulletins/pas-de-calais-solidaire/6/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content
