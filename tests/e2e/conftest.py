"""Browser tests in Debian's Chromium, driven by Playwright against `live_server`.

Every test here is marked e2e and runs in a transactional database (the live
server's thread sees committed data); the reference geography survives the flush
between tests (see tests/database.py).
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

# Playwright runs an event loop in the test thread; Django's ORM calls from the test
# body are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium est introuvable ({CHROMIUM}) : installez le paquet Debian 'chromium' "
            "(make test le fait) ou indiquez son chemin dans la variable CHROMIUM."
        )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "viewport": {"width": 1280, "height": 900}}


# Every document (frames included) reports its Content-Security-Policy violations.
_REPORT_CSP = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const text = `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile || event.documentURI}:${event.lineNumber}`;
  window.cspViolations.push(text);
  window.reportCspViolation(text);
});
"""


class CspViolations(list):
    """What the browser refused under the site's policy, from the event and the console."""

    def attach(self, page):
        page.expose_function("reportCspViolation", lambda text: self.append(text))
        page.add_init_script(_REPORT_CSP)
        page.on(
            "console",
            lambda message: (
                self.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )


@pytest.fixture
def csp_violations():
    return CspViolations()


@pytest.fixture
def page(page, live_server, csp_violations):
    """The browser page, under the policy as served (Playwright does not bypass it); a
    test fails if the browser reported any violation of it."""
    page.set_default_timeout(10_000)
    csp_violations.attach(page)
    yield page
    assert list(csp_violations) == [], "Content-Security-Policy violations"


@pytest.fixture
def url(live_server):
    """url('/carte/') -> absolute URL on the live server."""
    return lambda path: f"{live_server.url}{path}"


_axe = Axe()


def axe_violations(page) -> list[str]:
    """Run axe-core on the current page; return one line per violation (empty if clean)."""
    results = _axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:5])
        for v in results.response["violations"]
    ]


@pytest.fixture
def login(live_server):
    """login(page, user): open an authenticated session for ``user`` in the browser."""

    def _login(page, user):
        client = Client()
        client.force_login(user)
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )

    return _login


@pytest.fixture
def provider(settings, oidc_provider, live_server):
    """ProConnect turned on against the loopback provider of the tests (tests/oidc/), with
    the site's Content-Security-Policy as it is: the sign-in is a link and the logout moves
    on from a page, so form-action need not name the provider."""
    from tests.proconnect import configure

    configure(settings, oidc_provider, live_server.url)
    return oidc_provider
