import pytest
from django.core.exceptions import ValidationError

from solidaire.organisations.siret import siret_valid, validate_siret
from tests.organisations.factories import CCAS_CALAIS, MAIRIE_CALAIS


@pytest.mark.parametrize("value", [MAIRIE_CALAIS, CCAS_CALAIS, "35600000000047"])
def test_valid_sirets_pass(value):
    assert siret_valid(value)


@pytest.mark.parametrize(
    "value",
    [
        "21620193000016",
        "2162019300001",
        "216201930000150",
        "2162O193000015",
        "",
        None,
        "２１６２０１９３００００１５",
        "35600000000048",
    ],
)
def test_invalid_sirets_fail_with_a_french_message(value):
    assert not siret_valid(value)
    with pytest.raises(ValidationError, match="SIRET n'est pas valide"):
        validate_siret(value)
