"""The one hook around every write that may change what the public sees of initiatives.

The services (transitions, edits, freshness) and the Django admin (edits, deletions) run
such writes inside ``initiatives_visibility_change``: the cached public pages that show
the initiatives are bumped (``pages.initiative_pages_touch``: now as they were, after the
commit as they have become) and the per-place counts follow (``place_counts_refresh``),
in one transaction. A writer that went round it would leave stale pages or counts.
"""

from collections.abc import Iterable
from contextlib import contextmanager

from django.db import transaction

from .pages import initiative_pages_touch
from .place_counts import place_counts_refresh


@contextmanager
def initiatives_visibility_change(*, ids: Iterable[int]):
    """Around a block that changes these initiatives (status, places, content, deletion)."""
    ids = set(ids)
    with transaction.atomic():
        initiative_pages_touch(ids=ids)
        with place_counts_refresh(initiative_ids=ids):
            yield
