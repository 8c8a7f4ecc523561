"""The full-text index behind Initiative.search_document, per database (see search.py)."""

from django.db import migrations

SQLITE_FORWARD = [
    # External content: the text stays in initiatives_initiative, FTS5 keeps only the index.
    """CREATE VIRTUAL TABLE initiatives_search_fts USING fts5(
        search_document,
        content='initiatives_initiative',
        content_rowid='id',
        tokenize='unicode61 remove_diacritics 0'
    )""",
    """CREATE TRIGGER IF NOT EXISTS initiatives_search_fts_ai AFTER INSERT ON initiatives_initiative BEGIN
        INSERT INTO initiatives_search_fts(rowid, search_document)
        VALUES (new.id, new.search_document);
    END""",
    """CREATE TRIGGER IF NOT EXISTS initiatives_search_fts_ad AFTER DELETE ON initiatives_initiative BEGIN
        INSERT INTO initiatives_search_fts(initiatives_search_fts, rowid, search_document)
        VALUES ('delete', old.id, old.search_document);
    END""",
    """CREATE TRIGGER IF NOT EXISTS initiatives_search_fts_au AFTER UPDATE OF search_document
        ON initiatives_initiative BEGIN
        INSERT INTO initiatives_search_fts(initiatives_search_fts, rowid, search_document)
        VALUES ('delete', old.id, old.search_document);
        INSERT INTO initiatives_search_fts(rowid, search_document)
        VALUES (new.id, new.search_document);
    END""",
    "INSERT INTO initiatives_search_fts(initiatives_search_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS initiatives_search_fts_au",
    "DROP TRIGGER IF EXISTS initiatives_search_fts_ad",
    "DROP TRIGGER IF EXISTS initiatives_search_fts_ai",
    "DROP TABLE IF EXISTS initiatives_search_fts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX IF NOT EXISTS initiative_search_gin ON initiatives_initiative "
    "USING GIN (to_tsvector('simple'::regconfig, search_document))",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS initiative_search_gin"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
            elidable=False,
        ),
    ]
