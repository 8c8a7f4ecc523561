"""Builders of the files mayors send: Word (.docx, tracked changes included), OpenDocument
(.odt) and e-mails (.eml), written from scratch (zip + XML) so the tests need no office suite.

``python -m tests.imports.office`` rebuilds the committed golden files of tests/imports/fields/.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent / "fields"
# Fixed zip timestamps: the same content gives the same bytes.
_STAMP = (2020, 5, 1, 0, 0, 0)


def _zip(members: dict[str, str], first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        order = ([first] if first else []) + [m for m in members if m != first]
        for name in order:
            info = zipfile.ZipInfo(name, _STAMP)
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.compress_type = method
            archive.writestr(info, members[name])
    return buffer.getvalue()


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def make_docx(paragraphs: list, *, heading: str | None = None) -> bytes:
    """A Word file. Each paragraph is a string, or a list of pieces: a string, ("ins", text)
    for a tracked insertion, ("del", text) for a tracked deletion."""
    body = []
    if heading:
        body.append(f'<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr>{_run(heading)}</w:p>')
    for paragraph in paragraphs:
        pieces = [paragraph] if isinstance(paragraph, str) else paragraph
        runs = []
        for n, piece in enumerate(pieces):
            if isinstance(piece, str):
                runs.append(_run(piece))
            elif piece[0] == "ins":
                runs.append(
                    f'<w:ins w:id="{n}" w:author="Mairie" w:date="2020-05-02T10:00:00Z">'
                    f"{_run(piece[1])}</w:ins>"
                )
            else:
                runs.append(
                    f'<w:del w:id="{n}" w:author="Mairie" w:date="2020-05-02T10:00:00Z">'
                    f'<w:r><w:delText xml:space="preserve">{escape(piece[1])}</w:delText>'
                    "</w:r></w:del>"
                )
        body.append(f"<w:p>{''.join(runs)}</w:p>")
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{_W_NS}"><w:body>{"".join(body)}</w:body></w:document>'
    )
    return _zip(
        {
            "[Content_Types].xml": (
                '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                'openxmlformats.org/package/2006/content-types"><Default Extension="xml" '
                'ContentType="application/xml"/><Override PartName="/word/document.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
                'document.main+xml"/></Types>'
            ),
            "word/document.xml": document,
        }
    )


_ODF = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}


def make_odt(
    paragraphs: list[str],
    *,
    heading: str | None = None,
    deleted: str | None = None,
    encrypted: bool = False,
) -> bytes:
    """An OpenDocument text; ``deleted``: a tracked deletion (kept apart, as LibreOffice
    does); ``encrypted``: a manifest that says the content is encrypted."""
    ns = " ".join(f'xmlns:{k}="{v}"' for k, v in _ODF.items())
    parts = []
    if deleted:
        parts.append(
            '<text:tracked-changes><text:changed-region text:id="c1"><text:deletion>'
            f"<text:p>{escape(deleted)}</text:p></text:deletion></text:changed-region>"
            "</text:tracked-changes>"
        )
    if heading:
        parts.append(f'<text:h text:outline-level="1">{escape(heading)}</text:h>')
    for n, paragraph in enumerate(paragraphs):
        mark = '<text:change text:change-id="c1"/>' if deleted and n == 0 else ""
        parts.append(f"<text:p>{mark}{escape(paragraph)}</text:p>")
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}>'
        f"<office:body><office:text>{''.join(parts)}</office:text></office:body>"
        "</office:document-content>"
    )
    encryption = (
        '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"/>'
        if encrypted
        else ""
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
        'names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry '
        f'manifest:full-path="content.xml" manifest:media-type="text/xml">{encryption}'
        "</manifest:file-entry></manifest:manifest>"
    )
    return _zip(
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "content.xml": content,
            "META-INF/manifest.xml": manifest,
        },
        first="mimetype",
    )


def make_eml(
    *,
    subject: str,
    body: str | None,
    sent: datetime,
    attachments: list[tuple[str, str, bytes]] = (),
) -> bytes:
    """An e-mail: a plain-text body (or none) and attachments (name, MIME type, bytes)."""
    message = EmailMessage()
    message["From"] = "Mairie <mairie@example.org>"
    message["To"] = "Préfecture <solidarite@example.org>"
    message["Subject"] = subject
    message["Date"] = format_datetime(sent)
    message["Message-ID"] = "<golden@example.org>"
    if body is not None:
        message.set_content(body)
    for name, mime, data in attachments:
        maintype, subtype = mime.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return bytes(message)


# The golden files: real public texts (see fields/README.md for their sources), put in the
# formats mayors send. Only the dateline or subject line is ours.
PABU = (
    "Samedi dernier 9 mai et ce samedi 16 mai, les couturières bénévoles de la commune se "
    "sont mobilisées pour offrir un masque réutilisable à chaque habitant. Rappelons que "
    "cette équipe de bénévoles s’est mobilisée pour confectionner près de 2 700 masques, à "
    "domicile ou dans l’atelier improvisé dans la salle du conseil de la mairie de Pabu."
)
FILLIERE = [
    "Plus de 70 couturières ont répondu à l’appel du CCAS de Fillière. Initiée par quelques "
    "bénévoles, la démarche a vu le jour dès le mois d’avril.",
    "Elle s’est déclinée en 3 temps : la collecte de tissus et de matières premières dans les "
    "mairies déléguées à laquelle ont contribué près de 50 personnes ; la découpe et la "
    "préparation des kits de fabrication ; la conception des masques, aujourd’hui estimés à "
    "plus de 1000.",
]
PLOUGONVEN = (
    "Dès le 2 novembre et dans les jours qui ont suivi, des agents de la commune de "
    "Plougonven et des élus ont rendu visite aux aînés pour s’assurer qu’ils étaient en "
    "sécurité et s’enquérir de leurs besoins. Un accueil convivial a également été proposé "
    "en mairie pour échanger, prendre une boisson chaude ou recharger les téléphones portables."
)


def golden_files() -> dict[str, bytes]:
    filliere = make_docx(
        [
            "Fillière, le 25 mai 2020",
            [FILLIERE[0][:40], ("del", "Une soixantaine de "), ("ins", ""), FILLIERE[0][40:]],
            [("ins", FILLIERE[1])],
        ],
        heading="Près de 1000 masques confectionnés",
    )
    return {
        "pabu-distribution-masques.eml": make_eml(
            subject="Pabu : distribution de masques à la population",
            body=PABU,
            sent=datetime(2020, 5, 18, 9, 30, tzinfo=UTC),
            attachments=[("affiche.png", "image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32)],
        ),
        "filliere-masques-confectionnes.docx": filliere,
        "plougonven-solidarite.odt": make_odt(
            ["Plougonven, mis à jour le 07/11/2020", PLOUGONVEN],
            heading="Solidarité",
            deleted="Dès le 30 octobre",
        ),
    }


if __name__ == "__main__":
    for name, data in golden_files().items():
        (HERE / name).write_bytes(data)
        print(name, len(data))
