import pytest

from tests.bulletins.factories import make_demo_bulletin, make_series


@pytest.fixture
def series(db):
    return make_series()


@pytest.fixture
def demo(db):
    """(bulletin n°6, its 11 initiatives in the sample's order)."""
    return make_demo_bulletin()
