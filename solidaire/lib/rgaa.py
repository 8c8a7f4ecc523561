"""The RGAA's conformity levels, from an audit's rate of criteria met (no Django here)."""

from datetime import date

NOT_CONFORMANT = "non conforme"
PARTIALLY_CONFORMANT = "partiellement conforme"
FULLY_CONFORMANT = "totalement conforme"


def conformity(rate: float | None, audited_on: date | None) -> str:
    """The level a site may claim: "non conforme" until an audit is recorded (its date and
    rate), then the RGAA's rule: 100 % of criteria met, totally; 50 % or more, partially.

    >>> day = date(2026, 11, 27)
    >>> conformity(None, None), conformity(100, None), conformity(None, day)
    ('non conforme', 'non conforme', 'non conforme')
    >>> conformity(0, day), conformity(49.9, day)
    ('non conforme', 'non conforme')
    >>> conformity(50, day), conformity(99.9, day), conformity(100, day)
    ('partiellement conforme', 'partiellement conforme', 'totalement conforme')
    """
    if rate is None or audited_on is None:
        return NOT_CONFORMANT
    if rate >= 100:
        return FULLY_CONFORMANT
    if rate >= 50:
        return PARTIALLY_CONFORMANT
    return NOT_CONFORMANT


def parse_rate(text: str) -> float | None:
    """A rate as written in a setting ("75", "75,5 %"); empty: None; else ValueError.

    >>> parse_rate(""), parse_rate("75"), parse_rate("87,5 %"), parse_rate("100")
    (None, 75.0, 87.5, 100.0)
    >>> parse_rate("120")
    Traceback (most recent call last):
    ...
    ValueError: 120
    """
    text = text.strip().removesuffix("%").strip().replace(",", ".")
    if not text:
        return None
    rate = float(text)
    if not 0 <= rate <= 100:
        raise ValueError(text)
    return rate


def parse_day(text: str) -> date | None:
    """An ISO date ("2026-11-27"); empty: None; else ValueError.

    >>> parse_day("2026-11-27"), parse_day(" ")
    (datetime.date(2026, 11, 27), None)
    """
    text = text.strip()
    return date.fromisoformat(text) if text else None
