"""Pages of the public lists that cost the same on page 1 and on page 40,000.

Totals are counted up to ``COUNT_CAP`` ("plus de 10 000" beyond). Numbered pages stop there,
so an OFFSET never reads more than ``COUNT_CAP`` rows of the public-order index; past the
last numbered page, "Initiatives suivantes" continues by keyset: a signed cursor holding the
last row's (published_at, id), and the next rows are those just below it in the list's order
(-published_at, -id), read straight from the index whatever the depth.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime

from django.core import signing
from django.core.exceptions import SuspiciousOperation
from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property

COUNT_CAP = 10_000
# A search counts less far: its matches cost a full-text check each.
SEARCH_COUNT_CAP = 1_000
CURSOR_PARAM = "apres"
_SIGNER = signing.Signer(salt="solidaire.initiatives.paging")


class BadCursor(SuspiciousOperation):
    """A cursor that was not made here (edited by hand, cut): answered 400 (400.html)."""


class CappedPaginator(Paginator):
    """A paginator whose count stops at ``cap`` (``capped`` says it did)."""

    capped = False

    def __init__(self, *args, cap: int | None = None, known: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cap = COUNT_CAP if cap is None else cap
        self.known = known

    @cached_property
    def count(self) -> int:
        # Neither the order nor the list's annotations: the bare ids, as few as the cap.
        found = self.known
        if found is None:
            found = self.object_list.order_by().values("pk")[: self.cap + 1].count()
        self.capped = found > self.cap
        return min(found, self.cap)


def total_label(paginator) -> str:
    """ "plus de 10 000" past the cap, else the number with French thousands."""
    if paginator.count and getattr(paginator, "capped", False):
        return f"plus de {paginator.cap:,}".replace(",", "\u00a0")
    return f"{paginator.count:,}".replace(",", "\u00a0")


def cursor_encode(initiative) -> str:
    return _SIGNER.sign(f"{initiative.published_at.isoformat()}|{initiative.pk}")


def cursor_decode(value: str) -> tuple[datetime, int]:
    if len(value) > 200:
        raise BadCursor
    try:
        moment, pk = _SIGNER.unsign(value).split("|")
        parsed = parse_datetime(moment)
        if parsed is None or parsed.tzinfo is None:
            raise ValueError
        return parsed, int(pk)
    except (signing.BadSignature, ValueError, OverflowError):
        raise BadCursor from None


@dataclass
class KeysetPage:
    """A page past the numbered ones: its rows and the cursor of the next, if any."""

    object_list: list
    next_cursor: str = ""
    paginator: object = None
    keyset: bool = True
    pages_list: list = field(default_factory=list)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def _after(qs: QuerySet, moment: datetime, pk: int) -> QuerySet:
    # "published_at <= moment" bounds the index range; the OR only sorts out the ties.
    return qs.filter(published_at__lte=moment).filter(Q(published_at__lt=moment) | Q(pk__lt=pk))


def list_page(
    request, qs: QuerySet, per_page: int, *, cap: int | None = None, known: int | None = None
):
    """The page the query string asks for: ``?page=N`` within the numbered pages (404 past
    the end), or ``?apres=<cursor>`` past them (BadCursor if tampered with). ``known`` is
    the total when it was read elsewhere (the per-place counts), else it is counted.

    ``qs`` must be in the lists' order (-published_at, -id).
    """
    paginator = CappedPaginator(qs, per_page, cap=cap, known=known)
    cursor = request.GET.get(CURSOR_PARAM)
    if cursor is not None:
        moment, pk = cursor_decode(cursor)
        rows = list(_after(qs, moment, pk)[: per_page + 1])
        page = KeysetPage(rows[:per_page], paginator=paginator)
        paginator.count  # noqa: B018 (counted here, inside the caller's transaction)
        if len(rows) > per_page:
            page.next_cursor = cursor_encode(rows[per_page - 1])
        return _links(page, request)
    number = request.GET.get("page") or 1
    try:
        page = paginator.page(number)
    except InvalidPage:
        try:
            beyond = int(number) > max(1, math.ceil(paginator.count / per_page))
        except (TypeError, ValueError):
            beyond = False
        if beyond:
            raise Http404("Cette page de résultats n'existe pas.") from None
        page = paginator.page(1)
    page.object_list = list(page.object_list)
    page.pages_list = list(paginator.get_elided_page_range(page.number, on_each_side=1))
    page.keyset = False
    page.next_cursor = ""
    if paginator.capped and not page.has_next() and page.object_list:
        page.next_cursor = cursor_encode(list(page.object_list)[-1])
    return _links(page, request)


def _links(page, request):
    """The total's label, and the links of the keyset navigation (other parameters kept)."""
    page.total_label = total_label(page.paginator)
    query = request.GET.copy()
    query.pop(CURSOR_PARAM, None)
    query.pop("page", None)
    page.first_url = "?" + query.urlencode()
    page.next_url = ""
    if page.next_cursor:
        query[CURSOR_PARAM] = page.next_cursor
        page.next_url = "?" + query.urlencode()
    return page


__all__ = ["BadCursor", "KeysetPage", "Page", "list_page", "total_label"]
