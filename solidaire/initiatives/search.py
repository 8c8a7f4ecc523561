"""French full-text search: one folded, stemmed column and two database backends.

``Initiative.search_document`` holds the folded (accent-free, lower-case) and Snowball-stemmed
words of the title, description, actor, beneficiaries, themes and places. It is rebuilt by
``initiative_reindex(*, initiative)``, called once per write by whoever writes those: the
services (creation and edition), the initiative admin and the demo loaders. The one signal
left, at the bottom of this module, covers a theme renamed in the admin, the only write that
changes documents without going through any of them.

The index behind the column depends on the database (migration 0002_search_index):
- SQLite: an external-content FTS5 table ``initiatives_search_fts`` kept in sync by triggers
  (re-created after ``migrate`` if a later migration rebuilt the initiatives table);
- PostgreSQL: a generated, stored ``search_vector`` column (``to_tsvector('simple',
  search_document)``, migration 0009) and its GIN index.

Queries go through the same analyzer and become a conjunction of plain terms, so FTS operators
typed by visitors (``"``, ``*``, ``NEAR``, ``-``, ``OR``) are only words, and both backends
return the same sets (ranking is left out on purpose: lists are ordered by date).
"""

import threading
from contextlib import contextmanager

import snowballstemmer
from django.db import connection, transaction
from django.db.models import BooleanField, F, Func, Q
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_save
from django.dispatch import receiver

from solidaire.lib.text import fold

from .models import Initiative, Theme

FTS_TABLE = "initiatives_search_fts"
# PostgreSQL: memory for one search's bitmap and sort. With the default 4 MB a word found in
# 100,000 initiatives makes the bitmap lossy, and every row of a lossy page is re-checked.
SEARCH_WORK_MEM = "64MB"
# A search box is not a document: beyond this many distinct words, the rest is ignored.
MAX_QUERY_TERMS = 32

# Frequent French words that carry no meaning for a search; dropped on both sides so that
# "les personnes âgées" finds "personnes âgées".
STOP_WORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "d",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "en",
        "et",
        "il",
        "ils",
        "l",
        "la",
        "le",
        "les",
        "leur",
        "leurs",
        "ma",
        "mais",
        "me",
        "mes",
        "n",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ou",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "s",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "ta",
        "te",
        "tes",
        "ton",
        "tu",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "y",
    ]
)

_local = threading.local()


def _stemmer():
    # Snowball stemmer objects keep state between calls: one per thread.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("french")
    return stemmer


def analyze(text: str) -> list[str]:
    """Fold, drop stop words and stem every word of ``text``.

    >>> analyze("Les VISIÈRES pour les soignants")
    ['visier', 'soign']
    >>> analyze('"masque*" NEAR -blouse')
    ['masqu', 'near', 'blous']
    """
    words = [w for w in fold(text).split() if w not in STOP_WORDS]
    return [stem for stem in _stemmer().stemWords(words) if stem]


def query_terms(query: str) -> list[str]:
    """Distinct stemmed terms of a visitor's query, in order, at most MAX_QUERY_TERMS.

    >>> query_terms("masques MASQUE Masqués visière")
    ['masqu', 'visier']
    """
    terms = list(dict.fromkeys(analyze(query[:5000])))
    return terms[:MAX_QUERY_TERMS]


def build_document(initiative: Initiative) -> str:
    """The search document of one initiative (themes and places read from the database)."""
    parts = [
        initiative.title,
        initiative.description,
        initiative.actor_name,
        initiative.beneficiaries,
    ]
    if initiative.pk:
        parts += [str(theme.name) for theme in initiative.themes.all()]
        places = initiative.places.select_related("commune", "epci", "arrondissement", "department")
        parts += [place.area.name for place in places if place.area is not None]
    return " ".join(analyze(" ".join(part for part in parts if part)))


def initiative_reindex(*, initiative: Initiative) -> str:
    """Recompute and store ``initiative.search_document``; the database index follows.

    A queryset update: no ``post_save`` signal, ``updated_at`` untouched.
    """
    document = build_document(initiative)
    Initiative.objects.filter(pk=initiative.pk).update(search_document=document)
    initiative.search_document = document
    return document


def initiative_reindex_all() -> int:
    """Rebuild every search document (after a stemmer or analyzer change)."""
    count = 0
    queryset = Initiative.objects.prefetch_related("themes").order_by("pk")
    for initiative in queryset.iterator(chunk_size=500):
        initiative_reindex(initiative=initiative)
        count += 1
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    return count


def search_index_purge() -> None:
    """Drop erased words from the index itself, not only from the documents.

    SQLite's FTS5 marks a replaced document's words as deleted and keeps them in its segments
    until they are merged: ``optimize`` merges them all now, and ``secure_delete`` (set on
    every connection, see settings) overwrites the freed pages. PostgreSQL's GIN index drops
    the entries of old row versions when autovacuum reclaims them.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")
        # The write-ahead log still holds the pages as they were: fold it into the database
        # and empty it once the erasure is committed.
        transaction.on_commit(_checkpoint, robust=True)


def _checkpoint() -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


# PostgreSQL: ``to_tsvector('simple', search_document)``, stored by the database in this
# generated column (migration 0009) and indexed by GIN; the model does not declare it, so
# SQLite, which has no tsvector, never sees it.
SEARCH_VECTOR_COLUMN = "search_vector"


class _TsMatch(Func):
    """PostgreSQL: the stored tsvector of the (possibly aliased) table, @@ a query."""

    output_field = BooleanField()

    def __init__(self, column, query: str):
        super().__init__(column)
        self.query = query

    def as_sql(self, compiler, connection, **extra):
        column_sql, params = compiler.compile(self.source_expressions[0])
        # The same table (alias included), its generated column instead of the document.
        vector_sql = column_sql.replace('"search_document"', f'"{SEARCH_VECTOR_COLUMN}"')
        sql = f"{vector_sql} @@ plainto_tsquery('simple'::regconfig, %s)"
        return sql, [*params, self.query]


def match_condition(terms: list[str]):
    """A condition true for initiatives whose document holds every term.

    Built from expressions, not table names, so it stays right when Django aliases the
    table (the selector used as a subquery by the API and the exports).
    """
    if connection.vendor == "postgresql":
        return Q(_TsMatch(F("search_document"), " ".join(terms)))
    if connection.vendor == "sqlite":
        # Each term quoted: FTS5 reads it as a plain string, never as an operator.
        match = " ".join(f'"{term}"' for term in terms)
        return Q(
            pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])
        )
    raise NotImplementedError(f"Recherche non prise en charge pour {connection.vendor}")


@contextmanager
def search_work_mem():
    """Run a search's queries with ``SEARCH_WORK_MEM`` (PostgreSQL; ``SET LOCAL``: for this
    transaction only). Evaluate the querysets inside the block."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{SEARCH_WORK_MEM}'")
        yield


def search_filter(queryset, query: str):
    """``queryset`` narrowed to initiatives matching every word of ``query``.

    A query with nothing searchable in it ("%", "*", "les") matches nothing: a search that
    was asked for never silently becomes the whole list.
    """
    if not query.strip():
        return queryset
    terms = query_terms(query)
    if not terms:
        return queryset.none()
    return queryset.filter(match_condition(terms))


@receiver(post_save, sender=Theme, dispatch_uid="initiative_search_on_theme_save")
def _theme_saved(sender, instance, created, raw=False, **kwargs):
    # Themes are edited in the admin only, with no service to call: a renamed theme changes
    # the documents of its initiatives (rare: a few per campaign).
    if raw or created:
        return
    for initiative in instance.initiatives.prefetch_related("themes").iterator(chunk_size=200):
        initiative_reindex(initiative=initiative)


# SQLite drops a table's triggers when a migration rebuilds it (e.g. AddField with a default):
# after every migrate, put them back and rebuild the index if any was missing.
SQLITE_TRIGGERS = {
    "initiatives_search_fts_ai": f"""CREATE TRIGGER IF NOT EXISTS initiatives_search_fts_ai
        AFTER INSERT ON initiatives_initiative BEGIN
        INSERT INTO {FTS_TABLE}(rowid, search_document) VALUES (new.id, new.search_document);
    END""",
    "initiatives_search_fts_ad": f"""CREATE TRIGGER IF NOT EXISTS initiatives_search_fts_ad
        AFTER DELETE ON initiatives_initiative BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_document)
        VALUES ('delete', old.id, old.search_document);
    END""",
    "initiatives_search_fts_au": f"""CREATE TRIGGER IF NOT EXISTS initiatives_search_fts_au
        AFTER UPDATE OF search_document ON initiatives_initiative BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_document)
        VALUES ('delete', old.id, old.search_document);
        INSERT INTO {FTS_TABLE}(rowid, search_document) VALUES (new.id, new.search_document);
    END""",
}


def ensure_sqlite_index(using: str = "default") -> bool:
    """Re-create missing FTS triggers; True if the index had to be rebuilt."""
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite":
        return False
    with conn.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        names = {row[0] for row in cursor.fetchall()}
        if FTS_TABLE not in names:
            return False  # migration 0002 not applied yet
        missing = [name for name in SQLITE_TRIGGERS if name not in names]
        for name in missing:
            cursor.execute(SQLITE_TRIGGERS[name])
        if missing:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    return bool(missing)


def after_migrate(sender, using="default", **kwargs):
    if sender.label == "initiatives":
        ensure_sqlite_index(using)
