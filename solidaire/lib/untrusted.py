"""Untrusted input on its way in and out: control characters refused at the boundary,
spreadsheet formulas neutralised in every CSV cell the platform writes."""

from __future__ import annotations

import csv
from collections.abc import Iterable

# OWASP "CSV Injection": a cell starting with one of these is read as a formula by Excel,
# LibreOffice and Google Sheets (TAB and CR because spreadsheets strip them first).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Allowed in multi-line text (text areas) only; every other C0 control, DEL and the C1
# controls are refused everywhere, NUL first (PostgreSQL cannot store it).
MULTILINE_CONTROLS = frozenset("\t\n\r")


def csv_cell(value: object) -> object:
    """A cell value that no spreadsheet evaluates: OWASP's rule, a leading single quote.

    Numbers are data, not formulas: they are kept as numbers. Everything else starting
    with a formula character is prefixed, phone numbers like "+33 3 21…" included (Excel
    reads "+33 3" as an addition); the quote is what the user sees, never a formula.

    >>> csv_cell('=HYPERLINK("http://evil","x")')
    '\\'=HYPERLINK("http://evil","x")'
    >>> [csv_cell(v) for v in ("+cmd", "-1+1", "@SUM(1)", "\\tx", "\\rx")]
    ["'+cmd", "'-1+1", "'@SUM(1)", "'\\tx", "'\\rx"]
    >>> csv_cell("Visières à Arras"), csv_cell(-3), csv_cell(2.5), csv_cell(None)
    ('Visières à Arras', -3, 2.5, '')
    """
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_row(values: Iterable[object]) -> list[object]:
    """Every cell of a row through ``csv_cell``.

    >>> csv_row(["=1+1", 12, None, "ok"])
    ["'=1+1", 12, '', 'ok']
    """
    return [csv_cell(value) for value in values]


class SafeWriter:
    """``csv.writer`` whose rows are neutralised: the one writer every CSV goes through.

    >>> import io
    >>> out = io.StringIO()
    >>> SafeWriter(out, lineterminator="\\n").writerow(["=cmd|' /C calc'!A0", "Lens", 3])
    27
    >>> out.getvalue()
    "'=cmd|' /C calc'!A0,Lens,3\\n"
    """

    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, values: Iterable[object]):
        return self._writer.writerow(csv_row(values))


def forbidden_controls(text: str, *, multiline: bool = False) -> list[str]:
    """The control characters of ``text`` that input may not carry, in order of first use.

    >>> forbidden_controls("Lens\\x00")
    ['\\x00']
    >>> forbidden_controls("ligne 1\\nligne 2\\tfin")
    ['\\n', '\\t']
    >>> forbidden_controls("ligne 1\\r\\nligne 2\\tfin", multiline=True)
    []
    >>> forbidden_controls("a\\x1bb\\x7fc\\x85", multiline=True)
    ['\\x1b', '\\x7f', '\\x85']
    >>> forbidden_controls("Béthune – « solidaire »")
    []
    """
    found: list[str] = []
    for char in text:
        code = ord(char)
        if (code < 32 or 127 <= code < 160) and char not in found:
            if multiline and char in MULTILINE_CONTROLS:
                continue
            found.append(char)
    return found


def describe_controls(chars: list[str]) -> str:
    """Names of control characters for a French message.

    >>> describe_controls(["\\x00", "\\t", "\\x1b"])
    'caractère nul, tabulation, caractère de contrôle U+001B'
    """
    names = {
        "\x00": "caractère nul",
        "\t": "tabulation",
        "\n": "saut de ligne",
        "\r": "retour chariot",
    }
    return ", ".join(names.get(c, f"caractère de contrôle U+{ord(c):04X}") for c in chars)
