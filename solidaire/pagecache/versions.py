"""Versions of what public pages show: the one place where they are read and bumped.

A cached page is kept with the versions of the units it shows; a service that changes one
of them (a publication, an archive, an edit, an erasure, a bulletin, the reference
geography) bumps its version, and the page is rendered again on its next request. A version
is a random token, never a counter: a key that the cache dropped comes back as a new token,
so no page kept under an older token can ever match it again.

Every bump happens twice: at once, for the writer's own next request, and after the
transaction commits, so that a page rendered by another process from the data as it was
before the commit (under the first new token) is not kept.
"""

import logging
import secrets
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

PREFIX = "pv:"
# Every page shows the site's names (places, campaigns, themes): bumped when they change.
SITE = "site"
# Lists, search, counts, the map, the API's lists: whatever any initiative's change moves.
LISTS = "lists"
BULLETINS = "bulletins"
PLACE_KINDS = ("commune", "epci", "arrondissement", "department", "region")


def place_key(kind: str, code: str) -> str:
    """The key of a place's pages: ``place_key("commune", "62193")`` is ``commune:62193``."""
    if kind not in PLACE_KINDS:
        raise ValueError(f"unknown place kind {kind!r}")
    return f"{kind}:{code}"


def campaign_key(slug: str) -> str:
    return f"campaign:{slug}"


def initiative_key(pk) -> str:
    return f"initiative:{pk}"


def _new_token() -> str:
    return secrets.token_hex(6)


# Bumps made by this process: its own copies of pages (the middleware's) are dropped at once.
_bumps = 0


def local_bumps() -> int:
    return _bumps


def _set_new(keys: set[str]) -> None:
    global _bumps
    _bumps += 1
    token = _new_token()
    try:
        # No expiry: a version lives as long as the cache keeps it (see the docstring).
        cache.set_many({PREFIX + key: token for key in keys}, timeout=None)
    except Exception:
        # A publication never fails for the cache; its pages age out (PAGE_CACHE_SECONDS).
        logger.exception("Page cache: versions not bumped (%d keys)", len(keys))


def versions_bump(keys: Iterable[str]) -> None:
    """Give each of ``keys`` a new version, now and again once the transaction commits."""
    keys = set(keys)
    if not keys:
        return
    _set_new(keys)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _set_new(keys), robust=True)


def versions_get(keys: Iterable[str]) -> dict[str, str | None]:
    """The current version of each key (None for a key the cache does not hold)."""
    keys = list(keys)
    found = cache.get_many([PREFIX + key for key in keys])
    return {key: found.get(PREFIX + key) for key in keys}


def versions_current(keys: Iterable[str]) -> dict[str, str]:
    """The current version of each key, giving a first one to those that have none."""
    versions = versions_get(keys)
    missing = [key for key, value in versions.items() if value is None]
    for key in missing:
        cache.add(PREFIX + key, _new_token(), timeout=None)
    if missing:
        versions.update(versions_get(missing))
    return versions


def versions_with(entry_key: str, keys: Iterable[str]) -> tuple[object, dict[str, str | None]]:
    """One round trip: the cached value under ``entry_key`` and the versions of ``keys``."""
    keys = list(keys)
    found = cache.get_many([entry_key, *(PREFIX + key for key in keys)])
    return found.get(entry_key), {key: found.get(PREFIX + key) for key in keys}
