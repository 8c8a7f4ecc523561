"""Full exports generated ahead of time: one pass over the public initiatives writes every
format to a temporary file while hashing it, then each file goes to the ``exports``
storage and its ``ExportFile`` row (date, size, SHA-256) is replaced.

A streamed answer of a million rows outlived gunicorn's worker timeout and reached the
client cut, with a 200. The full files are therefore never produced by a request: the
scheduled job (``job_register`` in apps.py) and the task enqueued after each publication
batch build them; a request serves the stored file with its length and checksum.
"""

import base64
import hashlib
import tempfile
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import transaction
from django.utils import timezone

from solidaire.initiatives.selectors import InitiativeFilters

from . import datainclusion
from .exports import Layout, csv_layout, geojson_layout, json_layout, spreadsheet_layout
from .models import ExportFile
from .records import initiative_records

# Format: (layout, file extension). Same names as the views' FILES.
FULL_FORMATS = {
    "csv": (csv_layout, "csv"),
    "tableur": (spreadsheet_layout, "csv"),
    "json": (json_layout, "json"),
    "geojson": (geojson_layout, "geojson"),
    # data·inclusion: only what its schema accepts; ``rows`` counts the exported records and
    # ``problems`` lists the initiatives it refused.
    "di-structures": (datainclusion.structures_layout, "json"),
    "di-services": (datainclusion.services_layout, "json"),
}
WRITE_EVERY = 200  # records per write: few system calls, little memory


def export_storage() -> Storage:
    """The storage of the full files: ``exports`` if configured, else the default one."""
    alias = "exports" if "exports" in settings.STORAGES else "default"
    return storages[alias]


@dataclass
class _Output:
    fmt: str
    layout: Layout
    extension: str
    file: tempfile.SpooledTemporaryFile
    digest: "hashlib._Hash"
    size: int = 0
    joiner: str = ""
    rows: int = 0

    def write(self, text: str) -> None:
        data = text.encode()
        self.file.write(data)
        self.digest.update(data)
        self.size += len(data)


def exports_build() -> list[ExportFile]:
    """Generate every full file in one pass and make them current; returns their rows."""
    started = time.perf_counter()
    outputs = []
    for fmt, (make_layout, extension) in FULL_FORMATS.items():
        output = _Output(
            fmt=fmt,
            layout=make_layout(),
            extension=extension,
            file=tempfile.SpooledTemporaryFile(max_size=1024 * 1024),  # noqa: SIM115 (closed below)
            digest=hashlib.sha256(),
        )
        output.write(output.layout.head())
        output.joiner = output.layout.first
        outputs.append(output)
    rows = 0
    refused: list[dict] = []
    pending: dict[str, list[str]] = {output.fmt: [] for output in outputs}
    try:
        for record in initiative_records(filters=InitiativeFilters()):
            rows += 1
            for output in outputs:
                parts = pending[output.fmt]
                written = False
                for piece in output.layout.pieces(record):
                    parts.append(output.joiner)
                    parts.append(piece)
                    output.joiner = output.layout.sep
                    written = True
                output.rows += written
            if (why := datainclusion.refusal(record)) is not None:
                refused.append(why)
            if rows % WRITE_EVERY == 0:
                for output in outputs:
                    output.write("".join(pending[output.fmt]))
                    pending[output.fmt] = []
        for output in outputs:
            output.write("".join(pending[output.fmt]) + output.layout.tail)
        seconds = time.perf_counter() - started
        return [
            _publish(
                output,
                rows=output.rows if output.fmt in datainclusion.FORMATS else rows,
                seconds=seconds,
                problems=refused if output.fmt in datainclusion.FORMATS else [],
            )
            for output in outputs
        ]
    finally:
        for output in outputs:
            output.file.close()


def _publish(output: _Output, *, rows: int, seconds: float, problems: list) -> ExportFile:
    storage = export_storage()
    sha256 = output.digest.hexdigest()
    now = timezone.now()
    output.file.seek(0)
    name = storage.save(
        f"opendata/initiatives-{output.fmt}-{now:%Y%m%dT%H%M%S}-{sha256[:12]}.{output.extension}",
        File(output.file),
    )
    with transaction.atomic():
        previous = ExportFile.objects.select_for_update().filter(fmt=output.fmt).first()
        current, _ = ExportFile.objects.update_or_create(
            fmt=output.fmt,
            defaults={
                "name": name,
                "size": output.size,
                "sha256": sha256,
                "rows": rows,
                "generated_at": now,
                "seconds": round(seconds, 2),
                "problems": problems,
            },
        )
        if previous is not None and previous.name != name:
            old = previous.name
            # A server still sending the old file keeps its open handle (POSIX); a new
            # request reads the new row.
            transaction.on_commit(lambda: storage.delete(old), robust=True)
    return current


def exports_build_summary() -> str:
    built = exports_build()
    rows = built[0].rows if built else 0
    summary = f"{len(built)} fichier(s) complet(s) de {rows} initiative(s)"
    services = next((file for file in built if file.fmt == "di-services"), None)
    if services is not None:
        summary += f" ; data·inclusion : {services.rows} service(s)"
        if services.problems:
            refused = ", ".join(str(p["initiative"]) for p in services.problems)
            summary += f", {len(services.problems)} refusé(s) par le schéma (initiatives {refused})"
    return summary


def current_files() -> dict[str, ExportFile]:
    return {file.fmt: file for file in ExportFile.objects.all()}


def repr_digest(sha256_hex: str) -> str:
    """The SHA-256 in the form of RFC 9530's Repr-Digest (and of RFC 3230's Digest).

    >>> repr_digest(hashlib.sha256(b"").hexdigest())
    'sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:'
    """
    return f"sha-256=:{base64.b64encode(bytes.fromhex(sha256_hex)).decode()}:"
