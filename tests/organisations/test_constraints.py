"""The SIRET check in the database: fourteen digits, readable by SQLite's own tools."""

import pytest
from django.db import DataError, IntegrityError, transaction

from solidaire.organisations.models import Organisation, OrganisationStatus


@pytest.mark.django_db
@pytest.mark.parametrize(
    "siret", ["2162004100001", "216200410000199", "2162004100001a", "21620 41000019"]
)
def test_the_database_refuses_a_siret_that_is_not_fourteen_digits(siret):
    # PostgreSQL refuses the 15-character one by its column length (DataError).
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Organisation.objects.create(siret=siret, status=OrganisationStatus.PENDING)


@pytest.mark.django_db
def test_it_takes_fourteen_digits():
    assert Organisation.objects.create(siret="21620041000019", status=OrganisationStatus.PENDING)
