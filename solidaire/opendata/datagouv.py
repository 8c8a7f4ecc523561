"""Publication of the open data on data.gouv.fr (udata API v1, docs/specs/datagouv/).

One dataset, five resources: the CSV, the GeoJSON, data·inclusion's structures and services
(the full files built ahead by the job) and the datapackage.json that describes them.

Why not ``datagouv-client``: it reaches only https://{www,demo,dev}.data.gouv.fr (no base URL
of our own, so neither a configured platform nor a local stand-in), and it would bring
niquests and tenacity. The standard library's urllib does the five calls needed.

Idempotent: the remote state is read first, and a file is uploaded only when its SHA-1 (the
checksum data.gouv.fr computes) differs; metadata are sent only when they differ. A second
run with the same data makes no write call.

Nothing half-published, as far as the API allows (it has no transaction):
* everything local (files, checksums, metadata) and the remote state are ready before the
  first write, so a bad configuration or a missing file stops the run with nothing written;
* a new dataset is created private (a draft nobody sees), filled, and made public by the
  last call only; a run that fails before leaves the draft, which the next run completes;
* an existing resource keeps its id and has its file replaced in one call (the server swaps
  it), so each resource is always one whole generation of its file; its metadata follow;
* the datapackage.json, which describes the others, goes last;
* a call that fails (time-out, 5xx, 429) is retried with an increasing wait; when it still
  fails the run stops at once: what was already replaced is complete, the rest keeps its
  previous published state, and the next run sends only what still differs.
"""

import hashlib
import json
import logging
import time
import uuid
from dataclasses import dataclass, field
from urllib.error import HTTPError, URLError
from urllib.parse import quote
from urllib.request import Request, urlopen

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from solidaire.initiatives.selectors import InitiativeFilters

from . import datainclusion
from .datapackage import datapackage
from .full_exports import current_files, export_storage, exports_build
from .models import DatagouvDataset
from .selectors import data_version
from .tableschema import SCHEMA_VERSION

logger = logging.getLogger(__name__)

BACKOFF_SECONDS = 2.0  # waits of 2, 4, 8… seconds between attempts
RETRIED_STATUSES = {429, 500, 502, 503, 504}
# Our mark on each resource, to find it again whatever its title became.
EXTRA_KEY = "territoire_solidaire_fichier"


class DatagouvError(Exception):
    """A failure to report to the operator, in French."""


@dataclass(frozen=True)
class LocalResource:
    key: str
    filename: str
    title: str
    description: str
    type: str
    format: str
    mime: str
    data: bytes = field(repr=False)

    @property
    def sha1(self) -> str:
        return hashlib.sha1(self.data).hexdigest()  # noqa: S324 (data.gouv.fr's checksum)

    def metadata(self) -> dict:
        return {
            "title": self.title,
            "description": self.description,
            "type": self.type,
            "format": self.format,
            "extras": {EXTRA_KEY: self.key},
        }


@dataclass
class Summary:
    dataset: str = ""
    page: str = ""
    created: bool = False
    uploaded: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    writes: int = 0

    def text(self) -> str:
        if not self.writes:
            return f"data.gouv.fr : jeu de données {self.dataset} déjà à jour, rien envoyé."
        parts = [f"data.gouv.fr : jeu de données {self.dataset}"]
        if self.created:
            parts.append("créé")
        if self.uploaded:
            parts.append("fichiers envoyés : " + ", ".join(self.uploaded))
        if self.updated:
            parts.append("métadonnées mises à jour : " + ", ".join(self.updated))
        return " ; ".join(parts) + (f" ({self.page})" if self.page else "") + "."


# --- HTTP -----------------------------------------------------------------------------


class Client:
    """The calls of docs/specs/datagouv/endpoints.md, with X-API-KEY, retried on time-outs
    and server errors (bounded, with backoff)."""

    def __init__(self, *, base_url: str, api_key: str, timeout: float, attempts: int):
        self.base_url = base_url.rstrip("/") + "/"
        self.api_key = api_key
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.writes = 0

    def call(self, method: str, path: str, *, body=None, upload: LocalResource | None = None):
        """The JSON answer of ``method path``; DatagouvError when it fails for good."""
        headers = {"X-API-KEY": self.api_key, "Accept": "application/json"}
        data = None
        if upload is not None:
            data, content_type = _multipart(upload)
            headers["Content-Type"] = content_type
        elif body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json; charset=utf-8"
        url = self.base_url + path.lstrip("/")
        if method != "GET":
            self.writes += 1
        last = ""
        for attempt in range(1, self.attempts + 1):
            request = Request(url, data=data, method=method, headers=headers)  # noqa: S310
            try:
                with urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    raw = response.read()
                return json.loads(raw) if raw else None
            except HTTPError as exc:
                detail = _error_detail(exc)
                if exc.code not in RETRIED_STATUSES:
                    raise DatagouvError(
                        f"data.gouv.fr a refusé {method} {path} (HTTP {exc.code}) : {detail}"
                    ) from exc
                last = f"HTTP {exc.code} {detail}".strip()
            except TimeoutError as exc:
                last = f"pas de réponse en {self.timeout:g} s ({exc})"
            except URLError as exc:
                last = f"connexion impossible ({exc.reason})"
            logger.warning(
                "data.gouv.fr : %s %s, essai %s/%s : %s", method, path, attempt, self.attempts, last
            )
            if attempt < self.attempts:
                time.sleep(BACKOFF_SECONDS * 2 ** (attempt - 1))
        raise DatagouvError(
            f"data.gouv.fr ne répond pas correctement à {method} {path} après "
            f"{self.attempts} essai(s) : {last}"
        )


def _error_detail(exc: HTTPError) -> str:
    try:
        payload = json.loads(exc.read() or b"null")
    except (ValueError, OSError):
        return ""
    if isinstance(payload, dict):
        return json.dumps(
            payload.get("errors") or payload.get("error") or payload.get("message") or payload,
            ensure_ascii=False,
        )
    return ""


def _multipart(resource: LocalResource) -> tuple[bytes, str]:
    boundary = f"----territoire-solidaire-{uuid.uuid4().hex}"
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{resource.filename}"\r\n'
        f"Content-Type: {resource.mime}\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    return head + resource.data + tail, f"multipart/form-data; boundary={boundary}"


# --- What to publish --------------------------------------------------------------------


def _stored_bytes(file) -> bytes:
    with export_storage().open(file.name, "rb") as handle:
        return handle.read()


def local_resources() -> list[LocalResource]:
    """The files to publish, from the full exports (built now if one is missing)."""
    files = current_files()
    needed = ("csv", "geojson", *datainclusion.FORMATS)
    if any(fmt not in files for fmt in needed):
        exports_build()
        files = current_files()
    root = settings.SITE_ROOT
    schema_url = root + reverse("opendata:table-schema")
    _, last_modified = data_version(filters=InitiativeFilters(), salt="datapackage")
    package = json.dumps(
        datapackage(last_modified=last_modified), ensure_ascii=False, indent=2, sort_keys=True
    ).encode()
    di = f"au schéma data·inclusion {datainclusion.SCHEMA_VERSION}"
    return [
        LocalResource(
            "csv",
            "initiatives.csv",
            "Initiatives solidaires (CSV)",
            "Une ligne par initiative publiée ou archivée, UTF-8, séparateur virgule. "
            f"Colonnes décrites par le schéma « Initiatives solidaires » {SCHEMA_VERSION} "
            f"({schema_url}).",
            "main",
            "csv",
            "text/csv",
            _stored_bytes(files["csv"]),
        ),
        LocalResource(
            "geojson",
            "initiatives.geojson",
            "Initiatives solidaires (GeoJSON)",
            "Un point par initiative et par commune (ou par territoire), WGS84.",
            "main",
            "geojson",
            "application/geo+json",
            _stored_bytes(files["geojson"]),
        ),
        LocalResource(
            "di-structures",
            "data-inclusion-structures.json",
            "Structures au format data·inclusion",
            f"Les porteurs des initiatives en cours, conformes {di}.",
            "main",
            "json",
            "application/json",
            _stored_bytes(files["di-structures"]),
        ),
        LocalResource(
            "di-services",
            "data-inclusion-services.json",
            "Services au format data·inclusion",
            f"Les initiatives en cours, conformes {di} (thématiques, zone d'éligibilité en "
            "codes INSEE, contacts publics).",
            "main",
            "json",
            "application/json",
            _stored_bytes(files["di-services"]),
        ),
        # Last: it describes the others.
        LocalResource(
            "datapackage",
            "datapackage.json",
            "Description des fichiers (datapackage.json)",
            "Paquet de données Frictionless : colonnes, types et licence.",
            "documentation",
            "json",
            "application/json",
            package,
        ),
    ]


def dataset_metadata() -> dict:
    root = settings.SITE_ROOT
    return {
        "title": f"Initiatives solidaires — {settings.SITE_TITLE}",
        "description": (
            f"Initiatives de solidarité publiées par la préfecture ({settings.PREFECTURE_NAME}) "
            f"sur {root}/ : qui agit, quoi, où (codes INSEE), pour qui, et comment joindre le "
            "porteur (contacts publics seulement ; aucune donnée personnelle des déposants).\n\n"
            f"Fichiers : CSV (schéma « Initiatives solidaires » {SCHEMA_VERSION}), GeoJSON, "
            f"structures et services au format data·inclusion {datainclusion.SCHEMA_VERSION}, "
            "et leur description (datapackage.json). Mis à jour automatiquement depuis "
            f"{root}{reverse('opendata:index')}."
        ),
        "license": "lov2",
        "frequency": "daily",
        "tags": ["solidarite", "entraide", "initiatives-locales", "data-inclusion"],
    }


# --- The run ----------------------------------------------------------------------------


def _changed(remote: dict, wanted: dict) -> dict:
    changes = {}
    for key, value in wanted.items():
        current = remote.get(key)
        if key == "tags":
            same = sorted(current or []) == sorted(value)
        elif key == "extras":
            same = all((current or {}).get(k) == v for k, v in value.items())
        else:
            same = (current or "") == value
        if not same:
            changes[key] = value
    return changes


def _match(remote_resources: list[dict], local: LocalResource) -> dict | None:
    for resource in remote_resources:
        if (resource.get("extras") or {}).get(EXTRA_KEY) == local.key:
            return resource
    # A file uploaded by a run that failed before setting its metadata keeps the file name
    # as its title (the server's default).
    for resource in remote_resources:
        if resource.get("title") in (local.filename, local.title):
            return resource
    return None


def _same_file(remote: dict, local: LocalResource) -> bool:
    checksum = remote.get("checksum") or {}
    return (
        checksum.get("type") == "sha1"
        and checksum.get("value") == local.sha1
        and remote.get("filesize") in (None, len(local.data))
    )


def publish(*, client: Client | None = None) -> Summary:
    """Create or update the dataset and its resources; see the module's docstring."""
    api_url = settings.DATAGOUV_API_URL
    if not settings.DATAGOUV_API_KEY:
        raise DatagouvError("DATAGOUV_API_KEY n'est pas réglée : aucune clé d'API data.gouv.fr.")
    client = client or Client(
        base_url=api_url,
        api_key=settings.DATAGOUV_API_KEY,
        timeout=settings.DATAGOUV_TIMEOUT,
        attempts=settings.DATAGOUV_ATTEMPTS,
    )
    # Everything local first: a failure here writes nothing.
    resources = local_resources()
    metadata = dataset_metadata()
    summary = Summary()
    dataset_ref = settings.DATAGOUV_DATASET
    if not dataset_ref:
        known = DatagouvDataset.objects.filter(api_url=api_url).first()
        dataset_ref = known.dataset if known else ""
    if dataset_ref:
        dataset = client.call("GET", f"datasets/{quote(dataset_ref, safe='')}/")
    else:
        if not settings.DATAGOUV_ORGANIZATION:
            raise DatagouvError(
                "DATAGOUV_ORGANIZATION n'est pas réglée : l'organisation sous laquelle créer "
                "le jeu de données est nécessaire (ou DATAGOUV_DATASET pour un jeu existant)."
            )
        dataset = client.call(
            "POST",
            "datasets/",
            body={**metadata, "organization": settings.DATAGOUV_ORGANIZATION, "private": True},
        )
        summary.created = True
        # Kept at once: a run that fails later completes this draft instead of a new one.
        DatagouvDataset.objects.update_or_create(
            api_url=api_url,
            defaults={"dataset": dataset["id"], "page": dataset.get("page") or ""},
        )
    dataset_id = dataset["id"]
    summary.dataset = dataset_id
    summary.page = dataset.get("page") or ""
    base = f"datasets/{dataset_id}/"
    remote_resources = list(dataset.get("resources") or [])
    for local in resources:
        remote = _match(remote_resources, local)
        if remote is None:
            remote = client.call("POST", f"{base}upload/", upload=local)
            remote_resources.append(remote)
            summary.uploaded.append(local.filename)
        elif not _same_file(remote, local):
            remote = client.call("POST", f"{base}resources/{remote['id']}/upload/", upload=local)
            summary.uploaded.append(local.filename)
        changes = _changed(remote, local.metadata())
        if changes:
            client.call("PUT", f"{base}resources/{remote['id']}/", body=changes)
            if local.filename not in summary.uploaded:
                summary.updated.append(local.filename)
    changes = _changed(dataset, metadata)
    if dataset.get("private"):
        changes["private"] = False  # last: the draft becomes public once complete
    if changes:
        client.call("PUT", base, body=changes)
        summary.updated.append("jeu de données")
    summary.writes = client.writes
    if summary.writes:
        DatagouvDataset.objects.update_or_create(
            api_url=api_url,
            defaults={
                "dataset": dataset_id,
                "page": summary.page,
                "published_at": timezone.now(),
            },
        )
    return summary
