"""Builders for import tests: files of every kind the command and the upload accept."""

import io
from pathlib import Path

SAMPLE = (
    Path(__file__).resolve().parents[2]
    / "solidaire/imports/samples/pas-de-calais-solidaire-n06-2020-04-24.txt"
)
GOLDEN = Path(__file__).resolve().parent / "golden"


def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def make_pdf(text: str | None = None) -> bytes:
    """A one-page PDF; with ``text`` None it has no text layer (like a scan)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    if text is not None:
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
        )
        lines = []
        y = 800
        for line in text.splitlines():
            safe = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            lines.append(f"BT /F1 10 Tf 40 {y} Td ({safe}) Tj ET")
            y -= 14
        stream = DecodedStreamObject()
        stream.set_data("\n".join(lines).encode("cp1252", "replace"))
        page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
