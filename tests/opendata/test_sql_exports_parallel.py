"""The full files written by several PostgreSQL connections sharing one snapshot (the
path of the scheduled job, outside any other transaction) are those of the Python
layouts, byte for byte: committed rows, chunks of three spread over two workers."""

import pytest
from django.db import connection

from solidaire.initiatives.models import Initiative
from solidaire.opendata import full_exports, sql_exports
from solidaire.opendata.full_exports import FULL_FORMATS, exports_build
from solidaire.territory.models import Commune, Epci
from tests.opendata.factories import make_demo_set
from tests.opendata.test_sql_exports import _python_files, _stored, make_hard_rows

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own query"),
]


@pytest.fixture
def committed_rows():
    make_demo_set()
    rows = make_hard_rows()
    yield rows
    # The flush that ends the test keeps the reference geography: drop what was added to it.
    Initiative.objects.all().delete()
    Commune.objects.filter(insee_code__in=["62998", "62997"]).delete()
    Epci.objects.filter(siren="999999999").delete()


def test_chunks_formatted_by_parallel_workers_make_the_same_files(committed_rows, monkeypatch):
    monkeypatch.setattr(sql_exports, "CHUNK", 3)
    monkeypatch.setattr(sql_exports, "WORKERS", 2)
    opened = []
    real = sql_exports._parallel

    def spy(*args, **kwargs):
        opened.append(True)
        yield from real(*args, **kwargs)

    monkeypatch.setattr(sql_exports, "_parallel", spy)
    monkeypatch.setattr(full_exports, "_python_rows", None)  # never the Python path here
    expected = _python_files()
    built = {file.fmt: file for file in exports_build()}
    assert opened, "the workers' path was not taken"
    for fmt in FULL_FORMATS:
        assert _stored(fmt) == expected[fmt], fmt
        assert built[fmt].rows == len(committed_rows) + 5
