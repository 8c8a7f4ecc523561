"""Text folding for the commune finder, the gazetteer, search and imports. No Django here.

Folding is one rule written once: lower case, no accents, "œ"/"æ" spelled out, hyphens,
apostrophes and other punctuation as single spaces, and, where names are compared, the
"St"/"Ste" abbreviations spelled out as "saint"/"sainte" (never the other way round).
``fold_with_map`` also returns the way back to the original offsets, so the gazetteer can
point at the very words it found.
"""

import bisect
import re
import unicodedata

_APOSTROPHES = "'’‘`´ʼ"
_DASHES = "-‐‑‒–—−"
# Characters the one-to-one table cannot spell: rewritten afterwards, with anchors.
_REWRITES = {"œ": "oe", "æ": "ae", "st": "saint", "ste": "sainte"}
_REWRITE_RE = re.compile(r"  +|[œæ]")
# Folded text is letters, digits and spaces: a word ends where a space (or the text) does.
_REWRITE_SAINTS_RE = re.compile(r"(?=[ œæs])(?:  +|[œæ]|(?<![^ ])ste?(?![^ ]))")
# Above this length, one replace per distinct character beats a look-up per character.
_LONG_TEXT = 2000


def strip_accents(text: str) -> str:
    """Remove diacritics, keeping base letters.

    >>> strip_accents("Neufchâtel-Hardelot Œuf")
    'Neufchatel-Hardelot Œuf'
    """
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


def _fold_char(ch: str) -> str:
    """One character in, one character out, so that offsets stay trivially mappable."""
    if ch in _APOSTROPHES or ch in _DASHES or not ch.isalnum():
        return " "
    base = strip_accents(ch) or ch
    if len(base) != 1:
        return ch.lower()[:1] or " "
    lower = base.lower()
    return lower if len(lower) == 1 else base


class _FoldTable(dict):
    """``str.translate`` table filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        value = self[code] = _fold_char(chr(code))
        return value


_FOLD_TABLE = _FoldTable()


def _fold_chars(text: str) -> str:
    if len(text) < _LONG_TEXT:
        return text.translate(_FOLD_TABLE)
    for ch in set(text):
        mapped = _FOLD_TABLE[ord(ch)]
        if mapped != ch:
            text = text.replace(ch, mapped)
    return text


def fold_with_map(text: str, *, saints: bool = False) -> tuple[str, list[tuple[int, int]]]:
    """Fold ``text`` (runs of spaces kept as one, not stripped) with anchors mapping back.

    The anchors are (folded offset, original offset) pairs; ``original_offset`` reads them.

    >>> folded, anchors = fold_with_map("Le \\n Portel, d’Aire-sur-la-Lys")
    >>> folded
    'le portel d aire sur la lys'
    >>> original_offset(anchors, folded.index("portel"))
    5
    >>> folded, anchors = fold_with_map("à St-Omer, Œuf", saints=True)
    >>> folded, original_offset(anchors, folded.index("omer")), original_offset(anchors, 14)
    ('a saint omer oeuf', 5, 11)
    """
    folded = _fold_chars(text)
    pattern = _REWRITE_SAINTS_RE if saints else _REWRITE_RE
    anchors: list[tuple[int, int]] = []
    parts, pos, new = [], 0, 0
    for m in pattern.finditer(folded):
        start, end = m.span()
        if folded[start] == " ":  # a run of spaces, kept as its first one
            parts.append(folded[pos : start + 1])
            new += start + 1 - pos
        else:
            replacement = _REWRITES[m.group()]
            parts.append(folded[pos:start])
            parts.append(replacement)
            new += start - pos
            # Letters added by a rewrite ("st" → "saint") point at its last original letter.
            for k in range(end - start, len(replacement)):
                anchors.append((new + k, end - 1))
            new += len(replacement)
        anchors.append((new, end))
        pos = end
    if not anchors:
        return folded, anchors
    parts.append(folded[pos:])
    return "".join(parts), anchors


def original_offset(anchors: list[tuple[int, int]], pos: int) -> int:
    """Offset in the unfolded text of position ``pos`` of the folded text."""
    if not anchors:
        return pos
    i = bisect.bisect_right(anchors, (pos, float("inf"))) - 1
    if i < 0:
        return pos
    new, old = anchors[i]
    return old + (pos - new)


def fold(text: str, *, saints: bool = False) -> str:
    """Lower-case, accent-free, hyphens and apostrophes as spaces, 'œ' as 'oe'.

    >>> fold("Saint-Étienne-au-Mont")
    'saint etienne au mont'
    >>> fold("L’Abergement-Clémenciat")
    'l abergement clemenciat'
    >>> fold("  Œuvre   CŒUR ")
    'oeuvre coeur'
    >>> fold("Ve\\u0301lizy")
    'velizy'

    ``saints`` expands the 'st'/'ste' abbreviations, for comparing names:

    >>> fold("st etienne au mont", saints=True)
    'saint etienne au mont'
    >>> fold("Ste-Marie", saints=True)
    'sainte marie'
    """
    if not text.isascii():
        # Decomposed accents (typed on some systems) first join or leave their letter.
        text = unicodedata.normalize("NFC", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return fold_with_map(text, saints=saints)[0].strip()


def singular(word: str) -> str:
    """The singular of a folded French plural, as figures and imports group items.

    >>> [singular(w) for w in ["visieres", "masques", "repas", "colis", "cadeaux", "kits"]]
    ['visiere', 'masque', 'repas', 'colis', 'cadeau', 'kit']
    """
    # "repas", "colis", "bus": a final s after a, i, o or u is usually not a plural.
    if len(word) > 3 and (word[-1] == "x" or (word[-1] == "s" and word[-2] not in "aiou")):
        return word[:-1]
    return word


def french_plural(count) -> str:
    """The plural mark of French: 0 and 1 are singular ("0 initiative terminée").

    >>> [french_plural(n) for n in (0, 1, 2, "12", None, "abc")]
    ['', '', 's', 's', '', '']
    """
    try:
        return "s" if int(count or 0) > 1 else ""
    except (TypeError, ValueError):
        return ""
