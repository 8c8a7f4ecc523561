"""Text out of .txt, .md, .html and .pdf files, with a clear French message when it fails."""

from __future__ import annotations

import html
import io
import re
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings


class ReadError(Exception):
    """The file cannot be imported; the message says why, in French, for the user."""


FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}


def file_format(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in FORMATS:
        raise ReadError(
            f"Format non pris en charge ({suffix or 'sans extension'}) : "
            "utilisez un fichier .txt, .md, .html ou .pdf."
        )
    return FORMATS[suffix]


def read_document(data: bytes, name: str) -> tuple[str, str]:
    """(text, format) of a file's bytes."""
    fmt = file_format(name)
    limit = settings.IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ReadError(
            f"Fichier trop volumineux ({len(data) / 1e6:.1f} Mo) : la limite est de "
            f"{limit / 1e6:.0f} Mo."
        )
    if not data.strip():
        raise ReadError("Le fichier est vide.")
    if fmt == "pdf":
        text = _read_pdf(data)
    else:
        text = _decode(data)
        if fmt == "html":
            text = html_to_text(text)
        elif fmt == "md":
            text = markdown_to_text(text)
    if not text.strip():
        raise ReadError("Le document ne contient aucun texte.")
    return text, fmt


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096] or data[:4] in (b"%PDF", b"PK\x03\x04") or data[:3] == b"GIF":
        raise ReadError("Le fichier n'est pas un texte (fichier binaire renommé ?).")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly everything
        raise ReadError("Encodage du texte non reconnu.")
    controls = sum(1 for ch in text[:10000] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.01 * min(len(text), 10000):
        raise ReadError("Le fichier n'est pas un texte (fichier binaire renommé ?).")
    return text


def _read_pdf(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ReadError(f"PDF illisible ({exc}).") from exc
    text = "\f".join(pages)
    if len(text.strip()) < 20:
        raise ReadError(
            "Ce PDF ne contient pas de texte (document scanné ?) : importez une version texte "
            "ou passez-le d'abord dans un logiciel de reconnaissance de caractères."
        )
    return text


_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "br",
    "tr",
    "ul",
    "ol",
    "table",
    "header",
    "footer",
    "main",
    "blockquote",
}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "nav", "noscript", "template"):
            self.skip += 1
        elif tag in _HEADINGS:
            # "# " for the page title, "## " for sections (the pipeline reads them so).
            self.parts.append("\n\n# " if tag == "h1" else "\n\n## ")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in _BLOCKS:
            self.parts.append("\n\n" if tag != "br" else "\n")
        elif tag == "a":
            self.href = dict(attrs).get("href") or ""

    def handle_endtag(self, tag):
        if tag in ("script", "style", "nav", "noscript", "template"):
            self.skip = max(0, self.skip - 1)
        elif tag in _HEADINGS or tag in _BLOCKS:
            self.parts.append("\n\n")
        elif tag == "a" and getattr(self, "href", "").startswith("http"):
            if self.href not in (self.parts[-1] if self.parts else ""):
                self.parts.append(f" {self.href} ")
            self.href = ""

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(source: str) -> str:
    """Paragraphs, headings ("# …") and list items ("- …") of an HTML page.

    >>> html_to_text("<h2>Aide</h2><p>Des <b>masques</b> à Lens.</p><ul><li>Un</li></ul>")
    '## Aide\\n\\nDes masques à Lens.\\n\\n- Un'
    """
    parser = _TextExtractor()
    parser.feed(source)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n[ \t]+", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return html.unescape(text).strip()


def markdown_to_text(source: str) -> str:
    """Markdown links and emphasis flattened; headings and bullets kept for the pipeline.

    >>> markdown_to_text("## Aide\\n\\n**Des masques** à [Lens](https://lens.fr).")
    '## Aide\\n\\nDes masques à Lens (https://lens.fr).'
    """
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", source)
    text = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", r"\1 (\2)", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)", r"\1", text)
    return text
