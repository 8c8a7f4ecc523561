"""System checks of the ProConnect settings: a half-configured sign-in fails at start, in
French, rather than at a user's first click."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def proconnect_settings(app_configs=None, **kwargs):
    problems = []
    if not settings.PROCONNECT_ENABLED:
        if not settings.LOCAL_PASSWORDS:
            problems.append(
                checks.Warning(
                    "LOCAL_PASSWORDS=False n'a pas d'effet sans PROCONNECT_ENABLED : les mots de "
                    "passe restent la seule façon de se connecter.",
                    id="accounts.W001",
                )
            )
        return problems
    if not (settings.OIDC_RP_CLIENT_ID and settings.OIDC_RP_CLIENT_SECRET):
        problems.append(
            checks.Error(
                "PROCONNECT_ENABLED sans PROCONNECT_CLIENT_ID ou PROCONNECT_CLIENT_SECRET.",
                hint="Fixez les identifiants reçus à l'inscription du service auprès de ProConnect.",
                id="accounts.E001",
            )
        )
    endpoints = [
        settings.PROCONNECT_ISSUER,
        settings.PROCONNECT_AUTHORIZATION_ENDPOINT,
        settings.PROCONNECT_TOKEN_ENDPOINT,
        settings.PROCONNECT_USERINFO_ENDPOINT,
        settings.PROCONNECT_JWKS_URL,
        settings.PROCONNECT_END_SESSION_ENDPOINT,
    ]
    if not settings.PROCONNECT_DISCOVERY_URL and not all(endpoints):
        problems.append(
            checks.Error(
                "PROCONNECT_ENABLED sans PROCONNECT_DISCOVERY_URL (ni toutes les adresses "
                "PROCONNECT_*_ENDPOINT, PROCONNECT_ISSUER et PROCONNECT_JWKS_URL).",
                hint="Par exemple https://auth.agentconnect.gouv.fr/api/v2/.well-known/"
                "openid-configuration (voir README, « Connexion ProConnect »).",
                id="accounts.E002",
            )
        )
    insecure = [
        url
        for url in [settings.PROCONNECT_DISCOVERY_URL, *endpoints]
        if url and not url.startswith("https://")
    ]
    if insecure and not settings.DEVELOPMENT:
        problems.append(
            checks.Error(
                f"Adresses ProConnect hors HTTPS : {', '.join(insecure)}.",
                id="accounts.E003",
            )
        )
    return problems
