"""French month names and dates, written once for the renderers and the import steps.
No Django here."""

from datetime import date

from .text import fold, strip_accents

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
# Folded name -> month number, for text read with or without its accents.
MONTH_NUMBERS = {fold(name): number for number, name in enumerate(MONTHS, start=1)}


def _accent_optional(name: str) -> str:
    return "".join(f"[{strip_accents(ch)}{ch}]" if strip_accents(ch) != ch else ch for ch in name)


# A regular expression alternative matching any month, accents optional ("fevrier", "août").
MONTH_PATTERN = "|".join(_accent_optional(name) for name in MONTHS)


def month_number(name: str) -> int | None:
    """The number of a French month, however it is written.

    >>> month_number("Août"), month_number("fevrier"), month_number("brumaire")
    (8, 2, None)
    """
    return MONTH_NUMBERS.get(fold(name))


def format_date(value: date) -> str:
    """A date as written in a French dateline.

    >>> format_date(date(2020, 4, 24))
    '24 avril 2020'
    >>> format_date(date(2020, 5, 1))
    '1er mai 2020'
    """
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"
