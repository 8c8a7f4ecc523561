import copy

import pytest

from tests.database import module_data
from tests.opendata.factories import make_demo_set


@pytest.fixture(scope="module")
def demo_rows(django_db_setup, django_db_blocker):
    """The demo set, built once per module and deleted when the module ends."""
    with module_data(django_db_blocker, make_demo_set) as data:
        yield data


@pytest.fixture
def demo(demo_rows, db):
    """The module's demo set (see make_demo_set), copied so that a test may change it."""
    return copy.deepcopy(demo_rows)
