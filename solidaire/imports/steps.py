"""The import pipeline's steps: small pure functions, each with its doctest.

No Django here. Offsets are those of the normalised text unless said otherwise; the runner
(``pipeline.py``) maps every evidence span back to the original text through ``OffsetMap``.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date as date_type
from functools import lru_cache

import phonenumbers

from solidaire.lib.dates import MONTH_NUMBERS, MONTH_PATTERN, month_number
from solidaire.lib.text import fold as _fold_uncached
from solidaire.lib.text import singular
from solidaire.lib.typography import of_name

# Words repeat: folding each distinct one once keeps the pipeline above 1 MB/s.
fold = lru_cache(maxsize=65536)(_fold_uncached)

# ---------------------------------------------------------------------------------------------
# Offsets
# ---------------------------------------------------------------------------------------------


class OffsetMap:
    """Maps offsets of a rewritten text back to the text it was rewritten from.

    ``anchors`` are (new_offset, old_offset) pairs recorded at the end of every replacement;
    between two anchors the texts run in parallel.

    >>> m = OffsetMap([(3, 5)])
    >>> m.to_old(2), m.to_old(3), m.to_old(10)
    (2, 5, 12)
    """

    def __init__(self, anchors=None, parent: OffsetMap | None = None):
        self.anchors: list[tuple[int, int]] = anchors or []
        self._keys = [a[0] for a in self.anchors]
        self.parent = parent

    def to_old(self, pos: int) -> int:
        i = bisect.bisect_right(self._keys, pos) - 1
        old = pos if i < 0 else self.anchors[i][1] + (pos - self.anchors[i][0])
        return self.parent.to_old(old) if self.parent else old

    def span(self, start: int, end: int) -> tuple[int, int]:
        """An evidence span in original offsets (the end is mapped from its last char)."""
        if end <= start:
            return self.to_old(start), self.to_old(start)
        return self.to_old(start), self.to_old(end - 1) + 1


def sub_with_map(pattern: re.Pattern, repl, text: str, parent: OffsetMap | None = None):
    """``pattern.sub(repl, text)`` that also returns the OffsetMap back to ``text``.

    >>> new, m = sub_with_map(re.compile(r"-\\n"), "", "maté-\\nriel et gel")
    >>> new, m.to_old(new.index("et"))
    ('matériel et gel', 11)
    """
    parts, anchors, pos, shift = [], [], 0, 0
    for match in pattern.finditer(text):
        replacement = repl(match) if callable(repl) else match.expand(repl)
        parts.append(text[pos : match.start()])
        parts.append(replacement)
        shift += len(replacement) - (match.end() - match.start())
        anchors.append((match.end() + shift, match.end()))
        pos = match.end()
    if not anchors:
        return text, OffsetMap([], parent)
    parts.append(text[pos:])
    return "".join(parts), OffsetMap(anchors, parent)


# ---------------------------------------------------------------------------------------------
# Step 1: normalise
# ---------------------------------------------------------------------------------------------

_ONE_TO_ONE = str.maketrans(
    {
        "\u00a0": " ",  # no-break space
        "\u202f": " ",  # narrow no-break space
        "\u2009": " ",  # thin space
        "\u2007": " ",
        "\u200b": " ",  # zero-width space (kept 1:1 to keep offsets simple)
        "\t": " ",
        "\r": " ",
        "\f": "\n",  # form feed: a PDF page break
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "`": "'",
        "\u2010": "-",
        "\u2011": "-",
    }
)
_ONE_TO_ONE_CHARS = [chr(code) for code in _ONE_TO_ONE]
_COMBINING_RE = re.compile(r".[\u0300-\u036f]+", re.DOTALL)
_HYPHENATION_RE = re.compile(r"(?<=[a-zà-ÿ])-[ ]*\n[ ]*(?=[a-zà-ÿ])")
_FURNITURE_RE = re.compile(
    r"(?im)^[ ]*(?:page[ ]+\d+(?:[ ]*(?:/|sur)[ ]*\d+)?|\d{1,3}[ ]*/[ ]*\d{1,3}|-[ ]*\d{1,3}[ ]*-|"
    r"\d{1,3})[ ]*$"
)


@dataclass
class Normalised:
    text: str
    offsets: OffsetMap
    changes: dict[str, int] = field(default_factory=dict)


def normalise(original: str) -> Normalised:
    """NFC, plain spaces and apostrophes, words cut at line ends rejoined, page numbers gone.

    >>> n = normalise("Hénin-\\nBeaumont, l’atelier de maté-\\nriel\\u00a0: 2/3\\nPage 2\\nfin")
    >>> n.text
    "Hénin-\\nBeaumont, l'atelier de matériel : 2/3\\n\\nfin"
    >>> n.offsets.to_old(n.text.index("fin")) - n.text.index("fin")  # "-\\n" and "Page 2"
    8
    >>> normalise("e\\u0301te\\u0301").text
    'été'
    """
    changes = {}
    text, offsets = original, None
    if not unicodedata.is_normalized("NFC", text):
        text, offsets = sub_with_map(
            _COMBINING_RE, lambda m: unicodedata.normalize("NFC", m.group(0)), text
        )
        changes["nfc"] = len(offsets.anchors)
    changes["characters"] = 0
    for ch in _ONE_TO_ONE_CHARS:  # a few C-level replaces beat a translate table
        if ch in text:
            changes["characters"] += text.count(ch)
            text = text.replace(ch, _ONE_TO_ONE[ord(ch)])
    text, offsets = sub_with_map(_HYPHENATION_RE, "", text, offsets)
    changes["hyphenation"] = len(offsets.anchors)
    text, offsets = sub_with_map(_FURNITURE_RE, "", text, offsets)
    changes["page_furniture"] = len(offsets.anchors)
    return Normalised(text, offsets, changes)


# ---------------------------------------------------------------------------------------------
# Step 2: paragraphs
# ---------------------------------------------------------------------------------------------

CONTACT_RE = re.compile(
    r"^\s*(?:[-•*]\s*)?(?:pour\s+)?(?:plus\s+d'informations?|plus\s+d'infos?|informations?|infos?|"
    r"contacts?|renseignements?|site(?:\s+internet)?|facebook|t[ée]l(?:[ée]phone)?\.?|"
    r"courriel|e-?mail|mail)\s*:",
    re.IGNORECASE,
)
_BULLET_RE = re.compile(r"^\s*(?:[-•*–]\s*|\d{1,2}[.)]\s+)(?=\S)")


@dataclass
class Paragraph:
    start: int
    end: int
    text: str
    kind: str = "body"  # header | heading | contact | prefect | cta | intro | body | other
    bullet: bool = False


def split_paragraphs(text: str) -> list[Paragraph]:
    """Blank lines, bullets and contact lines open paragraphs; a contact line closes one.

    >>> [p.text for p in split_paragraphs("Un.\\nDeux.\\n\\n- Trois\\nContact : x@y.fr\\n - Quatre")]
    ['Un.\\nDeux.', '- Trois', 'Contact : x@y.fr', '- Quatre']
    """
    paragraphs: list[Paragraph] = []
    current: list[tuple[int, int]] = []
    after_contact = False

    def close():
        nonlocal current
        if current:
            start = current[0][0]
            end = current[-1][1]
            raw = text[start:end]
            lead = len(raw) - len(raw.lstrip())
            start += lead
            end = start + len(raw.strip())
            bullet = bool(_BULLET_RE.match(text[start:end]))
            paragraphs.append(Paragraph(start, end, text[start:end], bullet=bullet))
        current = []

    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        stripped = line.strip()
        if not stripped:
            close()
            after_contact = False
            continue
        is_contact = bool(CONTACT_RE.match(line))
        if _BULLET_RE.match(line) or is_contact or (after_contact and not _is_contact_value(line)):
            close()
        current.append((start, end))
        if is_contact:
            after_contact = True
        elif after_contact and not _is_contact_value(line):
            after_contact = False
    close()
    return paragraphs


def _is_contact_value(line: str) -> bool:
    """A line that only continues a contact line: a URL, an address, a phone number."""
    s = line.strip()
    return bool(
        re.match(r"^(?:https?://|www\.)\S+$", s)
        or re.match(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$", s)
        or re.match(r"^[+\d][\d .]{8,}$", s)
    )


# ---------------------------------------------------------------------------------------------
# Step 3: header (title, number, date, place of issue)
# ---------------------------------------------------------------------------------------------

_DATE_RE = re.compile(
    rf"\b(?:le\s+)?(\d{{1,2}}|1er)\s+({MONTH_PATTERN})\s+(\d{{4}})\b", re.IGNORECASE
)
_DATELINE_RE = re.compile(
    r"^\s*([A-ZÀ-Ý][\w'\- ]{1,60}?)\s*,\s*(?:(?:mis(?:e)?\s+à\s+jour|publi[ée]e?)\s+)?le\s+"
    r"(?:(?:\w+\s+)?(?:\d{1,2}|1er)\s+\w+\s+\d{4}|\d{1,2}/\d{1,2}/\d{4})",
    re.UNICODE,
)
_NUMERIC_DAY_RE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_NUMBER_RE = re.compile(r"\b(?:n\s*°|n[or]\.?\s*|num[ée]ro\s+)\s*(\d{1,4})\b", re.IGNORECASE)


@dataclass
class Header:
    title: str | None = None
    number: int | None = None
    date: str | None = None
    place: str | None = None
    place_span: tuple[int, int] | None = None
    spans: list[tuple[str, int, int, str]] = field(default_factory=list)


def parse_date(text: str) -> str | None:
    """ISO date of the first French date in ``text``.

    >>> parse_date("Arras, le 24 avril 2020"), parse_date("1er août 2021"), parse_date("x")
    ('2020-04-24', '2021-08-01', None)
    >>> parse_date("Mis à jour le 07/05/2020")
    '2020-05-07'

    """
    m = _DATE_RE.search(text)
    if not m:
        numeric = _NUMERIC_DAY_RE.search(text)  # "mis à jour le 07/05/2020"
        if numeric and 1 <= int(numeric.group(2)) <= 12 and 1 <= int(numeric.group(1)) <= 31:
            day, month, year = (int(g) for g in numeric.groups())
            return f"{year:04d}-{month:02d}-{day:02d}"
        return None
    day = 1 if m.group(1) == "1er" else int(m.group(1))
    month = month_number(m.group(2))
    return f"{int(m.group(3)):04d}-{month:02d}-{day:02d}"


def read_header(paragraphs: list[Paragraph]) -> Header:
    r"""Dateline, title and number from the short lines that open the document.

    >>> ps = split_paragraphs("Arras, le 24 avril 2020\n\nCovid-19 : le Pas-de-Calais solidaire n°6\n\nTexte.")
    >>> h = read_header(ps)
    >>> (h.title, h.number, h.date, h.place), [p.kind for p in ps]
    (('Covid-19 : le Pas-de-Calais solidaire', 6, '2020-04-24', 'Arras'), ['header', 'header', 'body'])
    >>> h = read_header(split_paragraphs("LETTRE N° 12\nLyon, le 15 mai 2020\n\nTexte."))
    >>> (h.title, h.number, h.date, h.place)
    ('LETTRE', 12, '2020-05-15', 'Lyon')
    """
    header = Header()
    for paragraph in paragraphs[:4]:
        if len(paragraph.text) > 300 or paragraph.kind != "body":
            break
        offset = paragraph.start
        for line in paragraph.text.split("\n"):
            if not _read_header_line(header, line, offset):
                return header
            offset += len(line) + 1
        paragraph.kind = "header"
    return header


def _read_header_line(header: Header, line: str, offset: int) -> bool:
    """Take what ``line`` tells of the header; False when it is not a header line."""
    text = line.strip()
    offset += len(line) - len(line.lstrip())
    if not text:
        return True
    if len(text) > 160 or text.startswith("##"):
        return False  # "## …" is a section heading, never the title
    text = text.lstrip("# ") if text.startswith("# ") else text
    dateline = _DATELINE_RE.match(text)
    number = _NUMBER_RE.search(text)
    subject = re.match(r"^(?:objet|sujet)\s*:\s*(.+)$", text, re.IGNORECASE)
    if dateline and header.date is None:
        header.place = dateline.group(1).strip()
        start = offset + dateline.start(1)
        header.place_span = (start, start + len(header.place))
        header.date = parse_date(text)
        header.spans.append(("place_of_issue", *header.place_span, header.place))
    elif number and header.number is None:
        header.number = int(number.group(1))
        title = re.sub(r"\s+", " ", text[: number.start()]).strip(" -–:,")
        header.title = header.title or title or None
        header.spans.append(
            ("number", offset + number.start(), offset + number.end(), number.group(1))
        )
    elif subject and header.title is None:
        header.title = subject.group(1).strip()
    elif re.match(r"^(?:publi[ée]e?|mis en ligne|mise? à jour)\b.*\d{4}$", text, re.IGNORECASE):
        header.date = header.date or parse_date(text)
    elif header.title is None and "." not in text and len(text) < 120 and not text.endswith(":"):
        header.title = text
    elif re.match(r"^(?:de|à|a|date|envoy[ée])\s*:", text, re.IGNORECASE):
        header.date = header.date or parse_date(text)
    else:
        return False
    return True


# ---------------------------------------------------------------------------------------------
# Step 4: sections and paragraph kinds
# ---------------------------------------------------------------------------------------------

_PREFECT_RE = re.compile(
    r"\bpr[ée]f[eè]te?\b.{0,200}?\b(?:salue|remercie|rappelle|insiste|tient|f[ée]licite|"
    r"souligne|invite|appelle)",
    re.IGNORECASE | re.DOTALL,
)
_CTA_RE = re.compile(
    r"\b(?:s'engager|engagez-vous|r[ée]serve civique|jeveuxaider|je veux aider|inscrivez-vous|"
    r"rejoignez|lance un appel)",
    re.IGNORECASE,
)
_GREETING_RE = re.compile(
    r"^\s*(?:madame|monsieur|mesdames|bonjour|cordialement|bien cordialement|"
    r"salutations|veuillez agr[ée]er|je vous prie|le maire|la maire|signé)\b",
    re.IGNORECASE,
)


_NOT_HEADING = {
    "les",
    "la",
    "le",
    "des",
    "voici",
    "parmi",
    "on",
    "nous",
    "ces",
    "ainsi",
    "notamment",
    "exemples",
    "par",
    "plusieurs",
    "quelques",
    "de",
    "il",
    "elle",
}


def heading_title(text: str) -> str | None:
    """The section title if ``text`` is a heading, else None.

    >>> heading_title("-Solidaires dans l'approvisionnement et la production de matériel de \\nprotection :")
    "Solidaires dans l'approvisionnement et la production de matériel de protection"
    >>> heading_title("## Aide aux aînés"), heading_title("Au-delà des dons. On cite les initiatives :")
    ('Aide aux aînés', None)
    """
    if len(text) > 300 and not text.startswith("#"):
        return None
    flat = re.sub(r"\s+", " ", text).strip()
    if flat.startswith("#"):
        return flat.lstrip("#").strip() or None
    if len(flat) > 160 or re.search(r"[.!?]\s", flat) or CONTACT_RE.match(flat):
        return None
    letters = [ch for ch in flat if ch.isalpha()]
    shouting = len(letters) >= 8 and sum(ch.isupper() for ch in letters) > 0.8 * len(letters)
    first_word = fold(flat.split(" ", 1)[0]) if flat else ""
    plain_heading = len(flat) < 90 and flat[:1].isupper() and first_word not in _NOT_HEADING
    if flat.endswith(":") and (flat[0] in "-•*–" or shouting or plain_heading):
        return flat.strip("-•*– :").strip() or None
    if shouting and not re.search(r"\d{4}", flat):
        return flat.strip("-•*– :").strip() or None
    return None


def classify(paragraphs: list[Paragraph]) -> list[str]:
    """Mark headings, contact lines, the préfet's words, calls to action and list intros.

    Returns the section titles in order.

    >>> ps = split_paragraphs("-Aide aux aînés :\\n\\nLe préfet salue les bénévoles.\\n\\n"
    ...                       "Les actions :\\n\\n- A Lens, des courses.\\nContact : mairie")
    >>> classify(ps), [p.kind for p in ps]
    (['Aide aux aînés'], ['heading', 'prefect', 'intro', 'body', 'contact'])
    """
    sections = []
    for paragraph in paragraphs:
        if paragraph.kind != "body":
            continue
        text = paragraph.text
        title = heading_title(text)
        if CONTACT_RE.match(text):
            paragraph.kind = "contact"
        elif title:
            paragraph.kind = "heading"
            sections.append(title)
        elif "préf" in text[:300].lower() and _PREFECT_RE.search(text[:300]):
            paragraph.kind = "prefect"
        elif _CTA_RE.search(text):
            paragraph.kind = "cta"
        elif _GREETING_RE.match(text) and len(text) < 200:
            paragraph.kind = "other"
        elif text.rstrip().endswith(":"):
            paragraph.kind = "intro"
    return sections


def mark_header(paragraphs: list[Paragraph]) -> tuple[Header, list[Paragraph]]:
    """``read_header`` without touching its input: the header and new paragraphs.

    >>> ps = split_paragraphs("Arras, le 24 avril 2020\\n\\nTexte.")
    >>> header, marked = mark_header(ps)
    >>> [p.kind for p in ps], [p.kind for p in marked], header.place
    (['body', 'body'], ['header', 'body'], 'Arras')
    """
    # read_header looks at the first four paragraphs only: the others are passed on as they are.
    copies = [_copy(p) for p in paragraphs[:4]] + list(paragraphs[4:])
    return read_header(copies), copies


def mark_kinds(paragraphs: list[Paragraph]) -> tuple[list[str], list[Paragraph]]:
    """``classify`` without touching its input: the section titles and new paragraphs.

    >>> ps = split_paragraphs("AIDE AUX AÎNÉS :\\n\\nÀ Lens, des courses.")
    >>> sections, marked = mark_kinds(ps)
    >>> sections, [p.kind for p in ps], [p.kind for p in marked]
    (['AIDE AUX AÎNÉS'], ['body', 'body'], ['heading', 'body'])
    """
    copies = [_copy(p) if p.kind == "body" else p for p in paragraphs]  # only "body" changes
    return classify(copies), copies


def _copy(p: Paragraph) -> Paragraph:
    return Paragraph(p.start, p.end, p.text, p.kind, p.bullet)


@dataclass(frozen=True)
class InitiativeGroup:
    """The paragraphs of one initiative, its section, and the places of its list's intro."""

    paragraphs: tuple[Paragraph, ...]
    section: int | None
    context: tuple = ()  # places of the list intro, for a list item naming none


@dataclass(frozen=True)
class Grouping:
    initiatives: tuple[InitiativeGroup, ...]
    calls: tuple[tuple[Paragraph, ...], ...]  # the calls to action, each with its contacts


def _places_between(places, start: int, end: int) -> list:
    return [p for p in places if start <= p.start < end]


# A list of at least this many communes, named again as a whole, is the same action again.
REPEATED_LIST_MIN = 3


def group_initiatives(paragraphs: list[Paragraph], places) -> Grouping:
    """Paragraphs into initiatives; the rules, in the order a reader applies them:

    - a heading opens a section; the paragraph right after it that names no commune is the
      section's introduction, as is a paragraph ending with ":" that introduces a list;
    - a paragraph naming its own commune opens a new initiative, unless it only names again
      the communes of the open one (a list repeated, a "Contact" paragraph of the same town):
      then it continues it; a paragraph ending with ":" that names its own commune and is
      followed by no list is an initiative like any other;
    - a paragraph naming none continues the open initiative ("Bien entendu, il a…"),
      or, if none is open, leads the next one ("Plusieurs collectivités du secteur…");
    - a contact line closes the initiative whose paragraph it follows;
    - the préfet's words and the calls to action are never initiatives;
    - a list item (bullet) is an initiative of its own, in the places of its list's intro
      when it names none;
    - an initiative naming the same list of communes (three or more) as the one before it
      is that one, described again further on.

    ``places`` are the places found (objects with ``kind`` and ``start``); nothing given is
    changed.

    >>> from types import SimpleNamespace as P
    >>> ps = split_paragraphs(
    ...     "À Lens, des masques.\\n\\nLes bénévoles ont aussi livré des fleurs.\\n\\n"
    ...     "À Arras, la mairie et trois restaurateurs du centre-ville livrent chaque jour des "
    ...     "repas aux aînés :\\n\\nÀ Liévin, des visières."
    ... )
    >>> places = [P(kind="commune", start=ps[i].start + 2) for i in (0, 2, 3)]
    >>> grouping = group_initiatives(mark_kinds(ps)[1], places)
    >>> [[p.text[:9] for p in g.paragraphs] for g in grouping.initiatives]
    [['À Lens, d', 'Les bénév'], ['À Arras, '], ['À Liévin,']]

    The same list of communes after a heading is the same action:

    >>> ps = mark_kinds(split_paragraphs(
    ...     "Les communes de Lens, Liévin et Arras ont un plan.\\n\\nNOTICE DE PRÉSENTATION\\n\\n"
    ...     "Le plan des communes de Lens, Liévin et Arras est prêt."
    ... ))[1]
    >>> places = [
    ...     P(kind="commune", code=name, start=ps[i].start + ps[i].text.index(name))
    ...     for i in (0, 2) for name in ("Lens", "Liévin", "Arras")
    ... ]
    >>> [len(g.paragraphs) for g in group_initiatives(ps, places).initiatives]
    [2]
    """
    places = sorted(places, key=lambda p: p.start)
    starts = [p.start for p in places]

    def own_places(paragraph):
        return places[
            bisect.bisect_left(starts, paragraph.start) : bisect.bisect_left(starts, paragraph.end)
        ]

    def codes(found):
        return {getattr(p, "code", id(p)) for p in found if p.kind == "commune"}

    initiatives: list[InitiativeGroup] = []
    ctas: list[list[Paragraph]] = []
    section = None
    current: list[Paragraph] | None = None
    current_section = None
    current_context: tuple = ()
    current_codes: set = set()
    lead: Paragraph | None = None
    after_heading = False
    list_context: list = []
    seen_heading = any(p.kind == "heading" for p in paragraphs)
    in_cta = False

    last_codes: set = set()

    def close():
        nonlocal current, current_codes, last_codes
        if current is not None:
            if (
                initiatives
                and len(current_codes) >= REPEATED_LIST_MIN
                and current_codes == last_codes
            ):
                # The same list of communes again, further on (after a page break or a
                # heading): the same action described twice, not a second one.
                last = initiatives.pop()
                initiatives.append(
                    InitiativeGroup((*last.paragraphs, *current), last.section, last.context)
                )
            else:
                initiatives.append(
                    InitiativeGroup(tuple(current), current_section, current_context)
                )
                last_codes = set(current_codes)
        current, current_codes = None, set()

    def open_(items, context=()):
        nonlocal current, current_section, current_context, current_codes
        close()
        current, current_section, current_context = list(items), section, tuple(context)
        current_codes = set().union(*(codes(own_places(p)) for p in current))

    kinds = [p.kind for p in paragraphs]
    for index, paragraph in enumerate(paragraphs):
        kind = kinds[index]
        if kind in ("header", "other"):
            continue
        if kind == "heading":
            close()
            lead = None
            section = 0 if section is None else section + 1
            after_heading = True
            list_context = []
            in_cta = False
            continue
        if kind == "contact":
            if in_cta and ctas:
                ctas[-1].append(paragraph)
            elif current is not None:
                current.append(paragraph)
                close()
            elif lead is not None:
                open_([lead, paragraph])
                lead = None
                close()
            elif initiatives:
                last = initiatives.pop()
                initiatives.append(
                    InitiativeGroup((*last.paragraphs, paragraph), last.section, last.context)
                )
            continue
        if kind == "prefect":
            close()
            lead = None
            in_cta = False
            continue
        own = own_places(paragraph)
        communes = [p for p in own if p.kind == "commune"]
        if kind == "cta" and communes:
            kind = "body"  # a local action that also calls for help is still an action
        if kind == "cta":
            close()
            ctas.append([paragraph])
            in_cta = True
            continue
        in_cta = False
        if kind == "intro":
            following = next((p for p in paragraphs[index + 1 :] if p.kind != "contact"), None)
            if not (communes and not (following is not None and following.bullet)):
                close()
                list_context = communes
                after_heading = False
                continue
            kind = "body"  # names its own commune and introduces no list
        if paragraph.bullet:
            open_([paragraph], list_context if not own else ())
            after_heading = False
            continue
        if communes:
            if current is not None and codes(communes) <= current_codes:
                current.append(paragraph)  # names again the open initiative's communes
            else:
                open_([lead, paragraph] if lead else [paragraph])
                lead = None
        elif after_heading or (seen_heading and section is None and not own):
            pass  # the section's (or the document's) introduction
        elif current is not None:
            current.append(paragraph)
        elif own:
            lead = paragraph  # names an area only: it leads the initiative that follows
        after_heading = False
    close()
    return Grouping(tuple(initiatives), tuple(tuple(c) for c in ctas))


def match_theme(title: str, theme_names: list[str]) -> int | None:
    """Index of the campaign theme a section heading names, if any.

    >>> match_theme("Solidaires avec les personnels soignants ", ["Aînés", "Solidaires avec les soignants"])
    1
    >>> match_theme("Divers", ["Aînés"]) is None
    True
    """
    from rapidfuzz import fuzz

    best, best_score = None, 0.0
    for i, name in enumerate(theme_names):
        score = fuzz.token_set_ratio(fold(title), fold(name))
        if score > best_score:
            best, best_score = i, score
    return best if best_score >= 80 else None


# ---------------------------------------------------------------------------------------------
# Step 5: contacts (URLs, e-mails, phones)
# ---------------------------------------------------------------------------------------------

URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"«»]+", re.IGNORECASE)
EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)


def find_urls(text: str) -> list[tuple[int, int, str]]:
    """URLs with their spans; trailing punctuation is not part of them.

    >>> find_urls("Voir https://www.facebook.com/lanterne.noire.tattoo/. Et www.arras.fr).")
    [(5, 52, 'https://www.facebook.com/lanterne.noire.tattoo/'), (57, 69, 'www.arras.fr')]
    """
    found = []
    for m in URL_RE.finditer(text):
        value = m.group(0).rstrip(".,;:!?)]}'")
        found.append((m.start(), m.start() + len(value), value))
    return found


def find_emails(text: str) -> list[tuple[int, int, str]]:
    """E-mail addresses, non-ASCII local parts included.

    >>> find_emails("Contact : solidarité.grandarras@cu-arras.org.")
    [(10, 44, 'solidarité.grandarras@cu-arras.org')]
    """
    found = []
    for m in EMAIL_RE.finditer(text):
        value = m.group(0).rstrip(".")
        found.append((m.start(), m.start() + len(value), value))
    return found


_PHONE_WINDOW_RE = re.compile(r"[+(]?\d[\d .()/-]{7,}\d")


def find_phones(text: str) -> list[tuple[int, int, str]]:
    """French phone numbers as E.164.

    >>> find_phones("C.C.A.S Lillers / Tel : 03 21 61 36 10")
    [(24, 38, '+33321613610')]
    """
    found = []
    # The matcher is slow on long texts: give it only the stretches that hold enough digits.
    for window in _PHONE_WINDOW_RE.finditer(text):
        offset = max(0, window.start() - 2)
        chunk = text[offset : window.end() + 1]
        for match in phonenumbers.PhoneNumberMatcher(chunk, "FR"):
            e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
            found.append((offset + match.start, offset + match.end, e164))
    return found


def contact_text(paragraph: str) -> str | None:
    """A contact given in words ("auprès des mairies concernées"), without URL/e-mail/phone.

    >>> contact_text("Contact : auprès des mairies concernées "), contact_text("Contact : 03 21 00 00 00")
    ('auprès des mairies concernées', None)
    """
    m = CONTACT_RE.match(paragraph)
    if not m:
        return None
    value = re.sub(r"\s+", " ", paragraph[m.end() :]).strip()
    if not value or "@" in value or URL_RE.search(value) or re.search(r"\d{2}\D?\d{2}", value):
        return None
    return value


# ---------------------------------------------------------------------------------------------
# Step 6: quantities
# ---------------------------------------------------------------------------------------------

_NUMBER_WORDS = {
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
    "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100, "mille": 1000,
}  # fmt: skip
_APPROX_WORDS = {
    "dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30,
    "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100, "millier": 1000,
}  # fmt: skip
# Not a product of the initiative: people it mobilised, means it used, time, money units…
_NOT_ITEMS = {
    "salarie", "benevole", "couturiere", "couturier", "personne", "habitant", "agent", "elu",
    "membre", "volontaire", "jeune", "enfant", "eleve", "etudiant", "famille", "soignant",
    "infirmier", "infirmiere", "medecin", "pompier", "commercant", "entreprise", "association",
    "commune", "partenaire", "participant", "imprimante", "machine", "decoupeuse", "vehicule",
    "voiture", "camion", "minibus", "jour", "semaine", "mois", "an", "annee", "heure", "minute",
    "numero", "edition", "fois", "temps", "etape", "h", "km", "kilometre", "metre", "m", "pour", "cent", "ans",
    *MONTH_NUMBERS, "de", "des", "du", "d", "la", "le", "les", "l", "ses",
    "leurs", "nos", "vos", "et", "a", "en", "sur", "dans", "par", "ou", "qui", "que", "se",
    "ont", "sont", "un", "une", "ce", "cet", "cette", "ces", "autres", "premiers", "premieres", "derniers", "reprises", "euro",
    "place", "lieu", "point", "site", "quartier", "secteur", "communes", "villes",
    "elus", "euros", "numeros",  # plurals whose final s the singular keeps
    "restaurateur", "artisan", "producteur", "agriculteur", "chauffeur", "livreur", "educateur",
    "animateur", "professionnel", "resident", "senior", "aine", "citoyen", "voisin", "adherent",
    "supporter", "joueur", "sportif", "licencie", "parent", "collegien", "lyceen", "salariee",
    # words that follow a year or a count without being an item ("en 2020 plus de…")
    "plus", "moins", "avec", "sans", "dont", "avant", "apres", "depuis", "mais", "puis",
    "ainsi", "aussi", "deja", "encore", "environ", "chez", "contre", "entre", "vers", "selon",
}  # fmt: skip
_NUM = r"\d{1,3}(?:[ .]\d{3})+(?!\d)|\d+"
_QUANTITY_RE = re.compile(
    rf"(?<![\w°/.,+-])(?:(?P<approx>[Ee]nviron|[Pp]rès de|[Pp]res de|[Qq]uelque|[Pp]lus de|"
    rf"[Pp]as moins de)\s+)?"
    rf"(?:(?:(?P<num>{_NUM})|(?P<word>{'|'.join(_NUMBER_WORDS)}))\s+(?:de\s+|d')?|"
    rf"(?:[Uu]ne?|[Dd]es|[Pp]lusieurs)\s+(?P<approxword>{'|'.join(_APPROX_WORDS)})s?\s+"
    r"(?:de\s+|d')?)"
    r"(?P<item>[a-zà-ÿœ]{2,}(?:-[a-zà-ÿœ]+)?)"
)
_UNITS = {"kg", "kilos", "kilogrammes", "tonnes", "t", "litres", "l", "cartons", "palettes"}
_UNIT_OF_RE = re.compile(r"\s+(?:de\s+|d')([a-zà-ÿœ]{3,}(?:-[a-zà-ÿœ]+)?)")
_PERIOD_RE = re.compile(
    r"[^.;:]{0,60}?\b(?:en|sur|pendant)\s+((?:\d+|un|une|deux|trois|quatre|cinq|six|sept|huit|"
    r"neuf|dix|quelques)\s+(?:jours?|semaines?|mois|heures?|ans?))\b|[^.;:]{0,40}?\b"
    r"(par\s+(?:jour|semaine|mois))\b",
    re.IGNORECASE,
)


@dataclass
class QuantityFound:
    count: int
    item: str
    approximate: bool
    period: str | None
    start: int
    end: int


def find_quantities(text: str, skip: list[tuple[int, int]] = ()) -> list[QuantityFound]:
    """What was produced, given or served, with counts.

    >>> [(q.count, q.item, q.approximate, q.period) for q in find_quantities(
    ...     "deux de ses salariés ont produit 1 300 visières en trois semaines grâce à une "
    ...     "demi-douzaine d'imprimantes 3D ; 1.000 masques et une centaine de repas ; 62 couturières")]
    [(1300, 'visières', False, 'trois semaines'), (1000, 'masques', False, None), (100, 'repas', True, None)]
    """
    found = []
    for m in _QUANTITY_RE.finditer(text):
        if any(s <= m.start() < e for s, e in skip):
            continue
        item = m.group("item")
        if not item.islower() or singular(fold(item)) in _NOT_ITEMS or fold(item) in _NOT_ITEMS:
            continue
        approximate = bool(m.group("approx") and "plus" not in m.group("approx").lower())
        if m.group("num"):
            digits = re.sub(r"[ .]", "", m.group("num"))
            count = int(digits)
            after = text[m.end("num") : m.end("num") + 2]
            if after[:1] in "%€" or 1900 <= count <= 2100 and item in ("et", "au"):
                continue
        elif m.group("word"):
            count = _NUMBER_WORDS[m.group("word").lower()]
            # "deux salariés", "trois semaines" are people or time; a spelled-out count is
            # only a quantity when it is large.
            if count < 10:
                continue
        else:
            count = _APPROX_WORDS[m.group("approxword").lower().rstrip("s")]
            approximate = True
        if count == 0:
            continue
        if _is_participle(item):  # "2 500 réalisés": the item is the noun said before
            item = _item_before(text, m.start(), found)
            if item is None:
                continue
        unit = _UNIT_OF_RE.match(text, m.end())
        end = m.end()
        if fold(item) in _UNITS and unit:
            item, end = f"{item} de {unit.group(1)}", unit.end()  # "800 kg de denrées"
        period_match = _PERIOD_RE.match(text, end)
        period = None
        if period_match:
            period = period_match.group(1) or period_match.group(2)
        found.append(QuantityFound(count, item, approximate, period, m.start(), end))
    return found


_NOT_PARTICIPLES = {"cafe", "bebe", "cle", "the", "pre", "de", "ete", "cite", "societe", "idee",
                    "annee", "journee", "soiree", "armee", "entree", "denree", "tournee"}  # fmt: skip
_ITEM_BEFORE_RE = re.compile(r"\b(?:des|de|d'|les|aux|ces)\s*([a-zà-ÿœ]{4,}s)\b")


def _is_participle(item: str) -> bool:
    """ "réalisés", "distribuées": a past participle, not a thing.

    >>> _is_participle("réalisés"), _is_participle("denrées"), _is_participle("masques")
    (True, False, False)
    """
    return bool(re.search(r"(?:é|ée|és|ées|is|ies|us|ues)$", item)) and (
        item.endswith(("é", "ée", "és", "ées"))
        and singular(fold(item)) not in _NOT_PARTICIPLES
        and fold(item).rstrip("s") not in _NOT_PARTICIPLES
    )


def _item_before(text: str, start: int, found: list) -> str | None:
    """The noun a count without one refers to: the last item counted, or the last plural
    thing the sentence named ("confectionner des masques… 2 500 réalisés").

    >>> _item_before("afin de confectionner des masques. Déjà 2 500 réalisés", 43, [])
    'masques'
    """
    if found:
        return found[-1].item
    candidates = [
        m.group(1)
        for m in _ITEM_BEFORE_RE.finditer(text, max(0, start - 300), start)
        if singular(fold(m.group(1))) not in _NOT_ITEMS and not _is_participle(m.group(1))
    ]
    return candidates[-1] if candidates else None


# ---------------------------------------------------------------------------------------------
# Step 7: actor, kind, beneficiaries, people
# ---------------------------------------------------------------------------------------------

_ACTOR_PATTERNS = [
    r"«\s*([A-ZÀ-Ý][^»]{1,60}?)\s*»",
    r"\b((?:le |la |l')?(?:CCAS|C\.C\.A\.S\.?) (?:de |d')?[A-ZÀ-Ý][\w'-]+(?:[- ][A-ZÀ-Ý][\w'-]+)*)",
    # the name runs to the first lowercase word that is not a "de la" before a capital
    r"\b(l'association [A-ZÀ-Ý«][^,.;:()]{2,60}?)(?=\s+(?:(?:de|du|des)\s+(?!\s|(?:la |l'|les )?"
    r"[A-ZÀ-Ý])|d'(?![A-ZÀ-Ý])|(?!(?:de|du|des|la|le|les)\s|d'|l')[a-zà-ÿ])|[,.;:(]|$)",
    r"\b((?:la )?commune (?:de |d')[A-ZÀ-Ý][\w'-]+(?:-[\w'-]+)*)",
    r"\b((?:la )?[Mm]airie (?:de |d')[A-ZÀ-Ý][\w'-]+(?:-[\w'-]+)*)",
    r"\b((?:la )?[Vv]ille (?:de |d')[A-ZÀ-Ý][\w'-]+(?:-[\w'-]+)*)",
    r"\b((?:la )?Communaut[ée] [Uu]rbaine(?: (?:de |d')[A-ZÀ-Ý][\w'-]+)?)",
    r"\b((?:de |des |la |le |l')?(?:[Mm]aison|[Cc]entre|[Ss]ervice|[Cc]lub|[Éé]cole) "
    r"(?:du |de la |de l'|des |de )?[\w'-]+(?: (?:et de l'|et de la |et des |et du )[\w'-]+)?)",
    r"\b(l'entreprise [^,.;:]{2,60}?)(?=[,.;:])",
    r"\b((?:les )?[A-Z][\w]+ [A-Z][\w]+ [A-Z][\w]+ \([A-Z]{2,}\))",
]


# Who acts is said early: the actor is looked for in the first characters only.
ACTOR_WINDOW = 400


_ACTOR_RE = re.compile("|".join(f"(?:{p})" for p in _ACTOR_PATTERNS[1:]))
_QUOTED_RE = re.compile(_ACTOR_PATTERNS[0])


_KIND_WORDS = {
    **dict.fromkeys(("supporters", "supporter", "ultras", "football", "rugby", "handball",
                     "basket", "club"), "club"),
    **dict.fromkeys(("metropole", "intercommunalite", "epci"), "intercommunality"),
    **dict.fromkeys(("ccas", "commune", "mairie", "municipalite", "municipaux", "municipal",
                     "municipale", "municipales", "maire", "collectivite", "collectivites"),
                    "municipality"),
    **dict.fromkeys(("association", "associatif", "associative", "asso", "amicale"),
                    "association"),
    **dict.fromkeys(("entreprise", "entreprises", "societe", "sarl", "sas", "commerce",
                     "commercant", "commercante", "boulangerie", "boucherie", "pharmacie",
                     "barbier", "coiffeur", "coiffeuse", "restaurant", "magasin", "enseigne",
                     "usine", "tatouage", "artisan"), "company"),
    **dict.fromkeys(("hopital", "sdis", "pompiers", "gendarmerie", "police", "lycee", "college",
                     "ecole", "universite", "prefecture"), "public_service"),
    **dict.fromkeys(("habitant", "habitants", "citoyen", "citoyens", "benevoles", "voisins",
                     "particulier", "particuliers", "riverains"), "citizens"),
}  # fmt: skip
_TOKEN_RE = re.compile(r"[\w.]+")
_EPCI_ACRONYM_RE = re.compile(r"(?:CU[A-Z]?|CA[A-Z0-9]{1,5}|EPCI)")


@lru_cache(maxsize=65536)
def _token_key(token: str) -> str:
    return fold(token).replace(" ", "")


def guess_actor_kind(text: str) -> str:
    """The kind of actor the text names first (a word-by-word look-up, fast on long texts).

    >>> guess_actor_kind("le CCAS de Lillers s'est organisé"), guess_actor_kind("l'entreprise de tatouage")
    ('municipality', 'company')
    >>> guess_actor_kind("les bénévoles du club couture de la Communauté Urbaine")
    'citizens'
    >>> guess_actor_kind("avec la CUA"), guess_actor_kind("agents de l'agglomération")
    ('intercommunality', 'other')
    """
    # Token by token, up to the first that says a kind: most texts say it early.
    for m in _TOKEN_RE.finditer(text, 0, ACTOR_WINDOW):
        token = m.group(0).strip(".")
        if token.isupper() and _EPCI_ACRONYM_RE.fullmatch(token):
            return "intercommunality"
        if token in ("FC", "RC"):
            return "club"
        word = _token_key(token)
        if word in ("communaute", "ville", "club"):
            # What follows is only read for the few words it qualifies.
            after = _TOKEN_RE.finditer(text, m.end(), ACTOR_WINDOW)
            following = fold(" ".join(n.group(0).strip(".") for n in itertools.islice(after, 2)))
            if word == "communaute" and following.split(" ")[:1] in (["urbaine"], ["d"], ["de"]):
                return "intercommunality"
            if word == "ville" and following.startswith("de "):
                return "municipality"
            if word == "club" and following.startswith("couture"):
                continue
        if word == "agglomeration" and token[:1].isupper():
            return "intercommunality"
        kind = _KIND_WORDS.get(word)
        if kind:
            return kind
    return "other"


def guess_actor(text: str) -> str | None:
    """A short name of who carries the initiative.

    >>> guess_actor("l'entreprise de tatouage, la « Lanterne noire », basée à Hénin")
    'Lanterne noire'
    >>> guess_actor("Le CCAS de Lillers s'est organisé")
    'CCAS de Lillers'
    >>> guess_actor("l'association Les Amis de la Baie distribue des repas")
    "L'association Les Amis de la Baie"
    """
    m = _QUOTED_RE.search(text, 0, ACTOR_WINDOW) or _ACTOR_RE.search(text, 0, ACTOR_WINDOW)
    if not m:
        return None
    found = next(g for g in m.groups() if g)
    name = re.sub(r"\s+", " ", found).strip()
    name = re.sub(r"^(?:de |des |le |la |les )", "", name)
    return name[:1].upper() + name[1:]


_BENEFICIARY_RE = re.compile(
    r"\b(?:à l'attention des?|au profit des?|à destination des?|en faveur des?|"
    r"pour les|aux|des)\s+((?:personnels? soignants?|soignants|personnes? (?:âgées|isolées|"
    r"fragiles|vulnérables|handicapées|confinées)|aînés|seniors|commerçants|sans-abri|"
    r"étudiants|familles|enfants|agents?)[^.;:()]{0,60}?)(?=[.;:(]| qui | afin| pour| à |$)",
    re.IGNORECASE,
)


def find_beneficiaries(text: str) -> str | None:
    """Who benefits, when the text says so.

    >>> find_beneficiaries("des visières à l'attention des soignants, livreurs, agents de la ville.")
    'soignants, livreurs, agents de la ville'
    """
    m = _BENEFICIARY_RE.search(re.sub(r"\s+", " ", text[:1500]))
    return m.group(1).strip() if m else None


_PERSON_FULL_RE = re.compile(
    r"\b(?:(?:M\.|Mme|Mlle|Monsieur|Madame)\s+)?([A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?)\s+"
    r"([A-ZÀ-Ý]{2,}(?:[- ][A-ZÀ-Ý]{2,})?)\b"
)
_TITLE_PERSON_RE = re.compile(
    r"\b(?:M\.|Mme|Mlle|Monsieur|Madame)\s+([A-ZÀ-Ý][a-zà-ÿ]+(?:[- ][A-ZÀ-Ý][\wà-ÿ-]+)?)"
)
_WORD_RE = re.compile(r"(?<![\w'-])([A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?)\b(?!-)")
_NOT_BEFORE_NAME = re.compile(
    r"(?:saint|sainte|st|ste|rue|place|avenue|boulevard|école|collège|lycée|centre|"
    r"hôpital|hospitalier|salle|stade|espace|allée|quai|impasse|résidence)[\s-]*$",
    re.IGNORECASE,
)


def find_people(text: str, first_names: set[str]) -> list[tuple[int, int, str]]:
    """Names of private persons (personal data: the moderator keeps or removes them).

    >>> names = {"antoine", "laurent", "thomas"}
    >>> [p[2] for p in find_people("deux salariés, Antoine et Laurent ; Saint-Laurent ; "
    ...                            "un habitant (Thomas BARRAIL) et M. Dupont", names)]
    ['Antoine', 'Laurent', 'Thomas BARRAIL', 'Dupont']
    """
    found: list[tuple[int, int, str]] = []

    def add(start, end, value):
        if not any(s < end and start < e for s, e, _ in found):
            found.append((start, end, value))

    for m in _PERSON_FULL_RE.finditer(text):
        before = text[max(0, m.start() - 20) : m.start()]
        if fold(m.group(1)) in first_names and not _NOT_BEFORE_NAME.search(before):
            add(m.start(1), m.end(2), f"{m.group(1)} {m.group(2)}")
    for m in _TITLE_PERSON_RE.finditer(text):
        add(m.start(1), m.end(1), m.group(1))
    for m in _WORD_RE.finditer(text):
        if fold(m.group(1)) not in first_names:
            continue
        if _NOT_BEFORE_NAME.search(text[max(0, m.start() - 20) : m.start()]):
            continue
        nxt = text[m.end() : m.end() + 2]
        if nxt[:1] == " " and nxt[1:2].isupper() and nxt[1:2] != "(":
            continue  # "Jean Jaurès": part of a longer proper noun
        add(m.start(1), m.end(1), m.group(1))
    found.sort()
    return found


# ---------------------------------------------------------------------------------------------
# Step 0: is it French text at all?
# ---------------------------------------------------------------------------------------------

_FRENCH = {
    "le",
    "la",
    "les",
    "des",
    "de",
    "du",
    "et",
    "est",
    "une",
    "un",
    "pour",
    "dans",
    "qui",
    "sur",
    "au",
    "aux",
    "par",
    "avec",
    "ont",
    "sont",
    "à",
    "ce",
    "ces",
    "leur",
    "en",
}
_OTHER = {
    "the",
    "and",
    "of",
    "to",
    "is",
    "with",
    "for",
    "der",
    "die",
    "das",
    "und",
    "ist",
    "el",
    "los",
    "las",
    "y",
    "con",
    "para",
    "het",
    "een",
    "van",
    "il",
    "che",
    "della",
}


def looks_french(text: str) -> bool:
    """Whether ``text`` reads as French (function words outnumber other languages').

    >>> looks_french("Les bénévoles de la commune ont distribué des masques."), looks_french(
    ...     "The volunteers of the town handed out masks to the elderly.")
    (True, False)
    """
    words = re.findall(r"[a-zà-ÿ]+", text[:20000].lower())
    french = sum(w in _FRENCH for w in words)
    other = sum(w in _OTHER for w in words)
    # Short notes have few function words: one is enough if nothing else speaks against it.
    return french > 2 * other and french >= (3 if len(words) > 30 else 1)


# ---------------------------------------------------------------------------------------------
# Step 8: fields ready to publish (description, private names, dates, title)
# ---------------------------------------------------------------------------------------------

_LEADING_BULLET_RE = re.compile(r"^\s*(?:[-•*–]\s*|\d{1,2}[.)]\s+)")
_INLINE_FURNITURE_RE = re.compile(r"\s*\bPage\s+\d+\s+(?:sur|/)\s+\d+\s*", re.IGNORECASE)


_SPACES_RE = re.compile(r"\s+")
_SPACE_BEFORE_PUNCT_RE = re.compile(r" +([.,)])")
_SPACE_AFTER_BRACKET_RE = re.compile(r"\( +")


def description_of(paragraphs: list[str]) -> str:
    """Paragraphs rejoined into sentences: no layout line breaks, list dashes, page footers.

    >>> description_of(["- Sur le secteur d'Arras, 300 visières\\nont été fabriquées .", "Page 1 sur 3Ces visières\\n sont prêtées"])
    "Sur le secteur d'Arras, 300 visières ont été fabriquées.\\n\\nCes visières sont prêtées."
    """
    out = []
    for paragraph in paragraphs:
        text = _LEADING_BULLET_RE.sub("", paragraph)
        text = _INLINE_FURNITURE_RE.sub(" ", text)
        text = _SPACES_RE.sub(" ", text).strip()
        text = _SPACE_BEFORE_PUNCT_RE.sub(r"\1", text)
        text = _SPACE_AFTER_BRACKET_RE.sub("(", text)
        if not text:
            continue
        if text[-1] not in ".!?…»)":
            text += "."
        out.append(text[:1].upper() + text[1:])
    return "\n\n".join(out)


def redact_people(text: str, people: list[str], commune: str | None = None) -> str:
    """The text without the private persons' names: a name that only adds to what the text
    says of the person (in brackets, or after "salariés,") is dropped, any other one replaced
    by what the person is ("un habitant de Saint-Nicolas").

    >>> redact_people("avec un habitant de Saint-Nicolas (Thomas BARRAIL) et la CUA.", ["Thomas BARRAIL"])
    'avec un habitant de Saint-Nicolas et la CUA.'
    >>> redact_people("deux de ses salariés, Antoine et Laurent. Ces derniers", ["Antoine", "Laurent"])
    'deux de ses salariés. Ces derniers'
    >>> redact_people("Mme Dupont coud des masques.", ["Dupont"], "Lens")
    'Une habitante de Lens coud des masques.'
    """
    if not people:
        return text
    names = "|".join(re.escape(n) for n in sorted(set(people), key=len, reverse=True))
    name = rf"(?:(?:M\.|Mme|Mlle|Monsieur|Madame)\s+)?(?:{names})"
    text = re.sub(rf"\s*\(\s*{name}\s*\)", "", text)
    text = re.sub(rf",\s*{name}(?:(?:\s*,\s*|\s+et\s+){name})*(?=\s*[.;:,)])", "", text)
    place = f" de {commune}" if commune else ""

    def replace(match):
        feminine = match.group(0).startswith(("Mme", "Mlle", "Madame"))
        who = ("une habitante" if feminine else "un habitant") + place
        at_start = match.start() == 0 or text[: match.start()].rstrip()[-1:] in ".!?"
        return who[:1].upper() + who[1:] if at_start else who

    return re.sub(rf"\b{name}\b", replace, text)


_WEEKDAYS = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
# Anchored on the day (a digit): scanning is fast; what comes before is looked at after.
_NUMERIC_DATE_RE = re.compile(r"\b(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})\b")
_WORD_DATE_RE = re.compile(
    rf"\b(?P<d>\d{{1,2}}|1er)\s+(?P<m>{MONTH_PATTERN})(?:\s+(?P<y>\d{{4}}))?\b",
    re.IGNORECASE,
)
_UPDATED_BEFORE_RE = re.compile(
    rf"(?:mise?\s+à\s+jour|publi[ée]e?)\s+le\s+(?:(?:{_WEEKDAYS})\s+)?$", re.IGNORECASE
)


def find_dates(text: str, year: int | None = None) -> list[dict]:
    """Dates the text gives, ISO, with their kind ("updated" for "mis à jour le…") and span;
    a date without its year ("Lundi 4 mai") takes the document's.

    >>> [(d["date"], d["kind"]) for d in find_dates(
    ...     "Mis à jour le 07/05/2020. Distribution lundi 4 mai, puis le 24 avril 2020.", 2020)]
    [('2020-05-07', 'updated'), ('2020-05-04', 'event'), ('2020-04-24', 'event')]
    >>> find_dates("le 4 mai", None)
    []
    """
    found = []
    for pattern in (_NUMERIC_DATE_RE, _WORD_DATE_RE):
        for m in pattern.finditer(text):
            if any(f["start"] <= m.start("d") < f["end"] for f in found):
                continue
            day = 1 if m.group("d").lower() == "1er" else int(m.group("d"))
            month = int(m.group("m")) if m.group("m").isdigit() else month_number(m.group("m"))
            value_year = int(m.group("y")) if m.group("y") else year
            if value_year is None or not (1 <= month <= 12 and 1 <= day <= 31):
                continue
            try:
                iso = date_type(value_year, month, day).isoformat()
            except ValueError:
                continue
            before = text[max(0, m.start() - 40) : m.start()]
            kind = "updated" if _UPDATED_BEFORE_RE.search(before) else "event"
            found.append({"date": iso, "kind": kind, "start": m.start(), "end": m.end()})
    found.sort(key=lambda f: f["start"])
    return found


# What is done, as the noun a title starts with; the first that the text says, in this
# order (making before giving, giving before services), names the action.
_ACTIONS = [
    (r"\bcou(?:d|dre|sent|su|sus|sue|sues)\b", "Couture"),
    (r"\bconfection\w*", "Confection"),
    (r"\bfabri(?:qu\w*|cation\w*)", "Fabrication"),
    (
        r"\b(?:ont|a|avons|été)\s+produit(?:e|es|s)?\b|\bprodui(?:re|sent)\b|\bproduction\b",
        "Production",
    ),
    (r"\bimprim(?:é|ée|és|ées|er|ent)\b", "Impression"),
    (r"\bdistribu\w*", "Distribution"),
    (r"\blivr(?:e|é|ée|és|ées|er|ent|aison|aisons)\b", "Livraison"),
    (r"\bcollect(?:e|é|ée|és|ées|er|ent)\b", "Collecte"),
    (r"\bcoupes? de cheveux\b", "Coupes de cheveux offertes"),
    (r"\bpetits?-déjeuners?\b", "Petit-déjeuner offert"),
    (r"\brepas\b", "Repas"),
    (r"\b(?:fait|font|faire|fera)\s+(?:un\s+)?don\b|\bdons?\s+de\b|\boffr\w*|\boffert\w*", "Dons"),
    (r"\bcourses\b", "Aide aux courses"),
    (r"\bcommandes\b", "Commandes livrées à domicile"),
    (r"\brendu\s+visite\b|\bvisites\b", "Visites"),
    (r"\bappels\b|\bappel(?:le|lent|er)\b|\btéléphon(?:é|er|ent|ique|iques)\b", "Appels"),
    (r"\baccompagn\w*", "Accompagnement"),
    (r"\bassistance\b|\bassist(?:e|ent|er)\b", "Assistance"),
    (r"\bsoutien\s+scolaire\b|\bdécrochage\b", "Soutien scolaire"),
    (r"\bfracture\s+numérique\b", "Lutte contre la fracture numérique"),
]
_ACTION_RES = [(re.compile(p, re.IGNORECASE), noun) for p, noun in _ACTIONS]
# Words each action's pattern needs (lower case), in the order of _ACTIONS.
_ACTION_KEYS = [
    ("cou",), ("confection",), ("fabri",), ("produ",), ("imprim",), ("distribu",), ("livr",),
    ("collect",), ("cheveux",), ("déjeuner",), ("repas",), ("don", "offr", "offert"),
    ("courses",), ("commandes",), ("visite",), ("appel", "téléphon"), ("accompagn",),
    ("assist",), ("scolaire", "décrochage"), ("fracture",),
]  # fmt: skip
_OBJECT_RE = re.compile(r"\s+(?:des|de|d'|les|du)\s*([a-zà-ÿœ]{4,}s)\b")
_NOUN_BEFORE_RE = re.compile(r"(?:\d|\bdes|\bles|\bces)\s+([a-zà-ÿœ]{4,}s)\s+$")
_SELF_OBJECT = {"Coupes de cheveux offertes", "Petit-déjeuner offert", "Aide aux courses",
                "Repas", "Soutien scolaire", "Commandes livrées à domicile", "Visites", "Lutte contre la fracture numérique"}  # fmt: skip


def make_title(
    text: str,
    *,
    items: list[str] = (),
    communes: list[str] = (),
    beneficiaries: str | None = None,
    actor: str | None = None,
) -> str:
    """What is done, where: the action, its item, who does it when they are volunteers,
    the commune; never the bare actor's name nor a sentence cut mid-way.

    >>> make_title("afin de confectionner des masques ; 400 masques réalisés grâce aux bénévoles",
    ...            items=["masques"], communes=["Aire-sur-la-Lys"])
    'Confection de masques par des bénévoles à Aire-sur-la-Lys'
    >>> make_title("ont produit 1 300 visières", items=["visières"], communes=["Calais"],
    ...            beneficiaries="soignants, livreurs")
    'Production de visières pour les soignants à Calais'
    >>> make_title("Le CCAS s'est organisé.", communes=["Lillers"], actor="CCAS de Lillers")
    'Initiative solidaire du CCAS de Lillers'
    >>> make_title("Rien ici.", communes=["Lens", "Liévin", "Arras"])
    'Initiative solidaire à Lens, à Liévin et à Arras'
    """
    flat = _SPACES_RE.sub(" ", text)
    items = [i for i in items if _is_thing(i)]
    noun, item = None, None
    low = flat.lower()
    for (pattern, label), keys in zip(_ACTION_RES, _ACTION_KEYS, strict=True):
        # A substring test first: most texts say few of the actions.
        m = pattern.search(flat) if any(k in low for k in keys) else None
        if m:
            noun = label
            if items:
                item = items[0]
            elif label not in _SELF_OBJECT:
                obj = _OBJECT_RE.match(flat, m.end())
                before = _NOUN_BEFORE_RE.search(flat, max(0, m.start() - 40), m.start())
                if obj and singular(fold(obj.group(1))) not in _NOT_ITEMS:
                    item = obj.group(1)
                elif before and singular(fold(before.group(1))) not in _NOT_ITEMS:
                    item = before.group(1)  # "1000 masques confectionnés"
            break
    where = _where(communes)
    if noun is None:
        if actor and len(communes) == 1 and fold(communes[0]) in fold(actor):
            return _capped(f"Initiative solidaire {_of(actor)}")
        if actor:
            return _capped(f"Initiative solidaire {_of(actor)}{' ' + where if where else ''}")
        return _capped(f"Initiative solidaire {where}".strip())
    title = noun
    if item:
        title += f" {'d' + chr(39) if fold(item)[:1] in 'aeiouyh' else 'de '}{item}"
    if re.search(r"\bbénévoles\b", flat) and "bénévole" not in title:
        title += " par des bénévoles"
    elif beneficiaries:
        head = re.split(r"[,;]| et ", beneficiaries, maxsplit=1)[0].strip()
        if head and len(head) < 40 and not head.lower().startswith(("les ", "des ")):
            title += f" pour les {head}"
    return _capped(f"{title} {where}".strip())


def _is_thing(item: str) -> bool:
    """A counted item fit for a title: a plural noun ("masques", "colis"), not "une".

    >>> [_is_thing(w) for w in ("masques", "repas", "une", "kg de denrées", "agents")]
    [True, True, False, True, False]
    """
    head = item.split(" ", 1)[0]
    if " de " in item:
        head = item.rsplit(" ", 1)[-1]
    return (
        len(head) >= 4
        and head.isalpha()
        and head[-1] in "sx"
        and singular(fold(head)) not in _NOT_ITEMS
        and fold(head) not in _NOT_ITEMS
    )


def _where(communes) -> str:
    communes = list(dict.fromkeys(communes))
    if not communes:
        return ""
    if len(communes) <= 3:
        names = [_at(c) for c in communes]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]
    return f"autour {of_name(communes[0])}"


def _at(name: str) -> str:
    """ "à" before a place name, contracted the French way.

    >>> _at("Lens"), _at("Le Portel"), _at("Les Attaques")
    ('à Lens', 'au Portel', 'aux Attaques')
    """
    if name.startswith("Le "):
        return "au " + name[3:]
    if name.startswith("Les "):
        return "aux " + name[4:]
    return "à " + name


def _of(actor: str) -> str:
    actor = re.sub(r"^(?:le|la|les|l')\s*", "", actor, flags=re.IGNORECASE)
    first = fold(actor.split(" ", 1)[0])
    if first in ("ccas", "club", "service", "centre", "collectif", "secours"):
        return f"du {actor}"
    if first in ("commune", "ville", "mairie", "maison", "communaute", "association"):
        return f"de la {actor[:1].lower() + actor[1:]}"
    return f"de {actor}" if fold(actor)[:1] not in "aeiouyh" else f"d'{actor}"


def _capped(title: str, limit: int = 110) -> str:
    """A title over the limit loses its trailing complements, never half a word."""
    while len(title) > limit and " " in title:
        title = title.rsplit(" ", 1)[0]
    return title[:1].upper() + title[1:]
