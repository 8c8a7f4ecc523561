"""Staff sessions end after STAFF_SESSION_IDLE_SECONDS without a request.

Only staff log in, so the authenticated sessions are theirs; visitors' sessions (a
submitter's private link, the idempotency of their form) keep Django's lifetime. The
last activity is written at most once a minute, so that a working agent's session is not
saved on every request (SESSION_SAVE_EVERY_REQUEST would).
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout

LAST_ACTIVITY = "staff_last_activity"
RESOLUTION = 60  # seconds


def start_activity(sender, request, user, **kwargs):
    """A login is activity: the first pages after it need not write the session again."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY] = int(time.time())


class StaffIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY)
            if last is not None and now - last > settings.STAFF_SESSION_IDLE_SECONDS:
                logout(request)
                messages.info(request, "Votre session a expiré après une période d’inactivité.")
            elif last is None or now - last >= RESOLUTION:
                request.session[LAST_ACTIVITY] = now
        return self.get_response(request)
