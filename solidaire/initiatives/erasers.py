"""The registry of erasers: what each app erases of a person (see erasure.py).

Apps above initiatives register theirs from AppConfig.ready, so this module imports no
model: it is loaded while the app registry is still being filled.
"""

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import phonenumbers
from django.db.models import QuerySet

from solidaire.lib.redact import Needles


@dataclass
class Erasure:
    """One erasure under way, handed to every eraser."""

    needles: Needles
    # The person's own proposals (their submitter fields are cleared).
    own: list  # of Initiative
    by: object  # the User who asked, or None
    # Initiatives whose text or rows held the person (reindexed, looked up by bulletins).
    touched: set[int] = field(default_factory=set)
    # Private-link tokens and idempotency keys that no session may keep.
    forgotten: set[str] = field(default_factory=set)
    counts: Counter = field(default_factory=Counter)

    def scrub(self, text: str) -> str:
        return self.needles.scrub(text)

    def found_in_data(self, value) -> bool:
        if value in (None, "", [], {}):
            return False
        return self.needles.found_in(json.dumps(value, ensure_ascii=False))


Eraser = Callable[[Erasure], None]
_erasers: list[Eraser] = []


def eraser_register(eraser: Eraser) -> None:
    """Add ``eraser(erasure)``, run after this module's own; once per eraser."""
    if eraser not in _erasers:
        _erasers.append(eraser)


def registered_erasers() -> list[Eraser]:
    return list(_erasers)


def scrub_rows(
    queryset: QuerySet,
    fields: Iterable[str],
    erasure: Erasure,
    label: str,
    *,
    also_read: Iterable[str] = (),
) -> list:
    """Rewrite the given text fields of every row where the person appears; the rows changed
    (with the ``also_read`` fields loaded)."""
    fields = list(fields)
    changed = []
    for row in queryset.only("pk", *fields, *also_read).iterator(chunk_size=500):
        updates = {}
        for name in fields:
            value = getattr(row, name)
            scrubbed = erasure.scrub(value) if value else value
            if scrubbed != value:
                updates[name] = scrubbed
                setattr(row, name, scrubbed)
        if updates:
            queryset.model._default_manager.filter(pk=row.pk).update(**updates)
            changed.append(row)
    erasure.counts[label] += len(changed)
    return changed


def phone_parts(phone: str) -> tuple[int, str] | None:
    """(country code, national number) of a phone as typed, None if it is not one.

    >>> phone_parts("03 21 32 00 00"), phone_parts("+32 2 555 12 12"), phone_parts("?")
    ((33, '321320000'), (32, '25551212'), None)
    """
    try:
        number = phonenumbers.parse(phone, "FR")
    except phonenumbers.NumberParseException:
        return None
    if not number.national_number:
        return None
    return number.country_code, str(number.national_number)
