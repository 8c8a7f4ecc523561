"""The page cache's middleware: the final bytes of anonymous public pages, served early.

Placed right after WhiteNoise, outside the typography and everything that reads a session:
a hit costs a URL resolution and one round trip to the cache, and the outer middleware
(security headers, Content-Security-Policy) still set their headers on it. What is kept is
what the inner middleware made (French typography applied, X-Frame-Options set).

Never kept nor served from the cache: a request carrying a session or a message cookie
(staff, a visitor with a private link, a confirmation to show), a response that sets a
cookie (a CSRF token, a session, a message), that holds a form's CSRF token, that a view
marked private or never-cache, or anything but a complete 200.
"""

import hashlib
import logging
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags

from .routes import route_versions
from .versions import local_bumps, versions_current, versions_with

logger = logging.getLogger(__name__)

HEADER = "X-Page-Cache"
ENTRY_PREFIX = "pc:"
# Headers set again by the outer middleware on every response, hit or miss.
NOT_KEPT = {"content-length", "content-security-policy", "content-security-policy-report-only"}
# The one private thing an anonymous page could carry; a page with a form loads it apart.
CSRF_FIELD = b'name="csrfmiddlewaretoken"'
MAX_BYTES = 4 * 1024 * 1024
# Attributes django-csp reads from a response: a hit could not give them back.
CSP_ATTRIBUTES = ("_csp_exempt", "_csp_update", "_csp_replace", "_csp_config")
# What a 304 repeats of the full answer (RFC 9110, 15.4.5), and its CORS headers.
NOT_MODIFIED_KEPT = {"etag", "cache-control", "vary", "last-modified", "expires"}
# Each process keeps its hottest pages and trusts them for LOCAL_SECONDS before asking the
# shared cache again: a hit then costs no round trip. Another process's bump reaches it
# within that delay; its own bumps at once.
LOCAL_SECONDS = 1.0
LOCAL_ENTRIES = 256
LOCAL_MAX_BYTES = 1024 * 1024
HTMX_HEADERS = ("HTTP_HX_REQUEST", "HTTP_HX_BOOSTED", "HTTP_HX_TARGET")


def _private_cookies(request) -> bool:
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies


def _entry_key(request) -> str | None:
    try:
        host = request.get_host()
    except Exception:  # DisallowedHost: the normal handling answers it
        return None
    htmx = "|".join(request.META.get(name, "") for name in HTMX_HEADERS)
    raw = f"{request.scheme}://{host}{request.get_full_path()}|{htmx}"
    return ENTRY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()[:32]


def _cache_control() -> str:
    age = settings.PAGE_CACHE_MAX_AGE
    return f"public, max-age={age}, stale-while-revalidate={age}"


def _matches(request, etag: str) -> bool:
    wanted = request.META.get("HTTP_IF_NONE_MATCH")
    if not wanted:
        return False
    tags = parse_etags(wanted)
    return "*" in tags or etag in tags or etag.removeprefix("W/") in tags


def _not_modified(headers: list[tuple[str, str]]) -> HttpResponseNotModified:
    response = HttpResponseNotModified()
    for name, value in headers:
        lower = name.lower()
        if lower in NOT_MODIFIED_KEPT or lower.startswith("access-control-"):
            response[name] = value
    return response


def _why_private(request, response) -> str:
    """Why the response must not be kept for everyone ("" when it may)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return "staff"
    if response.cookies:
        return "cookie"
    messages = getattr(request, "_messages", None)
    if messages is not None and len(messages):
        return "message"
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return "session"
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return "private"
    if any(hasattr(response, name) for name in CSP_ATTRIBUTES):
        return "csp"
    if not response.streaming and CSRF_FIELD in response.content:
        return "csrf"
    return ""


def _keepable(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and len(response.content) <= MAX_BYTES
    )


class _LocalPages:
    """The process's copies of its most requested pages: {key: (checked at, entry)}."""

    def __init__(self):
        self.pages: OrderedDict[str, tuple[float, dict]] = OrderedDict()
        self.bumps = local_bumps()
        self.lock = threading.Lock()

    def get(self, key: str) -> dict | None:
        with self.lock:
            if self.bumps != local_bumps():
                self.pages.clear()
                self.bumps = local_bumps()
                return None
            found = self.pages.get(key)
            if found is None or time.monotonic() - found[0] > LOCAL_SECONDS:
                return None
            self.pages.move_to_end(key)
            return found[1]

    def put(self, key: str, entry: dict) -> None:
        if len(entry["content"]) > LOCAL_MAX_BYTES:
            return
        with self.lock:
            self.pages[key] = (time.monotonic(), entry)
            self.pages.move_to_end(key)
            while len(self.pages) > LOCAL_ENTRIES:
                self.pages.popitem(last=False)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.local = _LocalPages()

    def __call__(self, request):
        if not settings.PAGE_CACHE or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        found = route_versions(match.view_name, match.kwargs)
        key = _entry_key(request) if found else None
        if key is None:
            return self.get_response(request)
        _, names = found
        if _private_cookies(request):
            response = self.get_response(request)
            response[HEADER] = "bypass"
            if "Cache-Control" not in response:
                response["Cache-Control"] = "private, no-cache"
            return response
        # An API answer from the cache is served like a page, before DRF and its throttle:
        # it costs no query, and every proxy or CDN in front serves it unthrottled anyway
        # (Cache-Control: public). The throttle guards what does cost: every request that
        # reaches a view (a miss, a new query string) is counted and may get its 429.
        # Counting hits too made each one read and write the client's whole request log
        # (DRF keeps a timestamp per request of the window): at a high rate, more than the
        # answer itself.
        entry = self.local.get(key)
        if entry is not None:
            return self._hit(request, entry)
        try:
            entry, versions = versions_with(key, names)
            if None in versions.values():  # never matched by a kept page: a miss
                entry, versions = None, versions_current(names)
        except Exception:
            # The shared cache is down: the page is made as if there were no cache.
            logger.exception("Page cache unavailable")
            return self.get_response(request)
        if entry is not None and entry["versions"] == versions:
            self.local.put(key, entry)
            return self._hit(request, entry)
        response = self.get_response(request)
        if not _keepable(response):
            return response
        if why := _why_private(request, response):
            response[HEADER] = f"bypass ({why})"
            response["Cache-Control"] = "private, no-cache"
            return response
        return self._keep(request, response, key, versions)

    def _keep(self, request, response, key, versions):
        if not response.has_header("ETag"):
            response["ETag"] = (
                f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
            )
        response["Cache-Control"] = _cache_control()
        patch_vary_headers(response, ["HX-Request"])
        if len(settings.LANGUAGES) == 1 and "Vary" in response:
            # One language only: a CDN would otherwise keep a copy per browser's language.
            vary = [v.strip() for v in response["Vary"].split(",")]
            response["Vary"] = ", ".join(v for v in vary if v.lower() != "accept-language")
        headers = [(k, v) for k, v in response.items() if k.lower() not in NOT_KEPT]
        if request.method == "GET":
            entry = {
                "versions": versions,
                "status": response.status_code,
                "headers": headers,
                "content": response.content,
            }
            try:
                cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.exception("Page cache unavailable")
            self.local.put(key, entry)
        response[HEADER] = "miss"
        if _matches(request, response["ETag"]):
            return _not_modified(headers)
        return response

    def _hit(self, request, entry):
        headers = entry["headers"]
        etag = next((v for k, v in headers if k.lower() == "etag"), "")
        if etag and _matches(request, etag):
            response = _not_modified(headers)
        else:
            response = HttpResponse(
                b"" if request.method == "HEAD" else entry["content"], status=entry["status"]
            )
            for name, value in headers:
                response[name] = value
            response["Content-Length"] = str(len(entry["content"]))
        response[HEADER] = "hit"
        return response
