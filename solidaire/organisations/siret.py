"""The SIRET of an establishment: 14 digits, checked by Luhn (La Poste's own rule aside)."""

from django.core.exceptions import ValidationError

# La Poste's establishments share one SIREN and do not follow Luhn: the sum of their
# digits is a multiple of 5 instead (INSEE's documented exception).
LA_POSTE_SIREN = "356000000"


def luhn_valid(digits: str) -> bool:
    """
    >>> luhn_valid("73282932000074"), luhn_valid("73282932000075")
    (True, False)
    """
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def siret_valid(value: str) -> bool:
    """
    >>> siret_valid("21620193000015"), siret_valid("2162019300001"), siret_valid("35600000000047")
    (True, False, True)
    """
    if not isinstance(value, str) or len(value) != 14 or not value.isascii() or not value.isdigit():
        return False
    if value.startswith(LA_POSTE_SIREN) and value != LA_POSTE_SIREN + "00000":
        return sum(int(char) for char in value) % 5 == 0
    return luhn_valid(value)


def validate_siret(value: str) -> None:
    if not siret_valid(value):
        raise ValidationError("Ce numéro SIRET n'est pas valide.", code="invalid_siret")
