"""Likely duplicates: same commune and a similar title, or the same URL or phone."""

from django.db.models import Q
from rapidfuzz import fuzz

from solidaire.lib.text import fold

from .models import Contact, ContactKind, Initiative, Status

SIMILAR_TITLE = 80  # rapidfuzz token_set_ratio on folded titles, out of 100
IGNORED = (Status.REJECTED, Status.WITHDRAWN)


def _url_key(url: str) -> str:
    key = url.lower().split("://", 1)[-1]
    return key.removeprefix("www.").rstrip("/")


def likely_duplicates(initiative: Initiative, *, among=None, limit: int = 5) -> list[Initiative]:
    """Other live initiatives that look like the same action, most recent first.

    ``among`` narrows the search (a moderator only hears of their départements' ones).
    """
    others = (among if among is not None else Initiative.objects.all()).exclude(pk=initiative.pk)
    others = others.exclude(status__in=IGNORED)
    found: dict[int, Initiative] = {}

    communes = [p.commune_id for p in initiative.places.all() if p.commune_id]
    if communes:
        title = fold(initiative.title)
        candidates = others.filter(places__commune_id__in=communes).distinct()[:200]
        for other in candidates:
            if fuzz.token_set_ratio(title, fold(other.title)) >= SIMILAR_TITLE:
                found[other.pk] = other

    contacts = [
        c for c in initiative.contacts.all() if c.kind in (ContactKind.URL, ContactKind.PHONE)
    ]
    phones = [c.value for c in contacts if c.kind == ContactKind.PHONE]
    urls = {_url_key(c.value) for c in contacts if c.kind == ContactKind.URL}
    if phones or urls:
        query = Q(kind=ContactKind.PHONE, value__in=phones)
        for url in urls:
            # "http://…" and "https://www.…/" are the same page.
            query |= Q(kind=ContactKind.URL, value__icontains=url)
        same = Contact.objects.filter(query, initiative__in=others).select_related("initiative")
        for contact in same[:200]:
            if contact.kind == ContactKind.PHONE or _url_key(contact.value) in urls:
                found.setdefault(contact.initiative_id, contact.initiative)

    ordered = sorted(found.values(), key=lambda i: i.created_at, reverse=True)
    return ordered[:limit]
