"""Text out of .txt, .md, .html, .pdf, .docx, .odt and .eml files, with a clear French message
when it fails.

An e-mail is several documents: ``split_email`` gives its body and each readable attachment,
each then read by ``read_document`` as a document of its own.
"""

from __future__ import annotations

import codecs
import html
import io
import re
import zipfile
from email import policy
from email.parser import BytesParser
from html.parser import HTMLParser
from pathlib import Path

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.conf import settings

from solidaire.lib.dates import format_date


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
    ".docx": "docx",
    ".odt": "odt",
    ".eml": "eml",
}
# What an e-mail's attachments may be: the others (images, spreadsheets…) are skipped.
ATTACHMENT_FORMATS = {"txt", "md", "html", "pdf", "docx", "odt"}


def file_format(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in FORMATS:
        raise ReadError(
            f"Format non pris en charge ({suffix or 'sans extension'}) : "
            "utilisez un fichier .txt, .md, .html, .pdf, .docx, .odt ou .eml."
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
    text, fmt, _notes = read_document_noted(data, name)
    return text, fmt


def read_document_noted(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """(text, format, notes): the notes tell the moderator how the file was read (tracked
    changes of a Word file accepted, for one), in French."""
    fmt = file_format(name)
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise _too_large(len(data))
    if not data.strip():
        raise ReadError("Le fichier est vide.")
    notes: list[str] = []
    if fmt == "eml":
        raise ReadError("Un courriel se lit partie par partie (split_email).")
    if fmt == "pdf":
        text = _read_pdf(data)
    elif fmt == "docx":
        text = read_docx(data, notes)
    elif fmt == "odt":
        text = read_odt(data, notes)
    else:
        text = _decode(data)
        if fmt == "html":
            text = html_to_text(text)
        elif fmt == "md":
            text = markdown_to_text(text)
    if not text.strip():
        raise ReadError("Le document ne contient aucun texte.")
    return text, fmt, notes


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
            if reader.is_encrypted and not _pdf_opens_without_password(reader):
                raise ReadError(
                    "PDF protégé par un mot de passe : enregistrez-le sans protection "
                    "(ou importez-en le texte), puis déposez-le de nouveau."
                )
            if len(reader.pages) > max_pages:
                raise ReadError(
                    f"PDF trop long ({len(reader.pages)} pages) : la limite est de "
                    f"{max_pages} pages. Découpez-le ou importez-en le texte."
                )
            tagged = read_tagged_pdf(reader)
            if tagged is not None:
                return tagged
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


# ---------------------------------------------------------------------------------------------
# Password-protected files
# ---------------------------------------------------------------------------------------------

# An encrypted Word or OpenDocument file is an OLE compound file, not a zip.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PROTECTED_WORD = (
    "Document Word protégé par un mot de passe : enregistrez-le sans protection, "
    "puis déposez-le de nouveau."
)


def _pdf_opens_without_password(reader) -> bool:
    """An encrypted PDF that opens with the empty user password (print restrictions only)."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # unsupported encryption: it does not open
        return False


# ---------------------------------------------------------------------------------------------
# Tagged PDF (the platform's own bulletins): paragraphs and headings from the structure tree
# ---------------------------------------------------------------------------------------------

_BLOCK_TAGS = {"/P", "/H", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/LI", "/Caption", "/TD"}


def read_tagged_pdf(reader) -> str | None:
    """The text of a tagged PDF, one paragraph per block of its structure tree ("# " before
    the H1, "## " before the other headings); None when the PDF has no usable tags.

    The page layout's line breaks, footers ("Page 1 sur 3", never in the tree) and the
    masthead's short lines before the title (authority, motto, "Communiqué de presse")
    are dropped; the dateline is kept, as the header step reads it.
    """
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    root = reader.trailer["/Root"].get("/StructTreeRoot")
    if root is None:
        return None
    page_ids = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
    # (page index, MCID) -> text, read from each page's marked content.
    marked: dict[tuple[int, int], list[str]] = {}
    for index, page in enumerate(reader.pages):
        current: list[int | None] = [None]

        def before(op, args, cm, tm, current=current):
            if op == b"BDC" and len(args) > 1 and isinstance(args[1], DictionaryObject):
                mcid = args[1].get("/MCID")
                current[0] = int(mcid) if mcid is not None else None
            elif op == b"BMC" or op == b"EMC":
                current[0] = None

        def text(value, cm, tm, font, size, index=index, current=current):
            if value and current[0] is not None:
                marked.setdefault((index, current[0]), []).append(value)

        page.extract_text(visitor_operand_before=before, visitor_text=text)
    blocks: list[tuple[str, list[tuple[int, int]]]] = []

    def page_of(node, inherited):
        ref = node.raw_get("/Pg") if "/Pg" in node else None
        return page_ids.get(ref.idnum, inherited) if isinstance(ref, IndirectObject) else inherited

    def walk(node, block, page, depth=0):
        if depth > 200:
            return
        if isinstance(node, IndirectObject):
            node = node.get_object()
        if isinstance(node, ArrayObject):
            for child in node:
                walk(child, block, page, depth + 1)
        elif isinstance(node, DictionaryObject):
            page = page_of(node, page)
            if "/MCID" in node:  # a marked-content reference
                if block is not None:
                    block[1].append((page, int(node["/MCID"])))
                return
            tag = node.get("/S")
            if tag in _BLOCK_TAGS and block is None:
                block = (str(tag), [])
                blocks.append(block)
            if "/K" in node:
                walk(node["/K"], block, page, depth + 1)
        elif isinstance(node, int) and block is not None:
            block[1].append((page, int(node)))

    walk(root.get("/K"), None, None)
    paragraphs = []
    for tag, refs in blocks:
        value = ""
        for ref in refs:
            piece = "".join(marked.get(ref, []))
            # A compound name broken after its hyphen ("Boulogne-sur-\nMer") is one word.
            glue = "" if re.search(r"\w-\s*$", value) and piece.lstrip()[:1].isalpha() else " "
            value = (
                (value.rstrip() + glue + piece.lstrip())
                if glue == ""
                else (value + glue + piece if value else piece)
            )
        value = re.sub(r"(?<=\w-)\n\s*(?=\w)", "", value)
        value = re.sub(r"\s+", " ", value).strip()
        if not value:
            continue
        if tag == "/H1":
            value = "# " + value
        elif tag.startswith("/H"):
            value = "## " + value
        elif tag == "/LI":
            value = "- " + value
        paragraphs.append((tag, value))
    titles = [i for i, (tag, _) in enumerate(paragraphs) if tag == "/H1"]
    if not titles or len(paragraphs) < 3:
        return None
    first = titles[0]
    masthead = [v for _, v in paragraphs[:first] if re.search(r"\d{4}", v)]
    return "\n\n".join(masthead + [v for _, v in paragraphs[first:]])


# ---------------------------------------------------------------------------------------------
# Word (.docx) and OpenDocument (.odt): the zip read with defusedxml
# ---------------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _open_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    if data.startswith(_OLE_MAGIC):
        raise ReadError(_PROTECTED_WORD if kind == "docx" else _PROTECTED_ODT)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ReadError(f"Fichier {kind} illisible (archive endommagée ?).") from exc
    # Refuse a zip bomb from its announced sizes before inflating anything.
    if sum(info.file_size for info in archive.infolist()) > 10 * settings.IMPORT_MAX_BYTES:
        raise ReadError(f"Fichier {kind} refusé : son contenu décompressé est trop volumineux.")
    return archive


def _xml(archive: zipfile.ZipFile, member: str, kind: str):
    try:
        return ElementTree.fromstring(archive.read(member))
    except KeyError as exc:
        raise ReadError(f"Fichier {kind} illisible : il lui manque {member}.") from exc
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise ReadError(f"Fichier {kind} illisible ({exc.__class__.__name__}).") from exc


def read_docx(data: bytes, notes: list[str] | None = None) -> str:
    """Paragraphs of a Word file: headings as "# "/"## ", list items as "- ", tables cell by
    cell; tracked changes as if accepted (insertions kept, deletions dropped)."""
    archive = _open_zip(data, "docx")
    document = _xml(archive, "word/document.xml", "docx")
    body = document.find(f"{_W}body")
    if body is None:
        raise ReadError("Fichier docx illisible : il n'a pas de corps de texte.")
    insertions = deletions = 0
    paragraphs = []
    for paragraph in body.iter(f"{_W}p"):
        parts = []
        for node in paragraph.iter():
            if node.tag == f"{_W}t":
                parts.append(node.text or "")
            elif node.tag == f"{_W}tab" or node.tag in (f"{_W}br", f"{_W}cr"):
                parts.append(" ")
        # w:delText (inside w:del) is never a w:t: deletions are dropped by reading w:t only.
        insertions += sum(1 for _ in paragraph.iter(f"{_W}ins"))
        deletions += sum(1 for _ in paragraph.iter(f"{_W}del"))
        text = re.sub(r"\s+", " ", "".join(parts)).strip()
        if not text:
            continue
        style = paragraph.find(f"{_W}pPr/{_W}pStyle")
        style_name = (style.get(f"{_W}val") or "").lower() if style is not None else ""
        if style_name in ("title", "titre", "heading1", "titre1"):
            text = "# " + text
        elif re.match(r"^(?:heading|titre)\d$", style_name):
            text = "## " + text
        elif paragraph.find(f"{_W}pPr/{_W}numPr") is not None or "list" in style_name:
            text = "- " + text
        paragraphs.append(text)
    if (insertions or deletions) and notes is not None:
        notes.append(
            "Ce document Word contient des modifications suivies : le texte est lu comme si "
            "elles étaient acceptées (ajouts gardés, suppressions écartées)."
        )
    return "\n\n".join(paragraphs)


_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_MANIFEST = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
_PROTECTED_ODT = (
    "Document OpenDocument protégé par un mot de passe : enregistrez-le sans protection, "
    "puis déposez-le de nouveau."
)


def _odt_text(node) -> str:
    parts = [node.text or ""]
    for child in node:
        if child.tag == f"{_TEXT}s":
            parts.append(" " * int(child.get(f"{_TEXT}c") or 1))
        elif child.tag in (f"{_TEXT}tab", f"{_TEXT}line-break"):
            parts.append(" ")
        elif child.tag not in (f"{_OFFICE}annotation", f"{_TEXT}note"):
            parts.append(_odt_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def read_odt(data: bytes, notes: list[str] | None = None) -> str:
    """Paragraphs of an OpenDocument text: headings, list items; tracked deletions (kept
    apart in text:tracked-changes) dropped, insertions (in place) kept."""
    archive = _open_zip(data, "odt")
    if "META-INF/manifest.xml" in archive.namelist():
        manifest = _xml(archive, "META-INF/manifest.xml", "odt")
        if manifest.find(f".//{_MANIFEST}encryption-data") is not None:
            raise ReadError(_PROTECTED_ODT)
    content = _xml(archive, "content.xml", "odt")
    text_root = content.find(f"{_OFFICE}body/{_OFFICE}text")
    if text_root is None:
        raise ReadError("Ce fichier OpenDocument n'est pas un texte (tableur, présentation ?).")
    paragraphs = []
    tracked = False

    def walk(node, in_list=False):
        nonlocal tracked
        for child in node:
            if child.tag == f"{_TEXT}tracked-changes":
                tracked = True
                continue
            if child.tag in (f"{_TEXT}h", f"{_TEXT}p"):
                text = re.sub(r"\s+", " ", _odt_text(child)).strip()
                if not text:
                    continue
                if child.tag == f"{_TEXT}h":
                    level = child.get(f"{_TEXT}outline-level") or "1"
                    text = ("# " if level == "1" else "## ") + text
                elif in_list:
                    text = "- " + text
                paragraphs.append(text)
            else:
                walk(child, in_list or child.tag == f"{_TEXT}list-item")

    walk(text_root)
    if tracked and notes is not None:
        notes.append(
            "Ce document contient des modifications suivies : le texte est lu comme si elles "
            "étaient acceptées (ajouts gardés, suppressions écartées)."
        )
    return "\n\n".join(paragraphs)


# ---------------------------------------------------------------------------------------------
# E-mails (.eml): the body and each readable attachment, as documents of their own
# ---------------------------------------------------------------------------------------------


def split_email(data: bytes, name: str) -> tuple[list[tuple[str, bytes]], list[str]]:
    """([(part name, bytes)], skipped): the message's text body (its subject and date first,
    for the header step) and each .pdf, .docx, .odt, .txt… attachment; ``skipped`` names
    the attachments that cannot be read (images…). Raises ReadError when nothing is left.
    """
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise _too_large(len(data))
    try:
        message = BytesParser(policy=policy.default).parsebytes(data)
    except Exception as exc:  # the parser is lenient; this is a broken file
        raise ReadError("Courriel illisible.") from exc
    if not message.keys():
        raise ReadError("Ce fichier n'est pas un courriel (.eml) : il n'a pas d'en-têtes.")
    parts: list[tuple[str, bytes]] = []
    skipped: list[str] = []
    body = message.get_body(preferencelist=("plain", "html"))
    if body is not None:
        try:
            content = body.get_content()
        except (LookupError, UnicodeError, AssertionError):
            content = ""
        if body.get_content_type() == "text/html":
            content = html_to_text(content)
        content = _strip_quoted(content)
        if content.strip():
            lines = []
            if message["subject"]:
                lines.append(f"Objet : {message['subject']}")
            if message["date"]:
                lines.append(f"Date : {_email_date(message['date'])}")
            text = "\n".join(lines) + "\n\n" + content if lines else content
            parts.append((f"{name} › message.txt", text.encode("utf-8")))
    for attachment in message.iter_attachments():
        filename = attachment.get_filename() or "pièce jointe"
        suffix = Path(filename).suffix.lower()
        if FORMATS.get(suffix) not in ATTACHMENT_FORMATS:
            skipped.append(filename)
            continue
        payload = attachment.get_payload(decode=True) or b""
        parts.append((f"{name} › {filename}", payload))
    if not parts:
        what = f" (seulement {', '.join(skipped)})" if skipped else ""
        raise ReadError(
            f"Ce courriel ne contient aucun texte à importer{what} : ni message écrit, ni "
            "pièce jointe .pdf, .docx, .odt ou .txt."
        )
    return parts, skipped


def _strip_quoted(text: str) -> str:
    """The message without its signature ("-- ") nor the quoted lines ("> ")."""
    text = re.split(r"(?m)^-- ?$", text, maxsplit=1)[0]
    return "\n".join(line for line in text.split("\n") if not line.startswith(">"))


def _email_date(value) -> str:
    """An e-mail's Date header in French words ("24 avril 2020"), read by the header step."""
    try:
        return format_date(value.datetime.date())
    except (AttributeError, ValueError, TypeError):
        return str(value)
