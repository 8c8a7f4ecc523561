"""A local stand-in for data.gouv.fr's API (udata v1), for the publish_datagouv tests.

A threaded HTTP server on a free loopback port. Every request is checked against the shapes
of docs/specs/datagouv/endpoints.md (method, path, X-API-KEY, JSON body fields and their
Content-Type, multipart upload with a ``file`` field); a request off those shapes is recorded
in ``violations`` and answered as data.gouv.fr would (400, 401, 404). It answers like udata:
201 with the dataset or resource, the SHA-1 checksum computed from the uploaded file.
``faults`` makes chosen calls fail (an HTTP status, or a time-out by answering too late).
"""

import copy
import email.parser
import email.policy
import hashlib
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

API_KEY = "udata_cle-de-test"
ORGANIZATION = "5f0c0ffee0000000000000aa"

DATASET_FIELDS = {
    "title", "description", "organization", "description_short", "acronym", "license",
    "frequency", "frequency_date", "temporal_coverage", "spatial", "tags", "private", "extras",
    "contact_points", "deleted",
}  # fmt: skip
RESOURCE_PUT_FIELDS = {"title", "description", "type", "format", "schema", "extras"}
RESOURCE_TYPES = {"main", "documentation", "update", "api", "code", "other"}
PROTECTED = {"url", "checksum", "filesize", "mime", "filetype"}


@dataclass
class Fault:
    method: str
    path: str  # a regular expression matched against the whole path
    status: int | None = None  # None: a time-out (the answer comes after ``delay``)
    times: int | None = 1  # None: every time
    delay: float = 1.0


@dataclass
class StandIn:
    datasets: dict = field(default_factory=dict)
    calls: list = field(default_factory=list)  # (method, path)
    violations: list = field(default_factory=list)
    faults: list = field(default_factory=list)
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def writes(self) -> list:
        return [call for call in self.calls if call[0] != "GET"]

    def snapshot(self) -> dict:
        with self.lock:
            return copy.deepcopy(self.datasets)


def _now() -> str:
    return "2026-12-01T12:00:00+00:00"


class Handler(BaseHTTPRequestHandler):
    standin: StandIn

    def log_message(self, format, *args):  # quiet
        pass

    # -- plumbing ------------------------------------------------------------------------

    def _send(self, status: int, payload=None):
        body = b"" if payload is None else json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a time-out fault)

    def _violation(self, status: int, message: str, payload=None):
        self.standin.violations.append(f"{self.command} {self.path}: {message}")
        self._send(status, payload if payload is not None else {"message": message})

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _json(self, raw: bytes):
        if "application/json" not in (self.headers.get("Content-Type") or ""):
            self._violation(
                400, "bad content type", {"errors": {"Content-Type": "expecting application/json"}}
            )
            return None
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        if not isinstance(body, dict):
            self._violation(
                400, "not a JSON object", {"errors": {"request": "expecting a JSON object"}}
            )
            return None
        return body

    def _upload(self, raw: bytes):
        content_type = self.headers.get("Content-Type") or ""
        if not content_type.startswith("multipart/form-data; boundary="):
            self._violation(
                400, "not multipart", {"success": False, "error": "Missing file parameter"}
            )
            return None
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw
        )
        for part in message.iter_parts():
            if part.get_param("name", header="content-disposition") == "file":
                filename = part.get_filename()
                data = part.get_payload(decode=True)
                if not filename:
                    break
                if filename.endswith((".html", ".htm")):
                    self._send(415, {"message": "Incorrect file content type: HTML"})
                    return None
                return filename, data, part.get_content_type()
        self._violation(400, "no file field", {"success": False, "error": "Missing file parameter"})
        return None

    def _dataset(self, ref: str):
        for dataset in self.standin.datasets.values():
            if ref in (dataset["id"], dataset["slug"]):
                return dataset
        return None

    # -- routing -------------------------------------------------------------------------

    def do_GET(self):
        self._route("GET")

    def do_POST(self):
        self._route("POST")

    def do_PUT(self):
        self._route("PUT")

    def _route(self, method: str):
        raw = self._body()
        path = self.path.split("?", 1)[0]
        self.standin.calls.append((method, path))
        for fault in self.standin.faults:
            if fault.method == method and re.fullmatch(fault.path, path) and fault.times != 0:
                if fault.times is not None:
                    fault.times -= 1
                if fault.status is None:
                    time.sleep(fault.delay)
                    return self._send(504, {"message": "too late"})
                return self._send(fault.status, {"message": "Internal server error"})
        if self.headers.get("X-API-KEY") != API_KEY:
            return self._violation(401, "Invalid API token")
        routes = [
            ("POST", r"/api/1/datasets/", self._create_dataset),
            ("GET", r"/api/1/datasets/([^/]+)/", self._get_dataset),
            ("PUT", r"/api/1/datasets/([^/]+)/", self._put_dataset),
            ("POST", r"/api/1/datasets/([^/]+)/upload/", self._new_resource),
            ("POST", r"/api/1/datasets/([^/]+)/resources/([^/]+)/upload/", self._replace_file),
            ("PUT", r"/api/1/datasets/([^/]+)/resources/([^/]+)/", self._put_resource),
        ]
        for route_method, pattern, view in routes:
            match = re.fullmatch(pattern, path)
            if match and route_method == method:
                with self.standin.lock:
                    return view(raw, *match.groups())
        return self._violation(404, "no such endpoint")

    # -- endpoints -----------------------------------------------------------------------

    def _create_dataset(self, raw):
        body = self._json(raw)
        if body is None:
            return
        errors = {
            k: ["This field is required."] for k in ("title", "description") if not body.get(k)
        }
        if set(body) - DATASET_FIELDS:
            errors.update({k: ["Unknown field"] for k in set(body) - DATASET_FIELDS})
        if body.get("organization") not in (None, ORGANIZATION):
            errors["organization"] = ["Permission denied for this organization"]
        if errors:
            return self._violation(400, f"invalid dataset {errors}", {"errors": errors})
        dataset_id = uuid.uuid4().hex[:24]
        dataset = {
            **body,
            "id": dataset_id,
            "slug": re.sub(r"[^a-z0-9]+", "-", body["title"].lower()).strip("-"),
            "page": f"https://www.data.gouv.fr/datasets/{dataset_id}/",
            "private": bool(body.get("private")),
            "tags": body.get("tags", []),
            "resources": [],
            "created_at": _now(),
            "last_modified": _now(),
        }
        self.standin.datasets[dataset_id] = dataset
        self._send(201, dataset)

    def _get_dataset(self, raw, ref):
        dataset = self._dataset(ref)
        if dataset is None:
            return self._send(404, {"message": "Not found"})
        self._send(200, dataset)

    def _put_dataset(self, raw, ref):
        dataset = self._dataset(ref)
        if dataset is None:
            return self._violation(404, "unknown dataset")
        body = self._json(raw)
        if body is None:
            return
        if set(body) - DATASET_FIELDS:
            return self._violation(400, f"unknown fields {set(body) - DATASET_FIELDS}")
        if "organization" in body and body["organization"] != dataset.get("organization"):
            return self._violation(
                400,
                "owner change",
                {"errors": {"organization": ["Cannot change owner after creation."]}},
            )
        dataset.update(body)
        dataset["last_modified"] = _now()
        self._send(200, dataset)

    def _file_fields(self, filename, data, mime):
        return {
            "title": filename,
            "url": f"https://static.data.gouv.fr/resources/{uuid.uuid4().hex}/{filename}",
            "format": filename.rsplit(".", 1)[-1],
            "mime": mime,
            "filesize": len(data),
            "checksum": {"type": "sha1", "value": hashlib.sha1(data).hexdigest()},
            "filetype": "file",
            "last_modified": _now(),
        }

    def _new_resource(self, raw, ref):
        dataset = self._dataset(ref)
        if dataset is None:
            return self._violation(404, "unknown dataset")
        upload = self._upload(raw)
        if upload is None:
            return
        resource = {
            "id": str(uuid.uuid4()),
            "type": "main",
            "description": "",
            "extras": {},
            "created_at": _now(),
            "latest": "",
            **self._file_fields(*upload),
        }
        dataset["resources"].append(resource)
        self._send(201, {**resource, "success": True})

    def _resource(self, ref, rid):
        dataset = self._dataset(ref)
        if dataset is None:
            return None
        return next((r for r in dataset["resources"] if r["id"] == rid), None)

    def _replace_file(self, raw, ref, rid):
        resource = self._resource(ref, rid)
        if resource is None:
            return self._violation(404, "Resource does not exist")
        upload = self._upload(raw)
        if upload is None:
            return
        resource.update(self._file_fields(*upload))
        self._send(200, resource)

    def _put_resource(self, raw, ref, rid):
        resource = self._resource(ref, rid)
        if resource is None:
            return self._violation(404, "Resource does not exist")
        body = self._json(raw)
        if body is None:
            return
        if "filetype" in body:
            return self._violation(400, "Cannot modify filetype after creation")
        if set(body) & PROTECTED or set(body) - RESOURCE_PUT_FIELDS:
            return self._violation(
                400, f"fields not allowed: {sorted(set(body) - RESOURCE_PUT_FIELDS)}"
            )
        if "type" in body and body["type"] not in RESOURCE_TYPES:
            return self._violation(400, f"bad type {body['type']}")
        resource.update(body)
        self._send(200, resource)


def start() -> tuple[StandIn, ThreadingHTTPServer]:
    standin = StandIn()
    handler = type("BoundHandler", (Handler,), {"standin": standin})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    standin.url = f"http://127.0.0.1:{server.server_address[1]}/api/1/"
    # A short poll: shutdown() returns quickly at each test's end.
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return standin, server
