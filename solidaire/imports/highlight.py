"""The document's text with every entity in a <mark> and each initiative in its own box."""

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from solidaire.lib.typography import format_count

# kind -> (CSS class, legend in French)
KINDS = {
    "commune": ("import-mark--commune", "Commune"),
    "area": ("import-mark--area", "Zone (EPCI, arrondissement)"),
    "url": ("import-mark--contact", "Contact (lien, e-mail, téléphone)"),
    "email": ("import-mark--contact", "Contact (lien, e-mail, téléphone)"),
    "phone": ("import-mark--contact", "Contact (lien, e-mail, téléphone)"),
    "quantity": ("import-mark--quantity", "Quantité"),
    "person": ("import-mark--person", "Personne privée (donnée personnelle : à garder ou retirer)"),
    "place_of_issue": ("import-mark--header", "Lieu d'émission, numéro (en-tête)"),
    "number": ("import-mark--header", "Lieu d'émission, numéro (en-tête)"),
    "rejected": ("import-mark--rejected", "Nom écarté (département, club, mot courant…)"),
}


def legend() -> list[tuple[str, str]]:
    seen, items = set(), []
    for css, label in KINDS.values():
        if css not in seen:
            seen.add(css)
            items.append((css, label))
    return items


def _marked(text: str, start: int, end: int, marks: list[dict]) -> str:
    parts, pos = [], start
    for mark in marks:
        if mark["start"] < pos or mark["end"] > end or mark["start"] >= mark["end"]:
            continue  # overlaps the previous mark, or crosses the box
        css, label = KINDS[mark["kind"].split(":")[0]]
        parts.append(escape(text[pos : mark["start"]]))
        title = (
            mark["value"]
            if not mark["kind"].startswith("rejected")
            else (f"écarté : {mark['kind'].split(':', 1)[1]}")
        )
        parts.append(
            format_html(
                '<mark class="import-mark {}" title="{}">{}<span class="fr-sr-only"> ({})</span>'
                "</mark>",
                css,
                title,
                text[mark["start"] : mark["end"]],
                label,
            )
        )
        pos = mark["end"]
    parts.append(escape(text[pos:end]))
    return mark_safe("".join(str(p) for p in parts))


# Text outside any initiative is shown up to this length (its start and its end): a huge
# document's review page stays readable and light, its initiatives all there.
OUTSIDE_MAX = 3000


def _outside(text: str, start: int, end: int, marks: list[dict]) -> str:
    if end - start <= OUTSIDE_MAX:
        return _marked(text, start, end, marks)
    half = OUTSIDE_MAX // 2
    skipped = end - start - 2 * half
    return format_html(
        '{}<span class="import-skip">[… {} caractères sans initiative repérée …]</span>{}',
        _marked(text, start, start + half, marks),
        format_count(skipped),
        _marked(text, end - half, end, marks),
    )


def segments(text: str, result: dict, *, indexes: range | None = None) -> list[dict]:
    """Boxes (one per initiative) and the text between them, marks included; long stretches
    between boxes are shortened (``OUTSIDE_MAX``).

    With ``indexes`` (a page of the review), only those boxes, each with the text before it
    (and the text after the last box on the page holding it)."""
    boxes = [tuple(span) for span in result.get("spans", [])]
    marks = []
    for initiative in result.get("initiatives", []):
        marks += initiative.get("evidence", [])
    marks += result.get("header_evidence", [])
    marks += result.get("rejected", [])
    marks.sort(key=lambda m: (m["start"], -m["end"]))
    out, pos = [], 0
    for index, (start, end) in enumerate(boxes):
        if indexes is None or index in indexes:
            if start > pos:
                out.append({"box": False, "html": _outside(text, pos, start, marks)})
            out.append({"box": True, "index": index, "html": _marked(text, start, end, marks)})
        pos = max(pos, end)
    last_page = indexes is None or not boxes or len(boxes) - 1 in indexes
    if pos < len(text) and last_page:
        out.append({"box": False, "html": _outside(text, pos, len(text), marks)})
    return out
