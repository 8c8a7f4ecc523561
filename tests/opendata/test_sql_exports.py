"""The full files written by PostgreSQL (sql_exports.py) are byte-for-byte those of the
Python layouts of the streamed exports, on rows made to break a CSV, a JSON text or a
date; on SQLite the job writes the Python layouts and the same comparison holds."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection

from solidaire.initiatives.models import Contact, Initiative, Quantity
from solidaire.initiatives.selectors import InitiativeFilters
from solidaire.opendata import full_exports, sql_exports
from solidaire.opendata.exports import layout_lines
from solidaire.opendata.full_exports import FULL_FORMATS, export_storage, exports_build
from solidaire.opendata.models import ExportFile
from solidaire.opendata.records import initiative_records
from solidaire.territory.models import Commune, Epci
from tests.factories import make_campaign, make_initiative, make_theme, make_volunteer_call

pytestmark = pytest.mark.django_db

HARD_TEXTS = [
    '=HYPERLINK("http://evil","x")',
    "+33 3 21 00 00 00",
    "-1+1",
    "@SUM(1)",
    "\tTabulé",
    "\rRetour",
    'Guillemets "doubles", virgule',
    "Point-virgule ; ici",
    "Ligne 1\nLigne 2\r\nLigne 3",
    "Contrôles \x01\x1f\x7f \u2028 \u00a0« insécables »",
    'Anti\\slash et 100 % des "œuvres" l\'été',
    "",
]


@pytest.fixture
def hard_rows(demo):
    return make_hard_rows()


def make_hard_rows() -> list:
    campaign = make_campaign(slug="crise-=2", name='Crise "deux", ; suite')
    first = make_theme(campaign=campaign, name="=Thème, premier", position=0)
    second = make_theme(campaign=campaign, name="Thème ; second", position=1)
    tied = make_theme(campaign=campaign, name="Aaa même rang", position=1)
    Commune.objects.create(
        insee_code="62998", name='Ville, "test"', postal_codes="", population=0,
        latitude=50.0, longitude=0.00001, department_id="62",
    )  # fmt: skip
    Commune.objects.create(
        insee_code="62997", name="", postal_codes="", population=0,
        latitude=-0.0, longitude=1.234565, department_id="62",
    )  # fmt: skip
    Epci.objects.create(siren="999999999", name="")  # no commune: no point
    rows = []
    for n, text in enumerate(HARD_TEXTS):
        rows.append(
            make_initiative(
                title=text or "Sans rien",
                description=text,
                actor_name=text,
                actor_kind=("association", "weird-kind", "municipality")[n % 3],
                campaign=campaign,
                themes=((first, second, tied), (), (second,))[n % 3],
                communes=(("62998", "62193"), (), ("62997",), ())[n % 4],
                epcis=((), ("999999999",), ("200090751",), ())[n % 4],
                arrondissements=((), ("621",), (), ())[n % 4],
                departments=((), ("59",), (), ("62",))[n % 4],
                contacts=(
                    ("url", "https://exemple.fr/?a=1,b=2"),
                    ("mairie", "62193"),
                    ("mairie", "62041"),
                    ("mairie", "00000"),
                    ("phone", "+33321000000"),
                    ("text", text),
                    ("email", "a@b.fr"),
                )[n % 7 : n % 7 + 3],
                beneficiaries=text,
                start_date=date(2020, 3, 17) if n % 2 else None,
                end_date=date(2020, 5, 1) if n % 5 == 0 else None,
            )
        )
    stamps = [
        datetime(2020, 4, 24, 10, 11, 12, 345678, tzinfo=UTC),
        datetime(2020, 4, 24, 10, 11, 12, 999, tzinfo=UTC),
        datetime(2020, 4, 24, 10, 11, 12, 0, tzinfo=UTC),
        datetime(2019, 12, 31, 23, 59, 59, 1000, tzinfo=UTC),
    ]
    for n, initiative in enumerate(rows):
        Initiative.objects.filter(pk=initiative.pk).update(
            published_at=stamps[n % 4],
            verified_at=None if n % 3 else stamps[(n + 1) % 4],
            archived_at=stamps[n % 4] if n % 2 else None,
            status="archived" if n % 2 else "published",
            source=("form", "staff", "import")[n % 3],
        )
        for i, (count, approximate, item, period) in enumerate(
            [(1300, False, "visières", ""), (0, True, "repas, chauds", "trois semaines")][: n % 3]
        ):
            Quantity.objects.create(
                initiative=initiative, count=count, approximate=approximate, item=item,
                period=period, position=i,
            )  # fmt: skip
    # Same position, ordered by id.
    Contact.objects.create(initiative=rows[0], kind="text", value="=Second", position=0)
    # Calls for volunteers: two open, one ended (not counted), none elsewhere.
    make_volunteer_call(rows[0])
    make_volunteer_call(rows[0], end_date=None)
    make_volunteer_call(rows[1], start_date=date(2020, 3, 1), end_date=date(2020, 3, 2))
    make_volunteer_call(rows[2], end_date=date(2999, 1, 1))
    return rows


def _python_files() -> dict[str, bytes]:
    return {
        fmt: "".join(
            layout_lines(make_layout(), initiative_records(filters=InitiativeFilters()))
        ).encode()
        for fmt, (make_layout, _) in FULL_FORMATS.items()
    }


def _stored(fmt: str) -> bytes:
    with export_storage().open(ExportFile.objects.get(fmt=fmt).name, "rb") as handle:
        return handle.read()


@pytest.mark.parametrize("fmt", list(FULL_FORMATS))
def test_the_full_file_equals_the_python_layout_byte_for_byte(hard_rows, fmt, monkeypatch):
    expected = _python_files()[fmt]
    if sql_exports.available():

        def unused():
            raise AssertionError("PostgreSQL formats the full files itself")

        monkeypatch.setattr(full_exports, "_python_rows", unused)
    built = {file.fmt: file for file in exports_build()}
    data = _stored(fmt)
    if data != expected:  # the first differing line, readable
        for ours, theirs in zip(data.splitlines(), expected.splitlines(), strict=False):
            assert ours.decode() == theirs.decode()
    assert data == expected
    assert built[fmt].rows == len(hard_rows) + 5
    assert built[fmt].size == len(expected)


def test_every_hard_text_reaches_the_files(hard_rows):
    exports_build()
    text = _stored("json").decode()
    assert "\\u0001" in text and "\\n" in text and "\u2028" in text
    assert "'=HYPERLINK" in _stored("csv").decode()
    assert '"Point-virgule ; ici"' in _stored("tableur").decode("utf-8-sig")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own query")
def test_the_rows_stream_from_a_server_side_cursor(hard_rows, monkeypatch):
    monkeypatch.setattr(sql_exports, "CHUNK", 3)
    from django.db import transaction

    with transaction.atomic():
        rows = list(sql_exports.sql_rows(filters=InitiativeFilters()))
    assert len(rows) == len(hard_rows) + 5
    assert all(line.endswith("\r\n") for line, *_ in rows)
