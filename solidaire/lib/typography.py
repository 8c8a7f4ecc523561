"""French typography: spaces, numbers, lists of names. No Django here.

Text is stored as typed (plain spaces, straight apostrophes) so editors see what they
wrote; the renderers apply these functions so the web page, the PDF and the e-mail
agree. Dates are in ``lib.dates``.
"""

import re

NBSP = "\u00a0"
# Narrow no-break space: before ; ! ? (the Imprimerie nationale's "espace fine").
NNBSP = "\u202f"

# A space (or none) before a high punctuation mark, but not inside "https://" and the like.
_BEFORE_PUNCT_RE = re.compile(r"(?<=\S)[ \t]*([:;!?»])(?=\s|$|[.,)])")
_AFTER_GUILLEMET_RE = re.compile(r"«[ \t]*")
_THOUSANDS_RE = re.compile(r"(?<![\d.,/])(\d{1,3})(?:[ \u202f\u00a0](\d{3}))+(?![\d])")
_APOSTROPHE_RE = re.compile(r"(?<=[A-Za-zÀ-ÿ])'(?=[A-Za-zÀ-ÿ])")
_NUMERO_RE = re.compile(r"\bn°\s*(\d)")


def format_count(count: int) -> str:
    """A count with non-breaking spaces between thousands.

    >>> format_count(1300)
    '1\\xa0300'
    >>> format_count(42)
    '42'
    """
    return f"{count:,}".replace(",", NBSP)


def _join_thousands(match: re.Match) -> str:
    return match.group(0).replace(" ", NBSP).replace("\u202f", NBSP)


def french(text: str) -> str:
    """Apply French typography to running text.

    >>> french("Contact : 1 300 visières ; n° 6 « grand public »") == (
    ...     "Contact\\xa0: 1\\xa0300 visières\\u202f; n°6 «\\xa0grand public\\xa0»")
    True
    >>> french("https://example.org/a:b l'atelier")
    'https://example.org/a:b l’atelier'
    """
    text = _BEFORE_PUNCT_RE.sub(lambda m: _space_before(m.group(1)) + m.group(1), text)
    text = _AFTER_GUILLEMET_RE.sub("«" + NBSP, text)
    text = _THOUSANDS_RE.sub(_join_thousands, text)
    text = _APOSTROPHE_RE.sub("’", text)
    return _NUMERO_RE.sub(r"n°\1", text)


def _space_before(mark: str) -> str:
    return NNBSP if mark in ";!?" else NBSP


_MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
# Only spaces already there are changed: a missing one is the writer's, and "10:30",
# "https://", "&amp;" or "a:hover" have none. Three plain passes, each run only when its
# characters are there, cost far less than one pass with alternatives at every character.
_SPACED_MARK_RE = re.compile(r"[ \t\r\n]+([;:!?»]|&raquo;)(?=[\s<&.,;:!?…)»\"'’]|$)")
_SPACED_OPENING_RE = re.compile(r"(«|&laquo;)[ \t\r\n]+")
_FIRST_OF_MONTH_RE = re.compile(
    rf"1(?=(?:[ \t\r\n\u00a0\u202f]|&nbsp;|&#160;|&#xa0;)(?:{_MONTHS})\b)", re.IGNORECASE
)
_MARKS = (";", ":", "!", "?", "»")
# Comments, elements whose text is code or user input (kept byte for byte), and tags
# (their attributes are values, not prose): what a page's text is split around.
_RAW_ELEMENTS = ("script", "style", "pre", "code", "textarea", "kbd", "samp")
_MARKUP_RE = re.compile(
    "(<!--.*?-->|"
    + "|".join(rf"<{name}\b.*?</{name}\s*>" for name in _RAW_ELEMENTS)
    + r"|<[!/?a-zA-Z][^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*>)",
    re.DOTALL | re.IGNORECASE,
)


def _first_of_month(match: re.Match) -> str:
    before = match.string[match.start() - 1 : match.start()]
    return "1" if before and (before.isdigit() or before in ".,/") else "1er"


def _spacing(text: str) -> str:
    if any(mark in text for mark in _MARKS) or "&raquo;" in text:
        text = _SPACED_MARK_RE.sub(lambda m: _space_before(m.group(1)) + m.group(1), text)
    if "«" in text or "&laquo;" in text:
        text = _SPACED_OPENING_RE.sub(lambda m: m.group(1) + NBSP, text)
    if "1" in text:
        text = _FIRST_OF_MONTH_RE.sub(_first_of_month, text)
    return text


def french_spacing(text: str) -> str:
    """The spaces of French punctuation in finished text (a subject, a mail, a feed).

    Narrow no-break space before ; ! ?, no-break space before : and inside « », "1er" for
    the first of a month; URLs and times are left alone.

    >>> french_spacing("Attention : le 1 mai ; « fête » ! 10:30 https://a.fr/b:c ?") == (
    ...     "Attention\\xa0: le 1er mai\\u202f; «\\xa0fête\\xa0»\\u202f! 10:30 https://a.fr/b:c\\u202f?")
    True
    >>> french_spacing("21 mai, 11 juin, 1 000 masques : 1 juillet")
    '21 mai, 11 juin, 1 000 masques\\xa0: 1er juillet'
    """
    return _spacing(text)


def french_html(html: str) -> str:
    """``french_spacing`` on the text of an HTML page or fragment, never its markup.

    Tags and their attributes (form values among them), comments, <script>, <style>,
    <pre>, <code> and <textarea> come out byte for byte.

    >>> french_html('<p title="a : b"><b>Contact</b> : <a href="x?y=1">ici</a> !</p>')
    '<p title="a : b"><b>Contact</b>\\xa0: <a href="x?y=1">ici</a>\\u202f!</p>'
    >>> french_html("<textarea>Oui ?</textarea><script>a ? b : c</script><p>Oui ?</p>")
    '<textarea>Oui ?</textarea><script>a ? b : c</script><p>Oui\\u202f?</p>'
    >>> french_html("<p>&laquo; Merci &raquo; ; le 1&nbsp;juin</p>")
    '<p>&laquo;\\xa0Merci\\xa0&raquo;\\u202f; le 1er&nbsp;juin</p>'
    """
    parts = _MARKUP_RE.split(html)
    # Even items are text, odd ones markup.
    for i in range(0, len(parts), 2):
        if parts[i] and not parts[i].isspace():
            parts[i] = _spacing(parts[i])
    return "".join(parts)


def join_words(words: list[str]) -> str:
    """Join names the French way.

    >>> join_words(["Carvin", "Courrières", "Oignies"])
    'Carvin, Courrières et Oignies'
    >>> join_words(["Arras"])
    'Arras'
    """
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " et " + words[-1]


def quantity_phrase(
    count: int,
    item: str,
    *,
    approximate: bool = False,
    period: str = "",
    count_text: str | None = None,
    after_count: str = " ",
) -> str:
    """How a quantity reads, the one wording of every page, export and draft.

    ``count_text`` and ``after_count`` let a renderer dress the number (thousands
    separators, markup) without rewording the phrase.

    >>> quantity_phrase(1300, "visières", period="trois semaines")
    '1300 visières en trois semaines'
    >>> quantity_phrase(1300, "masques", approximate=True, count_text=format_count(1300))
    'environ 1\\xa0300 masques'
    """
    prefix = "environ " if approximate else ""
    suffix = f" en {period}" if period else ""
    number = str(count) if count_text is None else count_text
    return f"{prefix}{number}{after_count}{item}{suffix}"


_ELIDED_RE = re.compile(r"^[AEIOUYÀÂÉÈÊËÎÏÔÙÛÜŒHaeiouyàâéèêëîïôùûüœh]")


def of_name(name: str) -> str:
    """ "de" before a place name, contracted and elided the French way.

    >>> [of_name(n) for n in ["Calais", "Le Portel", "Les Attaques", "Outreau", "La Couture"]]
    ['de Calais', 'du Portel', 'des Attaques', "d'Outreau", 'de La Couture']
    >>> of_name("Hesdigneul-lès-Boulogne")
    "d'Hesdigneul-lès-Boulogne"
    """
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if _ELIDED_RE.match(name):
        return "d'" + name
    return "de " + name


def lower_first(label: str) -> str:
    """A label inside a sentence: its first letter in lower case, acronyms kept.

    >>> [lower_first(s) for s in ["Commune, mairie ou CCAS", "EPCI", "Service public", ""]]
    ['commune, mairie ou CCAS', 'EPCI', 'service public', '']
    """
    first = label.split(" ", 1)[0].strip(",;:")
    if len(first) > 1 and first.isupper():
        return label
    return label[:1].lower() + label[1:]


def wait_phrase(seconds: int) -> str:
    """How long to wait, rounded up to the minute: "dans 42 minutes", "dans 1 heure".

    >>> [wait_phrase(s) for s in (0, 30, 60, 61, 2520, 3600, 3660, 7200)]
    ['dans 1 minute', 'dans 1 minute', 'dans 1 minute', 'dans 2 minutes', 'dans 42 minutes', \
'dans 1 heure', 'dans 1 heure et 1 minute', 'dans 2 heures']
    """
    minutes = max(1, -(-int(seconds) // 60))
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} heure{'s' if hours > 1 else ''}")
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes > 1 else ''}")
    return "dans " + " et ".join(parts)
