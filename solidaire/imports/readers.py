"""Text out of .txt, .md, .html and .pdf files, with a clear French message when it fails."""

from __future__ import annotations

import codecs
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


def _too_large(size: int) -> ReadError:
    limit = settings.IMPORT_MAX_BYTES
    return ReadError(
        f"Fichier trop volumineux ({size / 1e6:.1f} Mo) : la limite est de {limit / 1e6:.0f} Mo."
    )


def read_capped(stream, *, size: int | None = None) -> bytes:
    """A file's bytes, refused from its announced size, else read in chunks and refused as
    soon as they pass IMPORT_MAX_BYTES: never more than the limit in memory."""
    limit = settings.IMPORT_MAX_BYTES
    if size is not None and size > limit:
        raise _too_large(size)
    chunks, total = [], 0
    while chunk := stream.read(64 * 1024):
        total += len(chunk)
        if total > limit:
            raise _too_large(total)
        chunks.append(chunk)
    return b"".join(chunks)


def read_document(data: bytes, name: str) -> tuple[str, str]:
    """(text, format) of a file's bytes."""
    fmt = file_format(name)
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise _too_large(len(data))
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


# Longest first: UTF-32 LE's mark begins with UTF-16 LE's.
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]


def wide_encoding(data: bytes) -> tuple[str, int] | None:
    """(encoding, mark length) of a UTF-16 or UTF-32 text, with or without a byte order mark.

    Without a mark, the zero bytes give it away: French text is mostly below U+0100, so a
    wide encoding leaves zeros at fixed positions, which no 8-bit text has.

    >>> wide_encoding(codecs.BOM_UTF16_LE + "Aide à Lens".encode("utf-16-le"))
    ('utf-16-le', 2)
    >>> wide_encoding("Aide à Lens".encode("utf-16-be"))
    ('utf-16-be', 0)
    >>> wide_encoding("Aide à Lens".encode("utf-32"))
    ('utf-32-le', 4)
    >>> wide_encoding("Aide à Lens".encode("utf-32-be"))
    ('utf-32-be', 0)
    >>> wide_encoding("Aide à Lens".encode("utf-8")) is None
    True
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return (encoding, len(bom)) if encoding != "utf-8" else None
    sample = data[:4096]
    if len(sample) < 4:
        return None

    def zeros(step, offset):
        cells = sample[offset::step]
        return sum(1 for b in cells if b == 0) / max(1, len(cells))

    quads = [zeros(4, i) for i in range(4)]
    if quads[1] > 0.9 and quads[2] > 0.9 and quads[3] > 0.9 and quads[0] < 0.5:
        return "utf-32-le", 0
    if quads[0] > 0.9 and quads[1] > 0.9 and quads[2] > 0.9 and quads[3] < 0.5:
        return "utf-32-be", 0
    even, odd = zeros(2, 0), zeros(2, 1)
    if odd > 0.6 and even < 0.1:
        return "utf-16-le", 0
    if even > 0.6 and odd < 0.1:
        return "utf-16-be", 0
    return None


def _decode(data: bytes) -> str:
    if data[:4] in (b"%PDF", b"PK\x03\x04") or data[:3] == b"GIF":
        raise ReadError("Le fichier n'est pas un texte (fichier binaire renommé ?).")
    wide = wide_encoding(data)
    if wide is not None:
        encoding, skip = wide
        try:
            return _checked(data[skip:].decode(encoding))
        except UnicodeDecodeError as exc:
            raise ReadError(
                f"Le texte semble encodé en {encoding.upper()} mais ne se lit pas ainsi."
            ) from exc
    if b"\x00" in data[:4096]:
        raise ReadError("Le fichier n'est pas un texte (fichier binaire renommé ?).")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly everything
        raise ReadError("Encodage du texte non reconnu.")
    return _checked(text)


def _checked(text: str) -> str:
    if "\x00" in text:
        raise ReadError("Le fichier n'est pas un texte (fichier binaire renommé ?).")
    controls = sum(1 for ch in text[:10000] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.01 * min(len(text), 10000):
        raise ReadError("Le fichier n'est pas un texte (fichier binaire renommé ?).")
    return text


# What a malformed PDF makes pypdf raise besides its own errors.
_PDF_FAILURES = (
    ValueError,
    KeyError,
    TypeError,
    OSError,
    AttributeError,
    IndexError,
    AssertionError,
    ZeroDivisionError,
    RecursionError,
    MemoryError,
)


def _read_pdf(data: bytes) -> str:
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError, PyPdfError

    max_pages = settings.IMPORT_PDF_MAX_PAGES
    max_stream = settings.IMPORT_PDF_MAX_STREAM_BYTES
    # Every stream pypdf inflates is bounded: a small file cannot expand to hundreds of MB.
    limits = {
        "zlib_maximum_output_length": max_stream,
        "lzw_maximum_output_length": max_stream,
        "run_length_maximum_output_length": max_stream,
        "array_based_stream_maximum_output_length": max_stream,
        "maximum_declared_stream_length": max_stream,
        "brotli_maximum_output_length": max_stream,
    }
    try:
        with apply_configuration(**limits):
            reader = PdfReader(io.BytesIO(data))
            if len(reader.pages) > max_pages:
                raise ReadError(
                    f"PDF trop long ({len(reader.pages)} pages) : la limite est de "
                    f"{max_pages} pages. Découpez-le ou importez-en le texte."
                )
            pages = []
            size = 0
            for page in reader.pages:
                # extract_text() turns a stream over the limit into "": decode it first,
                # so the limit is reported as such.
                contents = page.get_contents()
                if contents is not None:
                    contents.get_data()
                pages.append(page.extract_text() or "")
                size += len(pages[-1])
                if size > settings.IMPORT_MAX_BYTES:
                    raise ReadError("Le texte de ce PDF est trop long pour être importé.")
    except LimitReachedError as exc:
        raise ReadError(
            "PDF refusé : un de ses contenus se décompresse au-delà de "
            f"{max_stream / 1e6:.0f} Mo (fichier piégé ou endommagé ?)."
        ) from exc
    except (PyPdfError, *_PDF_FAILURES) as exc:
        raise ReadError(f"PDF illisible ({exc.__class__.__name__} : {exc}).") from exc
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
