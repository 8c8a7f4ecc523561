"""PostgreSQL: the search document's tsvector stored once per write, not recomputed per query.

A generated column follows ``search_document`` wherever it is written (services, admin,
loaders, COPY with a column list) with no code to call; the GIN index moves onto it. Before,
a search whose bitmap went lossy re-ran ``to_tsvector`` on every row of every lossy page.
SQLite keeps its FTS5 table (migration 0002): nothing to do there.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "ALTER TABLE initiatives_initiative ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_document)) STORED",
    "CREATE INDEX IF NOT EXISTS initiative_search_vector_gin ON initiatives_initiative "
    "USING GIN (search_vector)",
    "DROP INDEX IF EXISTS initiative_search_gin",
]
POSTGRES_BACKWARD = [
    "CREATE INDEX IF NOT EXISTS initiative_search_gin ON initiatives_initiative "
    "USING GIN (to_tsvector('simple'::regconfig, search_document))",
    "DROP INDEX IF EXISTS initiative_search_vector_gin",
    "ALTER TABLE initiatives_initiative DROP COLUMN IF EXISTS search_vector",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0008_i17a_place_counts")]

    operations = [
        migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD), elidable=False),
    ]
