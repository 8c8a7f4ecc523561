"""Themes typed one per line, sub-themes indented under their parent."""

from dataclasses import dataclass, field


@dataclass
class ThemeLine:
    name: str
    children: list[str] = field(default_factory=list)


def parse_theme_lines(text: str) -> tuple[list[ThemeLine], list[str]]:
    """The themes of ``text`` and the French notes about lines that were left out.

    A line indented by a tab or at least two spaces is a sub-theme of the theme above it.
    Blank lines are skipped silently; a repeated name (case and accents as typed, spaces
    ignored) is kept once and noted.

    >>> themes, notes = parse_theme_lines("Aide alimentaire\\n  Colis\\n\\tRepas\\n\\nSanté\\n")
    >>> [(t.name, t.children) for t in themes]
    [('Aide alimentaire', ['Colis', 'Repas']), ('Santé', [])]
    >>> notes
    []
    >>> themes, notes = parse_theme_lines("Santé\\nsanté \\n  Colis\\n  Colis")
    >>> [(t.name, t.children) for t in themes]
    [('Santé', ['Colis'])]
    >>> notes
    ['« santé » figure déjà : ligne ignorée.', '« Colis » figure déjà sous « Santé » : ligne ignorée.']
    >>> parse_theme_lines("  Orphelin")[1]
    ['« Orphelin » est indenté sans thème parent au-dessus : il devient un thème.']
    """
    themes: list[ThemeLine] = []
    notes: list[str] = []
    for raw in text.splitlines():
        name = " ".join(raw.split())
        if not name:
            continue
        indented = raw.startswith("\t") or raw.startswith("  ")
        if indented and themes:
            parent = themes[-1]
            if name.casefold() in {c.casefold() for c in parent.children}:
                notes.append(f"« {name} » figure déjà sous « {parent.name} » : ligne ignorée.")
            else:
                parent.children.append(name)
            continue
        if indented:
            notes.append(
                f"« {name} » est indenté sans thème parent au-dessus : il devient un thème."
            )
        if name.casefold() in {t.name.casefold() for t in themes}:
            notes.append(f"« {name} » figure déjà : ligne ignorée.")
            continue
        themes.append(ThemeLine(name))
    return themes, notes
