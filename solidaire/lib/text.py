"""Text folding shared by the commune finder, the gazetteer and search. No Django here."""

import re
import unicodedata

_APOSTROPHES = "'’‘`´ʼ"
_DASHES = "-‐‑‒–—−"
_SPACES_RE = re.compile(r"\s+")
_SAINT_RE = re.compile(r"\b(ste|st)\b")


def strip_accents(text: str) -> str:
    """Remove diacritics, keeping base letters.

    >>> strip_accents("Neufchâtel-Hardelot Œuf")
    'Neufchatel-Hardelot Œuf'
    """
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


def fold(text: str) -> str:
    """Lower-case, accent-free, hyphens and apostrophes as spaces, 'œ' as 'oe'.

    >>> fold("Saint-Étienne-au-Mont")
    'saint etienne au mont'
    >>> fold("L’Abergement-Clémenciat")
    'l abergement clemenciat'
    >>> fold("  Œuvre   CŒUR ")
    'oeuvre coeur'
    """
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    text = strip_accents(text).lower()
    for ch in _APOSTROPHES + _DASHES:
        text = text.replace(ch, " ")
    text = "".join(ch if ch.isalnum() or ch == " " else " " for ch in text)
    return _SPACES_RE.sub(" ", text).strip()


def fold_saints(folded: str) -> str:
    """Expand the 'st'/'ste' abbreviations of an already folded name.

    >>> fold_saints("st etienne au mont")
    'saint etienne au mont'
    >>> fold_saints("ste marie")
    'sainte marie'
    """
    return _SAINT_RE.sub(lambda m: "saint" if m.group(1) == "st" else "sainte", folded)


def french_plural(count) -> str:
    """The plural mark of French: 0 and 1 are singular ("0 initiative terminée").

    >>> [french_plural(n) for n in (0, 1, 2, "12", None, "abc")]
    ['', '', 's', 's', '', '']
    """
    try:
        return "s" if int(count or 0) > 1 else ""
    except (TypeError, ValueError):
        return ""
