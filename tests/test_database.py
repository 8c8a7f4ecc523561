"""Transactional tests find the reference geography and nothing left by the previous one."""

import pytest

from solidaire.initiatives.models import Initiative
from solidaire.territory.models import Commune, Department
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("run", ["first", "second"])
def test_a_transactional_test_keeps_the_communes_and_starts_empty(run):
    # The second run starts after the flush that ended the first one.
    assert Commune.objects.count() == 34875
    assert Department.objects.filter(pk="62").exists()
    assert not Initiative.objects.exists()
    make_initiative(title=f"Initiative du {run} passage")
    assert Initiative.objects.count() == 1
