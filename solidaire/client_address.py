"""The client's address, read once for the whole platform (TRUSTED_PROXY_HEADER and
TRUSTED_PROXY_COUNT): the public forms' limits (django-ratelimit's ``key="ip"`` through
RATELIMIT_IP_META_KEY), the password forms' throttle and the API's throttle all use it."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle

from solidaire.lib.net import client_address


def client_ip(request) -> str:
    """The address of the request's client, behind the configured trusted proxies."""
    meta = request.META
    return client_address(
        meta.get("REMOTE_ADDR", ""),
        meta.get(settings.TRUSTED_PROXY_HEADER, ""),
        settings.TRUSTED_PROXY_COUNT,
    )


class ClientAnonRateThrottle(AnonRateThrottle):
    """DRF's anonymous throttle keyed on :func:`client_ip` rather than on NUM_PROXIES."""

    def get_ident(self, request):
        return client_ip(request)
