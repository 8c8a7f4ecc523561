"""Finding a person's name, e-mail and phone in any text, to erase them. No Django here.

A name is found in its folded form (case, accents, hyphens: see ``text.fold``), so
"JEREMIE DUPONT LEFEVRE" and "Jérémie Dupont-Lefèvre" are the same name; it is also found
surname first. An e-mail is found whatever its case. A phone number is found in any of the
ways people write it: "03 21 32 00 00", "03.21.32.00.00", "0321320000", "+33 3 21 32 00 00",
"+33 (0)3 21 32 00 00", "0033321320000".
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from .text import fold_with_map, original_offset

# What may separate the digits of a phone number as people write it.
_PHONE_SEPARATOR = r"[\s.\-/]*"


def phone_pattern(country_code: int, national_number: str) -> re.Pattern:
    """Any written form of one number (``national_number`` without its trunk 0).

    >>> pattern = phone_pattern(33, "321320000")
    >>> [bool(pattern.search(t)) for t in ["03 21 32 00 00", "+33 (0)3.21.32.00.00",
    ...     "0321320000", "0033 3 21 32 00 00", "tél. 03-21-32-00-00.", "0033321320000 1"]]
    [True, True, True, True, True, True]
    >>> [bool(pattern.search(t)) for t in ["03 21 32 00 01", "103 21 32 00 00", "321320000"]]
    [False, False, False]
    """
    digits = _PHONE_SEPARATOR.join(re.escape(d) for d in national_number)
    international = rf"(?:\+|00){_PHONE_SEPARATOR}{country_code}{_PHONE_SEPARATOR}"
    international += rf"(?:\(0\){_PHONE_SEPARATOR})?"
    # Abroad as at home, a national form starts with the trunk prefix 0.
    return re.compile(rf"(?<![\d+])(?:{international}|0{_PHONE_SEPARATOR}){digits}(?!\d)")


MIN_NAME_LETTERS = 5


def name_forms(name: str) -> list[str]:
    """The folded forms a name is searched in: as written, and surname first.

    >>> name_forms("Jérémie Dupont-Lefèvre")
    ['jeremie dupont lefevre', 'dupont lefevre jeremie']

    A single word, or a name shorter than five letters, is not searched: erasing every
    "Martin" would also erase Saint-Martin-Boulogne.

    >>> name_forms("  "), name_forms("Martin"), name_forms("A B")
    ([], [], [])
    """
    words = fold_with_map(name)[0].split()
    if len(words) < 2 or len("".join(words)) < MIN_NAME_LETTERS:
        return []
    forms = [" ".join(words)]
    if len(words) > 1:
        forms.append(" ".join(words[1:] + words[:1]))
    return forms


@dataclass(frozen=True)
class Needles:
    """What to find: folded names, e-mails, phone patterns, each with its replacement."""

    names: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    phones: tuple[re.Pattern, ...] = ()
    labels: dict = field(
        default_factory=lambda: {
            "name": "[nom effacé]",
            "email": "[e-mail effacé]",
            "phone": "[téléphone effacé]",
        }
    )

    @classmethod
    def of(
        cls,
        *,
        names: Iterable[str] = (),
        emails: Iterable[str] = (),
        phones: Iterable[tuple[int, str]] = (),
    ) -> "Needles":
        """Needles from names as written, e-mails, and (country code, national number) pairs."""
        folded = {form for name in names for form in name_forms(name)}
        return cls(
            names=tuple(sorted(folded, key=len, reverse=True)),
            emails=tuple(sorted({e.strip().casefold() for e in emails if e.strip()})),
            phones=tuple(phone_pattern(code, number) for code, number in set(phones)),
        )

    @cached_property
    def _name_re(self) -> re.Pattern | None:
        # One alternation, longest first: a thousand names cost one pass over a text.
        if not self.names:
            return None
        return re.compile(rf"(?<![^ ])(?:{'|'.join(map(re.escape, self.names))})(?![^ ])")

    @cached_property
    def _email_re(self) -> re.Pattern | None:
        if not self.emails:
            return None
        return re.compile("|".join(map(re.escape, sorted(self.emails, key=len, reverse=True))))

    def __bool__(self) -> bool:
        return bool(self.names or self.emails or self.phones)

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, kind) of every occurrence in ``text``, merged, in order.

        >>> needles = Needles.of(names=["Jérémie Dupont-Lefèvre"], emails=["J.D@Exemple.fr"],
        ...     phones=[(33, "321320000")])
        >>> text = "M. DUPONT LEFEVRE Jérémie (j.d@exemple.FR, 03 21 32 00 00)"
        >>> [text[a:b] for a, b, _ in needles.spans(text)]
        ['DUPONT LEFEVRE Jérémie', 'j.d@exemple.FR', '03 21 32 00 00']
        """
        found: list[tuple[int, int, str]] = []
        if self._email_re is not None:
            lowered = text.casefold()
            if len(lowered) == len(text):  # casefold kept offsets (no "ß" and the like)
                found += [(m.start(), m.end(), "email") for m in self._email_re.finditer(lowered)]
            else:
                pattern = re.compile(self._email_re.pattern, re.IGNORECASE)
                found += [(m.start(), m.end(), "email") for m in pattern.finditer(text)]
        for pattern in self.phones:
            found += [(m.start(), m.end(), "phone") for m in pattern.finditer(text)]
        if self._name_re is not None:
            folded, anchors = fold_with_map(text)
            for m in self._name_re.finditer(folded):
                start = original_offset(anchors, m.start())
                end = original_offset(anchors, m.end() - 1) + 1
                found.append((start, end, "name"))
        merged: list[tuple[int, int, str]] = []
        for start, end, kind in sorted(found):
            if merged and start < merged[-1][1]:
                last = merged[-1]
                merged[-1] = (last[0], max(last[1], end), last[2])
            else:
                merged.append((start, end, kind))
        return merged

    def found_in(self, text: str) -> bool:
        return bool(text) and bool(self.spans(text))

    def scrub(self, text: str) -> str:
        """``text`` with every occurrence replaced by what it was ("[nom effacé]"…).

        >>> needles = Needles.of(names=["Jérémie Dupont-Lefèvre"], phones=[(33, "321320000")])
        >>> needles.scrub("Contact : jérémie dupont-lefèvre, au +33 3 21 32 00 00.")
        'Contact : [nom effacé], au [téléphone effacé].'
        >>> needles.scrub("Rien ici")
        'Rien ici'
        """
        if not text:
            return text
        out, pos = [], 0
        for start, end, kind in self.spans(text):
            out += [text[pos:start], self.labels[kind]]
            pos = end
        return "".join(out) + text[pos:] if out else text

    def mask(self, text: str, *, mark: str = "•") -> str:
        """``text`` with every occurrence overwritten by as many marks: offsets still hold.

        >>> Needles.of(emails=["a@b.fr"]).mask("écrire à A@B.fr !")
        'écrire à •••••• !'
        """
        if not text:
            return text
        chars = list(text)
        for start, end, _ in self.spans(text):
            chars[start:end] = mark * (end - start)
        return "".join(chars)


def scrub_data(value, scrub):
    """Every string of a JSON-like value passed through ``scrub`` (keys as well).

    >>> scrub_data({"a": ["x", 1, {"x": "yx"}], "b": None}, lambda s: s.replace("x", "-"))
    {'a': ['-', 1, {'-': 'y-'}], 'b': None}
    """
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, list | tuple):
        return [scrub_data(item, scrub) for item in value]
    if isinstance(value, dict):
        return {scrub_data(k, scrub): scrub_data(v, scrub) for k, v in value.items()}
    return value
