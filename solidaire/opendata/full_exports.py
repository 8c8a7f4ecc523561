"""Full exports generated ahead of time: one pass over the public initiatives writes every
format to a temporary file while hashing it, then each file goes to the ``exports``
storage and its ``ExportFile`` row (date, size, SHA-256) is replaced.

A streamed answer of a million rows outlived gunicorn's worker timeout and reached the
client cut, with a 200. The full files are therefore never produced by a request: the
scheduled job (``job_register`` in apps.py) and the task enqueued after each publication
batch build them; a request serves the stored file with its length and checksum.
"""

import base64
import contextlib
import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import transaction
from django.utils import timezone

from solidaire.initiatives.selectors import InitiativeFilters

from . import datainclusion, sql_exports
from .exports import Layout, csv_layout, geojson_layout, json_layout, spreadsheet_layout
from .models import ExportFile
from .records import initiative_records

# Format: (layout, file extension). Same names as the views' FILES.
FULL_FORMATS = {
    "csv": (csv_layout, "csv"),
    "tableur": (spreadsheet_layout, "csv"),
    "json": (json_layout, "json"),
    "geojson": (geojson_layout, "geojson"),
}
# data·inclusion: only what its schema accepts; ``rows`` counts the exported records and
# ``problems`` lists the initiatives it refused. Its validation is Python's (the schema's
# own models), so these files get a pass of their own after the fast ones.
DI_FORMATS = {
    "di-structures": (datainclusion.structures_layout, "json"),
    "di-services": (datainclusion.services_layout, "json"),
}
ALL_FORMATS = {**FULL_FORMATS, **DI_FORMATS}
WRITE_EVERY = 1000  # records per write: few system calls, little memory


def export_storage() -> Storage:
    """The storage of the full files: ``exports`` if configured, else the default one."""
    alias = "exports" if "exports" in settings.STORAGES else "default"
    return storages[alias]


class _TempFile(File):
    """A finished file on disk: FileSystemStorage moves it into place instead of copying
    gigabytes (``temporary_file_path``); other storages read it."""

    def temporary_file_path(self) -> str:
        return self.file.name


@dataclass
class _Output:
    fmt: str
    layout: Layout
    extension: str
    file: BinaryIO
    digest: "hashlib._Hash"
    size: int = 0
    joiner: str = ""
    rows: int = 0

    def write(self, text: str) -> None:
        data = text.encode()
        self.file.write(data)
        self.digest.update(data)
        self.size += len(data)


def _python_rows() -> Iterator[tuple[str, ...]]:
    """Each public initiative's text in every format of FULL_FORMATS, by the layouts of the
    streamed exports (several pieces of a record joined by the layout's separator)."""
    layouts = [make_layout() for make_layout, _ in FULL_FORMATS.values()]
    for record in initiative_records(filters=InitiativeFilters()):
        yield tuple(layout.sep.join(layout.pieces(record)) for layout in layouts)


def exports_build() -> list[ExportFile]:
    """Generate every full file and make them current; returns their rows.

    On PostgreSQL the server formats the rows of FULL_FORMATS (sql_exports.py,
    byte-for-byte the same files); elsewhere the Python layouts do. The data·inclusion
    files follow, from the records.
    """
    built = _build(FULL_FORMATS, _write_rows)
    return built + _build(DI_FORMATS, _write_records)


def _build(formats: dict, write) -> list[ExportFile]:
    started = time.perf_counter()
    outputs = []
    folder = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    try:
        for fmt, (make_layout, extension) in formats.items():
            output = _Output(
                fmt=fmt,
                layout=make_layout(),
                extension=extension,
                file=tempfile.NamedTemporaryFile(  # noqa: SIM115 (removed below)
                    prefix=f"export-{fmt}-", dir=folder, delete=False
                ),
                digest=hashlib.sha256(),
            )
            outputs.append(output)
            output.write(output.layout.head())
            output.joiner = output.layout.first
        with transaction.atomic():
            problems = write(outputs)
        for output in outputs:
            output.write(output.layout.tail)
            output.file.close()
        seconds = time.perf_counter() - started
        return [_publish(output, seconds=seconds, problems=problems) for output in outputs]
    finally:
        for output in outputs:
            output.file.close()
            with contextlib.suppress(FileNotFoundError):  # moved into the storage
                os.unlink(output.file.name)


def _write_rows(outputs: list[_Output]) -> list:
    assert [o.fmt for o in outputs] == list(sql_exports.FORMATS) == list(FULL_FORMATS)
    if sql_exports.available():
        source = sql_exports.sql_rows(filters=InitiativeFilters())
    else:
        source = _python_rows()
    rows = 0
    pending: list[list[str]] = [[] for _ in outputs]
    for texts in source:
        rows += 1
        for output, parts, text in zip(outputs, pending, texts, strict=True):
            if text:  # a record without a point has no GeoJSON feature
                parts.append(output.joiner)
                parts.append(text)
                output.joiner = output.layout.sep
        if rows % WRITE_EVERY == 0:
            _flush(outputs, pending)
    _flush(outputs, pending)
    for output in outputs:
        output.rows = rows  # initiatives, whatever the pieces of each
    return []


def _write_records(outputs: list[_Output]) -> list[dict]:
    """The data·inclusion files: a record counts in a file when it wrote a piece there;
    returns the initiatives that the schema refused."""
    refused: list[dict] = []
    pending: list[list[str]] = [[] for _ in outputs]
    for seen, record in enumerate(initiative_records(filters=InitiativeFilters()), 1):
        for output, parts in zip(outputs, pending, strict=True):
            written = False
            for piece in output.layout.pieces(record):
                parts.append(output.joiner)
                parts.append(piece)
                output.joiner = output.layout.sep
                written = True
            output.rows += written
        if (why := datainclusion.refusal(record)) is not None:
            refused.append(why)
        if seen % WRITE_EVERY == 0:
            _flush(outputs, pending)
    _flush(outputs, pending)
    return refused


def _flush(outputs: list[_Output], pending: list[list[str]]) -> None:
    for output, parts in zip(outputs, pending, strict=True):
        output.write("".join(parts))
        parts.clear()


def _publish(output: _Output, *, seconds: float, problems: list) -> ExportFile:
    storage = export_storage()
    sha256 = output.digest.hexdigest()
    now = timezone.now()
    with open(output.file.name, "rb") as finished:
        name = storage.save(
            f"opendata/initiatives-{output.fmt}-{now:%Y%m%dT%H%M%S}-{sha256[:12]}"
            f".{output.extension}",
            _TempFile(finished),
        )
    with transaction.atomic():
        previous = ExportFile.objects.select_for_update().filter(fmt=output.fmt).first()
        current, _ = ExportFile.objects.update_or_create(
            fmt=output.fmt,
            defaults={
                "name": name,
                "size": output.size,
                "sha256": sha256,
                "rows": output.rows,
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
