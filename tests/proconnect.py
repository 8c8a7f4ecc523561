"""The OpenID Connect provider of the tests (tests/oidc/server.mjs), started once per
session on a free loopback port, and helpers that sign in through it.

The provider is the npm package oidc-provider, configured like ProConnect (RS256-signed
ID token and userinfo JWT, client_secret_post, the claims email, given_name, usual_name
and siret). Nothing of mozilla-django-oidc is mocked: Django talks to it over HTTP.
"""

import json
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

OIDC_DIR = Path(__file__).parent / "oidc"
START_SECONDS = 30
CALLBACK_PATH = "/comptes/proconnect/retour/"
LOGGED_OUT_PATH = "/comptes/proconnect/deconnecte/"


@dataclass
class Provider:
    issuer: str
    process: subprocess.Popen
    clients: dict = field(default_factory=dict)

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def client_for(self, base_url: str) -> tuple[str, str]:
        """(client_id, client_secret) of a client registered for ``base_url``'s
        callback and post-logout URIs (dynamic registration, once per base URL)."""
        if base_url not in self.clients:
            answer = requests.post(
                f"{self.issuer}/reg",
                json={
                    "redirect_uris": [base_url + CALLBACK_PATH],
                    "post_logout_redirect_uris": [base_url + LOGGED_OUT_PATH],
                },
                timeout=10,
            )
            answer.raise_for_status()
            client = answer.json()
            self.clients[base_url] = (client["client_id"], client["client_secret"])
        return self.clients[base_url]


def _npm_ci():
    if (OIDC_DIR / "node_modules" / "oidc-provider").exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm introuvable : installez Node.js et npm, puis lancez make install-test.")
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund"], cwd=OIDC_DIR, capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.fail(f"npm ci a échoué dans tests/oidc :\n{done.stderr[-2000:]}")


@pytest.fixture(scope="session")
def oidc_provider():
    node = shutil.which("node")
    if node is None:
        pytest.skip(
            "Node.js est absent : le fournisseur OpenID Connect de test ne peut pas démarrer"
        )
    _npm_ci()
    process = subprocess.Popen(
        [node, "server.mjs"],
        cwd=OIDC_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # The server prints {"issuer": ...} once its discovery document answers.
    first_line = []
    reader = threading.Thread(target=lambda: first_line.append(process.stdout.readline()))
    reader.start()
    reader.join(START_SECONDS)
    try:
        if not first_line or not first_line[0].strip():
            process.kill()
            pytest.fail(
                "Le fournisseur OpenID Connect de test n'a pas démarré :\n"
                + (process.stderr.read() if process.poll() is not None else "délai dépassé")
            )
        provider = Provider(issuer=json.loads(first_line[0])["issuer"], process=process)
        requests.get(provider.discovery_url, timeout=10).raise_for_status()
        # Its warnings (in-memory adapter) would fill the pipe: drain it.
        threading.Thread(target=process.stderr.read, daemon=True).start()
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def configure(settings, provider: Provider, base_url: str) -> None:
    """Turn ProConnect on, against ``provider``, for a site served at ``base_url``."""
    client_id, client_secret = provider.client_for(base_url)
    settings.PROCONNECT_ENABLED = True
    settings.PROCONNECT_DISCOVERY_URL = provider.discovery_url
    settings.OIDC_RP_CLIENT_ID = client_id
    settings.OIDC_RP_CLIENT_SECRET = client_secret


@dataclass
class Identity:
    """Who signs in at the provider, and how the provider should (mis)behave."""

    sub: str
    email: str = ""
    given_name: str = "Camille"
    usual_name: str = "Martin"
    siret: str = "21620041000019"  # Luhn-valid: the organisations app checks it
    mode: str = "normal"

    def form(self, action="login") -> dict:
        return {
            "sub": self.sub,
            "email": self.email,
            "given_name": self.given_name,
            "usual_name": self.usual_name,
            "siret": self.siret,
            "mode": self.mode,
            "action": action,
        }


def provider_round_trip(
    authorize_url: str, identity: Identity, *, action="login", browser=None
) -> str:
    """Follow the provider from its authorisation URL to our callback; returns the
    callback URL (with code and state, or error). ``browser``: a requests.Session that
    keeps the provider's cookies (a new one by default, i.e. no ProConnect session)."""
    browser = browser or requests.Session()
    page = browser.get(authorize_url, timeout=10)
    page.raise_for_status()
    uid = re.search(r'action="/interaction/([^"]+)"', page.text).group(1)
    answer = browser.post(
        urljoin(page.url, f"/interaction/{uid}"),
        data=identity.form(action),
        allow_redirects=False,
        timeout=10,
    )
    location = answer.headers["Location"]
    while CALLBACK_PATH not in urlsplit(location).path:
        answer = browser.get(urljoin(answer.url, location), allow_redirects=False, timeout=10)
        location = answer.headers["Location"]
    return location


def local_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def start_sign_in(client, *, next_url=None, invitation=False):
    """The Django test client asks to sign in; returns the provider's authorisation URL."""
    query = {}
    if next_url:
        query["next"] = next_url
    if invitation:
        query["invitation"] = "1"
    response = client.get("/comptes/proconnect/connexion/", query)
    assert response.status_code == 302, response
    return response["Location"]


def sign_in(client, identity: Identity, *, next_url=None, action="login"):
    """A whole sign-in with the Django test client; returns (callback response, callback
    URL)."""
    callback = provider_round_trip(
        start_sign_in(client, next_url=next_url), identity, action=action
    )
    return client.get(local_path(callback)), callback
