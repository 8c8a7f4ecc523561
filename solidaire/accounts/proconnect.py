"""ProConnect sign-in: mozilla-django-oidc's backend, held to what ProConnect documents.

ProConnect signs the userinfo answer (a JWT, Content-Type application/jwt) as it signs
the ID token; both are checked against its JWKS, its issuer and our client id. Every
failure becomes a ``ProConnectError`` with a French message, kept on the request for the
callback view to show (solidaire/accounts/views_proconnect.py), and a log line on the
``solidaire.accounts.proconnect`` logger. Linking the account is the service
``proconnect_sign_in`` (services.py).
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from django.utils.http import urlencode
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

logger = logging.getLogger("solidaire.accounts.proconnect")

# The session key of the invitation being accepted with ProConnect.
INVITATION_SESSION_KEY = "proconnect_invitation"
DISCOVERY_SECONDS = 3600
# Allowed drift between ProConnect's clock and ours when checking exp and iat.
LEEWAY_SECONDS = 60


def local_passwords() -> bool:
    """Whether passwords of this site still sign in: always without ProConnect."""
    return settings.LOCAL_PASSWORDS or not settings.PROCONNECT_ENABLED


def sign_in_options() -> dict:
    """What the login and invitation pages offer."""
    return {"proconnect_enabled": settings.PROCONNECT_ENABLED, "local_passwords": local_passwords()}


def proconnect_href(**query) -> str:
    """The URL that starts a ProConnect sign-in (``next``, ``invitation``: a token)."""
    query = {key: value for key, value in query.items() if value}
    url = reverse("accounts:proconnect_login")
    return f"{url}?{urlencode(query)}" if query else url


class ProConnectError(Exception):
    """A refused sign-in: ``code`` for the log and the tests, ``message`` for the user."""

    MESSAGES = {
        "disabled": "La connexion avec ProConnect n’est pas activée sur ce site.",
        "unavailable": "ProConnect ne répond pas pour le moment : réessayez dans quelques minutes.",
        "provider": "ProConnect a interrompu la connexion. Aucun compte n’a été modifié ; "
        "réessayez, et contactez l’administrateur du site si cela se reproduit.",
        "cancelled": "La connexion avec ProConnect a été annulée. Aucun compte n’a été modifié.",
        "state": "Cette connexion ProConnect a expiré ou a déjà servi. Recommencez la connexion.",
        "code": "ProConnect a refusé le code de connexion (expiré ou déjà utilisé). "
        "Recommencez la connexion.",
        "verification": "La réponse de ProConnect n’a pas pu être vérifiée : la connexion est "
        "refusée et aucun compte n’a été modifié.",
        "missing_claims": "ProConnect n’a pas transmis votre adresse e-mail ou le SIRET de votre "
        "organisation : la connexion est impossible. Aucun compte n’a été créé.",
        "email_taken": "Cette adresse e-mail est déjà liée à un autre compte ProConnect. "
        "Contactez l’administrateur du site.",
        "invitation": "Cette invitation a expiré ou a déjà été utilisée. Demandez une nouvelle "
        "invitation à l’administrateur du site.",
        "inactive": "Ce compte est désactivé. Contactez l’administrateur du site.",
        "refused": "La connexion avec ProConnect n’a pas pu aboutir. Aucun compte n’a été "
        "modifié ; réessayez plus tard.",
    }

    def __init__(self, code: str, detail: str = "", *, message: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
        self._message = message

    @property
    def message(self) -> str:
        return self._message or self.MESSAGES[self.code]


# mozilla-django-oidc setting -> (our explicit setting, discovery document key).
_ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": (
        "PROCONNECT_AUTHORIZATION_ENDPOINT",
        "authorization_endpoint",
    ),
    "OIDC_OP_TOKEN_ENDPOINT": ("PROCONNECT_TOKEN_ENDPOINT", "token_endpoint"),
    "OIDC_OP_USER_ENDPOINT": ("PROCONNECT_USERINFO_ENDPOINT", "userinfo_endpoint"),
    "OIDC_OP_JWKS_ENDPOINT": ("PROCONNECT_JWKS_URL", "jwks_uri"),
    "issuer": ("PROCONNECT_ISSUER", "issuer"),
    "end_session_endpoint": ("PROCONNECT_END_SESSION_ENDPOINT", "end_session_endpoint"),
}


def _discovery() -> dict:
    url = settings.PROCONNECT_DISCOVERY_URL
    if not url:
        return {}
    key = f"proconnect:discovery:{url}"
    document = cache.get(key)
    if document is None:
        try:
            response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as error:
            raise ProConnectError("unavailable", f"discovery {url}: {error}") from error
        cache.set(key, document, DISCOVERY_SECONDS)
    return document


def provider_setting(name: str) -> str:
    """An endpoint of the provider (a key of _ENDPOINTS): its explicit setting, else the
    discovery document's value."""
    explicit, key = _ENDPOINTS[name]
    value = getattr(settings, explicit, "") or _discovery().get(key, "")
    if not value:
        raise ProConnectError(
            "unavailable", f"no {key}: set PROCONNECT_DISCOVERY_URL or {explicit}"
        )
    return value


def get_settings(attr, *args):
    """mozilla-django-oidc's settings, the provider's endpoints resolved by discovery."""
    if attr in _ENDPOINTS:
        return provider_setting(attr)
    return import_from_settings(attr, *args)


class ProConnectBackend(OIDCAuthenticationBackend):
    get_settings = staticmethod(get_settings)

    def __init__(self, *args, **kwargs):
        # Loaded for every authenticate() call, password logins too: the provider's
        # endpoints are only looked up for a ProConnect callback (see authenticate).
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        # Only the callback view passes the nonce; a password login passes none.
        if request is None or "nonce" not in kwargs:
            return None
        try:
            if not settings.PROCONNECT_ENABLED:
                raise ProConnectError("disabled")
            super().__init__()
            return super().authenticate(request, **kwargs)
        except ProConnectError as error:
            failure = error
        except requests.HTTPError as error:
            response = error.response
            token_endpoint = getattr(self, "OIDC_OP_TOKEN_ENDPOINT", None)
            if response is not None and token_endpoint and response.url.startswith(token_endpoint):
                failure = ProConnectError("code", f"token endpoint {response.status_code}")
            else:
                failure = ProConnectError("unavailable", str(error))
        except requests.RequestException as error:
            failure = ProConnectError("unavailable", str(error))
        except (SuspiciousOperation, jwt.PyJWTError, KeyError, ValueError) as error:
            failure = ProConnectError("verification", f"{type(error).__name__}: {error}")
        logger.warning("ProConnect sign-in refused (%s)", failure)
        request.proconnect_error = failure
        return None

    # --- Tokens -----------------------------------------------------------------------

    def _verify_jws(self, payload, key):
        """The library checks the signature only: add ProConnect's issuer, our client id
        as audience, and the token's lifetime."""
        header = jwt.get_unverified_header(payload)
        alg = header.get("alg")
        if alg != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"algorithm {alg!r} instead of {self.OIDC_RP_SIGN_ALGO}")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[alg],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=provider_setting("issuer"),
                leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat"]},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"JWT refused: {error}") from error

    def get_userinfo(self, access_token, id_token, payload):
        """ProConnect's userinfo is a JWT signed like the ID token: an unsigned (JSON)
        answer is refused, since nothing would prove where its claims come from."""
        response = requests.get(
            self.OIDC_OP_USER_ENDPOINT,
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=self.get_settings("OIDC_TIMEOUT", None),
        )
        response.raise_for_status()
        content_type = response.headers.get("content-type", "").lower()
        if not content_type.startswith("application/jwt"):
            raise SuspiciousOperation(f"userinfo not signed ({content_type or 'no type'})")
        token = response.text.strip()
        if self.OIDC_RP_SIGN_ALGO.startswith(("RS", "ES")):
            key = self.retrieve_matching_jwk(token)
        else:
            key = self.OIDC_RP_CLIENT_SECRET
        claims = self._verify_jws(token, key)
        # OpenID Connect Core 5.3.2: the userinfo's sub must be the ID token's.
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo sub differs from the ID token's")
        return claims

    def store_tokens(self, access_token, id_token):
        # Only the ID token is kept: logout through ProConnect needs it as id_token_hint.
        self.request.session["oidc_id_token"] = id_token

    # --- The account ------------------------------------------------------------------

    def get_or_create_user(self, access_token, id_token, payload):
        from .services import proconnect_sign_in

        try:
            claims = self.get_userinfo(access_token, id_token, payload)
        except (SuspiciousOperation, jwt.PyJWTError) as error:
            # The library would swallow these with a log line of its own: they are ours.
            raise ProConnectError("verification", f"userinfo: {error}") from error
        return proconnect_sign_in(
            claims=claims,
            invitation_token=self.request.session.get(INVITATION_SESSION_KEY),
            request=self.request,
        )
