"""Throttling of the password forms (OWASP ASVS 2.2.1): attempts counted per account and
per client address, in django-ratelimit's counters (the cache: Redis in production).

A blocked attempt never reaches the password check; it gets a French message saying when
to try again and a WARNING line on the ``solidaire.security`` logger.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django_ratelimit.core import get_usage

from solidaire.client_address import client_ip
from solidaire.lib.typography import wait_phrase

logger = logging.getLogger("solidaire.security")

THROTTLED = "throttled"


def account_key(value: str) -> str:
    """The account an attempt aims at, as typed: "Modo62 " and "modo62" share a count."""
    return value.strip().lower()[:254]


@dataclass(frozen=True)
class Throttle:
    name: str
    account_rate: str  # names of the rate settings
    address_rate: str
    what: str  # "Trop de tentatives <what>"

    def _usages(self, request, account: str, *, increment: bool) -> list[dict]:
        limits = [(f"{self.name}.address", "ip", self.address_rate)]
        if account:
            limits.append(
                (f"{self.name}.account", lambda group, request: account, self.account_rate)
            )
        usages = (
            get_usage(
                request,
                group=group,
                key=key,
                rate=lambda group, request, setting=setting: getattr(settings, setting),
                increment=increment,
            )
            for group, key, setting in limits
        )
        return [usage for usage in usages if usage is not None]

    def wait_seconds(self, request, account: str) -> int | None:
        """Seconds before this account or address may try again; None if it may now."""
        waits = [
            max(1, usage["time_left"])
            for usage in self._usages(request, account_key(account), increment=False)
            if usage["count"] >= usage["limit"]
        ]
        return max(waits) if waits else None

    def record(self, request, account: str) -> None:
        """Count one attempt (a failed login, a reset request…) for the account and address."""
        self._usages(request, account_key(account), increment=True)

    def check(self, request, account: str) -> None:
        """Raise the French ValidationError (code "throttled", ``wait`` in its params) and
        log while this account or address is blocked."""
        wait = self.wait_seconds(request, account)
        if wait is None:
            return
        logger.warning(
            "%s throttled: account=%r address=%s retry_after=%ds",
            self.name,
            account_key(account),
            client_ip(request),
            wait,
        )
        raise ValidationError(
            f"Trop de tentatives {self.what}, réessayez {wait_phrase(wait)}.",
            code=THROTTLED,
            params={"wait": wait},
        )


# The staff login and /admin/login/ share their counters: two doors, one count.
LOGIN = Throttle("login", "LOGIN_ACCOUNT_RATE_LIMIT", "LOGIN_ADDRESS_RATE_LIMIT", "de connexion")
PASSWORD_RESET = Throttle(
    "password_reset",
    "PASSWORD_RESET_RATE_LIMIT",
    "PASSWORD_RESET_RATE_LIMIT",
    "de réinitialisation du mot de passe",
)
INVITATION = Throttle(
    "invitation", "INVITATION_RATE_LIMIT", "INVITATION_RATE_LIMIT", "sur les invitations"
)


def throttle_wait(form) -> int | None:
    """The wait of a form refused by a throttle (for the 429 and its Retry-After)."""
    for error in form.errors.as_data().get("__all__", []):
        if error.code == THROTTLED:
            return error.params["wait"]
    return None
