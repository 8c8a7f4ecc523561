"""What a State site must show, in the browser: the accessibility statement axe-clean at
1280 and 390 px, with and without an audit; security.txt served as plain text; the audience
measurement script run under the policy, with its CNIL-exempt settings."""

from datetime import date

import pytest
from django.test import override_settings

from solidaire.settings import content_security_policy
from tests.e2e.conftest import axe_violations

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])


@VIEWPORTS
@pytest.mark.parametrize("rate", [None, 62.5], ids=["no-audit", "audited"])
def test_the_accessibility_statement_is_accessible(page, url, viewport, rate):
    page.set_viewport_size(viewport)
    audit = {"ACCESSIBILITY_AUDIT_DATE": date(2026, 10, 15), "ACCESSIBILITY_AUDIT_RATE": rate}
    with override_settings(PAGE_CACHE=False, **(audit if rate else {})):
        page.goto(url("/accessibilite/"))
        status = page.locator("#statut-conformite").inner_text()
        assert status == ("partiellement conforme" if rate else "non conforme")
        assert page.locator("#pied-de-page").get_by_text(f"Accessibilité : {status}").count() == 1
        assert page.locator("h2#voies-de-recours").is_visible()
        assert axe_violations(page) == []


def test_security_txt_is_served_as_plain_text(page, url):
    response = page.request.get(url("/.well-known/security.txt"))
    assert response.status == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert "Contact: mailto:" in response.text() and "Expires: " in response.text()


def test_the_measurement_script_runs_without_cookies_nor_query_strings(page, url, live_server):
    # The tracker's address is the test server (nothing leaves the machine); its matomo.js
    # answers 404, which leaves the queue the site's script filled for it to read.
    tracker = f"{live_server.url}/mesure/"
    on = {
        "MATOMO_URL": tracker,
        "MATOMO_SITE_ID": "7",
        "CONTENT_SECURITY_POLICY": content_security_policy(matomo_url=tracker),
        "PAGE_CACHE": False,
    }
    with override_settings(**on):
        page.goto(url("/initiatives/?q=masques"))
        page.wait_for_function("() => Array.isArray(window._paq) && window._paq.length > 0")
        queue = page.evaluate("window._paq.map((call) => call.slice())")
    names = [call[0] for call in queue]
    assert names[0] == "disableCookies" and "trackPageView" in names
    assert ["setCustomUrl", f"{live_server.url}/initiatives/"] in queue
    assert ["setSiteId", "7"] in queue
    assert page.context.cookies() == []
