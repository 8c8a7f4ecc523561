"""ProConnect's pages: the start of a sign-in, its callback, and logout through ProConnect.

mozilla-django-oidc's views do the protocol (state, nonce, the authorisation URL, the code
exchange); these subclasses add what a user sees: a French message on the login page for
every refusal (never a 400 or a 500), and the landing page after a sign-in.
"""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth, messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.crypto import constant_time_compare, get_random_string
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.exceptions import Ratelimited
from mozilla_django_oidc.utils import absolutify
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .models import Invitation
from .proconnect import INVITATION_SESSION_KEY, ProConnectError, get_settings, provider_setting
from .throttle import INVITATION

logger = logging.getLogger("solidaire.accounts.proconnect")

# Where a signed-in member of an organisation lands (served by the organisations app).
ORGANISATION_HOME = "/organisation/"
ID_TOKEN_SESSION_KEY = "oidc_id_token"
LOGOUT_STATE_SESSION_KEY = "proconnect_logout_state"
# The invitation page's button names the invitation being accepted.
INVITATION_PARAMETER = "invitation"


def _refuse(request, error: ProConnectError):
    messages.error(request, error.message)
    return redirect("accounts:login")


class ProConnectLoginView(OIDCAuthenticationRequestView):
    """Sends the browser to ProConnect with response_type, scope, client_id, redirect_uri,
    state and nonce only (see the OIDC_* settings)."""

    get_settings = staticmethod(get_settings)

    def __init__(self, **kwargs):
        # The endpoints are looked up in get(), where an unreachable provider gets a message.
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)

    def get(self, request):
        if not settings.PROCONNECT_ENABLED:
            raise Http404("ProConnect n’est pas activé")
        request.session.pop(INVITATION_SESSION_KEY, None)
        token = request.GET.get(INVITATION_PARAMETER)
        if token:
            # The invitation page's button: the callback grants this invitation.
            invitation = Invitation.objects.filter(token=token).first()
            if invitation is None or not invitation.is_usable:
                if invitation is None:
                    if INVITATION.wait_seconds(request, "") is not None:
                        raise Ratelimited
                    INVITATION.record(request, "")
                error = ProConnectError("invitation", "invitation unknown, expired or used")
                logger.warning("ProConnect sign-in not started (%s)", error)
                return _refuse(request, error)
            request.session[INVITATION_SESSION_KEY] = invitation.token
        try:
            self.OIDC_OP_AUTH_ENDPOINT = get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
            self.OIDC_RP_CLIENT_ID = get_settings("OIDC_RP_CLIENT_ID")
        except ProConnectError as error:
            logger.warning("ProConnect sign-in not started (%s)", error)
            return _refuse(request, error)
        return super().get(request)


class ProConnectCallbackView(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(get_settings)
    failure = None

    def get(self, request):
        if not settings.PROCONNECT_ENABLED:
            raise Http404("ProConnect n’est pas activé")
        error = request.GET.get("error")
        if error:
            self.failure = ProConnectError(
                "cancelled" if error == "access_denied" else "provider",
                f"error={error[:100]} ({request.GET.get('error_description', '')[:300]})",
            )
        try:
            return super().get(request)
        except SuspiciousOperation as exc:
            # A state this browser never sent, or one already used.
            self.failure = ProConnectError("state", str(exc))
            return self.login_failure()

    def login_failure(self):
        # The backend logged its own refusals; the protocol's are logged here.
        failure = self.failure or getattr(self.request, "proconnect_error", None)
        if failure is None:
            failure = ProConnectError("state", "callback without a pending state")
        if failure is not getattr(self.request, "proconnect_error", None):
            logger.warning("ProConnect sign-in refused (%s)", failure)
        self.request.session.pop(INVITATION_SESSION_KEY, None)
        return _refuse(self.request, failure)

    def login_success(self):
        session = self.request.session
        target = session.get("oidc_login_next") or (
            resolve_url(settings.LOGIN_REDIRECT_URL)
            if self.user.is_staff or self.user.is_superuser
            else ORGANISATION_HOME
        )
        invited = session.pop(INVITATION_SESSION_KEY, None)
        id_token = session.get(ID_TOKEN_SESSION_KEY)
        # login() empties a session that belonged to someone else: the ID token that
        # logout needs is put back after it.
        auth.login(self.request, self.user)
        self.request.session[ID_TOKEN_SESSION_KEY] = id_token
        self.request.session.pop("oidc_login_next", None)
        if invited:
            messages.success(self.request, "Votre compte est prêt. Bienvenue !")
        return HttpResponseRedirect(target)


@require_POST
def logout(request):
    """Ends the session here, then at ProConnect when the user signed in with it (its
    cookies and the identity provider's are cleared in the browser)."""
    id_token = request.session.get(ID_TOKEN_SESSION_KEY)
    auth.logout(request)
    if not (id_token and settings.PROCONNECT_ENABLED):
        return redirect(settings.LOGOUT_REDIRECT_URL)
    try:
        endpoint = provider_setting("end_session_endpoint")
    except ProConnectError as error:
        logger.warning("ProConnect logout skipped (%s)", error)
        messages.warning(
            request,
            "Vous êtes déconnecté(e) de ce site, mais ProConnect ne répond pas : fermez votre "
            "navigateur pour mettre fin à votre session ProConnect.",
        )
        return redirect(settings.LOGOUT_REDIRECT_URL)
    state = get_random_string(48)
    request.session[LOGOUT_STATE_SESSION_KEY] = state
    query = urlencode(
        {
            "id_token_hint": id_token,
            "state": state,
            "post_logout_redirect_uri": absolutify(
                request, reverse("accounts:proconnect_logged_out")
            ),
        }
    )
    # A page that moves on by itself, not a redirect: the way through ProConnect and the
    # identity provider would otherwise be held to our form-action (the logout is a form).
    return render(
        request,
        "accounts/proconnect_logout.html",
        {"title": "Déconnexion de ProConnect", "end_session_url": f"{endpoint}?{query}"},
    )


@require_GET
def logged_out(request):
    """ProConnect's return after logout: the state must be the one this browser sent."""
    expected = request.session.pop(LOGOUT_STATE_SESSION_KEY, None)
    if expected and constant_time_compare(expected, request.GET.get("state", "")):
        messages.success(request, "Vous êtes déconnecté(e) de ce site et de ProConnect.")
    else:
        logger.warning("ProConnect logout return with an unknown state")
    return redirect(settings.LOGOUT_REDIRECT_URL)
