"""The commune's block shown by another site (another origin, a plain http.server), and the
new pages (alert form, confirmation, management, embed) axe-clean at desktop and 390 px."""

import functools
import http.server
import os
import threading
from urllib.parse import urlsplit

import pytest
from django.core import mail

from solidaire.alerts.models import Alert
from tests.e2e.conftest import axe_violations
from tests.factories import make_initiative

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
MAIRIE_PORT = int(os.environ.get("EMBED_TEST_PORT", "8590"))


@pytest.fixture
def calais():
    return make_initiative(
        title="Visières pour les soignants",
        communes=["62193"],
        contacts=[("phone", "+33321000001")],
        actor_name="Fablab du Calaisis",
    )


@pytest.fixture
def mairie_site(tmp_path, live_server):
    """A mairie's page on another origin, showing the block in an iframe."""
    (tmp_path / "index.html").write_text(
        "<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>Mairie de Calais"
        "</title></head><body><main><h1>Mairie de Calais</h1>"
        f"<iframe src='{live_server.url}/communes/62193/encart/' "
        "title='Initiatives de solidarité à Calais' width='100%' height='420'></iframe>"
        "</main></body></html>",
        encoding="utf-8",
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", MAIRIE_PORT), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{MAIRIE_PORT}/"
    server.shutdown()
    server.server_close()


def test_the_block_renders_inside_another_sites_page(page, mairie_site, calais):
    page.goto(mairie_site)
    frame = page.frame_locator("iframe")
    frame.get_by_role("heading", name="Initiatives de solidarité à Calais").wait_for()
    link = frame.get_by_role("link", name="Visières pour les soignants")
    assert link.get_attribute("target") == "_blank"
    assert frame.get_by_role("link", name="03 21 00 00 01").get_attribute("href") == (
        "tel:+33321000001"
    )
    assert axe_violations(page) == []


@VIEWPORTS
def test_the_new_pages_are_accessible(page, url, calais, viewport):
    page.set_viewport_size(viewport)
    for path in ("/communes/62193/", "/communes/62193/encart/", "/alertes/?commune=62193"):
        page.goto(url(path))
        assert axe_violations(page) == [], path
    # Subscribe, with the errors shown first, then confirm and manage.
    page.get_by_role("button", name="M'alerter").click()
    assert page.get_by_role("alert").first.is_visible()
    assert axe_violations(page) == []
    page.get_by_label("Votre adresse e-mail").fill("lecteur@exemple.test")
    page.get_by_role("button", name="M'alerter").click()
    page.get_by_role("heading", name="Presque terminé").wait_for()
    alert = Alert.objects.get()
    confirm = next(m for m in mail.outbox if m.to == ["lecteur@exemple.test"])
    link = next(word for word in confirm.body.split() if "/alertes/confirmer/" in word)
    page.goto(url(urlsplit(link).path))
    assert axe_violations(page) == []
    page.get_by_role("button", name="Confirmer mon alerte").click()
    page.get_by_role("heading", name="Alerte confirmée").wait_for()
    page.get_by_role("link", name="Gérer toutes mes alertes").click()
    page.get_by_role("heading", name="Mes alertes").wait_for()
    assert page.get_by_role("cell", name="Calais (62)", exact=True).is_visible()
    assert axe_violations(page) == []
    assert Alert.objects.get(pk=alert.pk).confirmed_at is not None
