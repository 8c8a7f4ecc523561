"""Error reporting to Sentry (optional: settings turn it on only with SENTRY_DSN).

Personal data never leaves: sentry-sdk's own defaults already keep cookies, users and
client addresses out (send_default_pii left False); ``scrub_event`` and ``scrub_breadcrumb``
remove what it would still send. Request bodies (a submitter's name, e-mail, phone) keep
their field names only; query strings keep their parameter names only; cookies and
identifying headers go; user fields but the id go; e-mail addresses, phone numbers and
private-link tokens are masked in every remaining string (messages, exceptions, URLs,
breadcrumbs). Local variables of stack frames are not sent at all.
"""

import re
from urllib.parse import parse_qsl, urlencode

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

from solidaire.lib.redact import scrub_data

FILTERED = "[filtré]"
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A French or international number of 9 digits or more, with the usual separators.
PHONE_RE = re.compile(r"(?<![\w])(?:\+|00)?\d(?:[ .\-\u00a0\u202f]?\d){8,13}(?![\w])")
# A path segment that looks like a secret: the private links' tokens (signed or random),
# long runs of letters mixed with digits.
TOKEN_SEGMENT_RE = re.compile(r"(?<=/)(?=[^/?]*\d)(?=[^/?]*[A-Za-z])[A-Za-z0-9_\-:]{20,}(?=/|$|\?)")
# Parts of an event that carry no visitor's data, sent as they are: identifiers, the SDK,
# the runtime; stack traces are code (their local variables are never collected).
KEPT_AS_IS = {
    "event_id",
    "timestamp",
    "start_timestamp",
    "sdk",
    "platform",
    "level",
    "environment",
    "release",
    "modules",
    "contexts",
    "server_name",
    "threads",
}
# Headers that say who the visitor is or carry a credential.
DROPPED_HEADERS = {
    "cookie",
    "authorization",
    "proxy-authorization",
    "x-forwarded-for",
    "x-real-ip",
    "forwarded",
    "x-csrftoken",
    "referer",
}


def scrub_text(text: str) -> str:
    """A string with its e-mail addresses, phone numbers and URL tokens masked.

    >>> scrub_text("Écrire à jeanne.martin@example.org ou au 06 12 34 56 78, 2020")
    'Écrire à [filtré] ou au [filtré], 2020'
    >>> scrub_text("/initiatives/suivi/Ab3dEf6hIj9kLm2nOp5qRs8t/ +33 6 12 34 56 78")
    '/initiatives/suivi/[filtré]/ [filtré]'
    """
    text = EMAIL_RE.sub(FILTERED, text)
    text = PHONE_RE.sub(FILTERED, text)
    return TOKEN_SEGMENT_RE.sub(FILTERED, text)


def _names_only(data):
    """A request body with its field names kept and every value filtered."""
    if isinstance(data, dict):
        return dict.fromkeys(data, FILTERED)
    return FILTERED if data else data


def _query_names_only(query) -> str:
    if isinstance(query, dict | list):
        pairs = query.items() if isinstance(query, dict) else query
        names = [name for name, *_ in pairs]
    else:
        names = [name for name, _ in parse_qsl(str(query or ""), keep_blank_values=True)]
    return urlencode([(name, FILTERED) for name in names], safe="[]")


def _scrub_request(request: dict) -> None:
    request.pop("cookies", None)
    request.pop("env", None)
    if "data" in request:
        request["data"] = _names_only(request["data"])
    if request.get("query_string"):
        request["query_string"] = _query_names_only(request["query_string"])
    if request.get("url"):
        request["url"] = request["url"].split("?", 1)[0]
    headers = request.get("headers")
    if isinstance(headers, dict):
        request["headers"] = {
            name: value for name, value in headers.items() if name.lower() not in DROPPED_HEADERS
        }


def scrub_event(event, hint=None):
    """Sentry's before_send: the event without personal data (never None: it is kept)."""
    request = event.get("request")
    if isinstance(request, dict):
        _scrub_request(request)
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    for exception in (event.get("exception") or {}).get("values") or []:
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
        if isinstance(exception.get("value"), str):
            exception["value"] = scrub_text(exception["value"])
    return {
        key: value if key in KEPT_AS_IS or key == "exception" else scrub_data(value, scrub_text)
        for key, value in event.items()
    }


def scrub_breadcrumb(crumb, hint=None):
    """Sentry's before_breadcrumb: SQL parameters and query strings go, text is masked."""
    data = crumb.get("data")
    if isinstance(data, dict):
        data.pop("params", None)
        data.pop("http.query", None)
        if isinstance(data.get("url"), str):
            data["url"] = data["url"].split("?", 1)[0]
    return scrub_data(crumb, scrub_text)


def error_reporting_init(
    *,
    dsn: str,
    environment: str,
    release: str | None = None,
    traces_sample_rate: float = 0.0,
    transport=None,
) -> None:
    """Start sending errors to ``dsn``; ``transport`` replaces the HTTP one (tests)."""
    options = {}
    if transport is not None:
        options["transport"] = transport
    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        environment=environment,
        release=release,
        # send_default_pii stays at its default, False (passing it is deprecated in the
        # pinned sdk): no cookie, user or client address is collected.
        include_local_variables=False,
        max_request_body_size="medium",
        traces_sample_rate=traces_sample_rate,
        before_send=scrub_event,
        # Performance events (SENTRY_TRACES_SAMPLE_RATE > 0) carry the request too.
        before_send_transaction=scrub_event,
        before_breadcrumb=scrub_breadcrumb,
        **options,
    )
