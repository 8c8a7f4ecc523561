"""Reads of the reference geography."""

import re

from .models import Commune

_INSEE_RE = re.compile(r"^(?:\d[\dAB]\d{3})$")


def commune_get(*, insee: str) -> Commune | None:
    """The commune with its département, région, arrondissement and EPCI, or None."""
    insee = (insee or "").upper()
    if not _INSEE_RE.match(insee):
        return None
    return (
        Commune.objects.select_related("department__region", "arrondissement", "epci")
        .filter(pk=insee)
        .first()
    )
