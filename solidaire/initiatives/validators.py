"""Validation of public contacts: displayed as typed, never mailed or called by the platform."""

import re
from functools import lru_cache
from urllib.parse import urlsplit

import phonenumbers
from django.core.exceptions import ValidationError

URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]+$", re.IGNORECASE)
# Unicode word characters are allowed in the local part: "solidarité.grandarras@…" is a
# real address from a bulletin. Django's EmailValidator refuses it.
LOCAL_RE = re.compile(r"^[\w!#$%&'*+/=?^`{|}~-]+(\.[\w!#$%&'*+/=?^`{|}~-]+)*$")
DOMAIN_LABEL_RE = re.compile(r"^(?!-)[^\W_](?:[\w-]{0,61}[^\W_])?$")
TLD_RE = re.compile(r"^[^\W\d_]{2,63}$|^xn--[a-z0-9-]{1,59}$", re.IGNORECASE)


def validate_http_url(value: str) -> None:
    """Only http(s) links: no ``javascript:``, ``data:`` or ``ftp:``.

    >>> validate_http_url("https://www.facebook.com/MDNIduCalaisis/")
    >>> validate_http_url("javascript:alert(1)")
    Traceback (most recent call last):
    django.core.exceptions.ValidationError: [...]
    """
    if len(value) > 500 or not URL_RE.match(value):
        raise ValidationError(
            "Saisissez une adresse web complète commençant par http:// ou https://.",
            code="invalid_url",
        )


def validate_display_email(value: str) -> None:
    """An e-mail address to display, non-ASCII local parts included.

    >>> validate_display_email("solidarité.grandarras@cu-arras.org")
    >>> validate_display_email("pas une adresse")
    Traceback (most recent call last):
    django.core.exceptions.ValidationError: [...]
    """
    message = "Saisissez une adresse e-mail valide, par exemple contact@mairie-exemple.fr."
    if len(value) > 254 or value.count("@") != 1:
        raise ValidationError(message, code="invalid_email")
    local, domain = value.split("@")
    if not local or len(local) > 64 or not LOCAL_RE.match(local):
        raise ValidationError(message, code="invalid_email")
    labels = domain.split(".")
    if len(labels) < 2 or not TLD_RE.match(labels[-1]):
        raise ValidationError(message, code="invalid_email")
    if not all(DOMAIN_LABEL_RE.match(label) for label in labels):
        raise ValidationError(message, code="invalid_email")


def normalize_phone(value: str) -> str:
    """A French or international number, returned in E.164.

    >>> normalize_phone("03 21 61 36 10")
    '+33321613610'
    >>> normalize_phone("+32 2 555 12 12")
    '+3225551212'
    """
    message = (
        "Saisissez un numéro de téléphone valide, par exemple 03 21 61 36 10 ou +32 2 555 12 12."
    )
    if len(value) > 30:
        raise ValidationError(message, code="invalid_phone")
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        raise ValidationError(message, code="invalid_phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(message, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=4096)  # a pure function, called for every phone of every list
def format_phone(value: str) -> str:
    """E.164 to the way people read it: national format in France, international abroad.

    >>> format_phone("+33321613610")
    '03 21 61 36 10'
    >>> format_phone("auprès de la mairie")
    'auprès de la mairie'
    """
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        return value
    if number.country_code == 33:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


JEVEUXAIDER_HOSTS = ("jeveuxaider.gouv.fr", "www.jeveuxaider.gouv.fr")


def validate_jeveuxaider_url(value: str) -> None:
    """A mission's address on JeVeuxAider, nothing else (it is shown as "JeVeuxAider").

    >>> validate_jeveuxaider_url("https://www.jeveuxaider.gouv.fr/missions-benevolat/123/aide")
    >>> validate_jeveuxaider_url("https://jeveuxaider.gouv.fr.example.org/missions/1")
    Traceback (most recent call last):
    django.core.exceptions.ValidationError: [...]
    """
    parts = urlsplit(value)
    if parts.scheme != "https" or parts.hostname not in JEVEUXAIDER_HOSTS or len(value) > 500:
        raise ValidationError(
            "Saisissez l'adresse de la mission sur JeVeuxAider, commençant par "
            "https://www.jeveuxaider.gouv.fr/.",
            code="invalid_jeveuxaider_url",
        )
