"""A small FHIR R4 server on loopback that misbehaves on request: the portal a practice may
really meet (future-dated records, replica lag, malformed and oversized resources, pages that
loop, answers that never end). Standard library only; every request and byte is counted."""

from __future__ import annotations

import base64
import gzip
import io
import json
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from PIL import Image

ECONSULT = {"coding": [{"system": "urn:oid:2.16.840.1.113883.2.4.4.30.14", "code": "12"}]}
BSN_SYSTEM = "http://fhir.nl/fhir/NamingSystem/bsn"


def instant(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def png_bytes(colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return buffer.getvalue()


def patient(pid: str, *, bsn: str | None = "999990019", birth: str | None = "1980-04-02",
            **extra: Any) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Patient", "id": pid, "meta": {"versionId": "1"},
        "name": [{"use": "official", "family": "Jansen", "given": ["Anna"]}],
        "gender": "female"}
    if bsn is not None:
        resource["identifier"] = [{"system": BSN_SYSTEM, "value": bsn}]
    if birth is not None:
        resource["birthDate"] = birth
    resource.update(extra)
    return resource


def communication(cid: str, *, patient_id: str = "p1", text: str = "Ik heb een vraag.",
                  last_updated: datetime, topic: str = "Vraag", **extra: Any) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Communication", "id": cid,
        "meta": {"versionId": "1", "lastUpdated": instant(last_updated)},
        "status": "in-progress", "category": [ECONSULT],
        "subject": {"reference": f"Patient/{patient_id}"},
        "sender": {"reference": f"Patient/{patient_id}"},
        "recipient": [{"reference": "Organization/org1"}],
        "sent": instant(last_updated), "topic": {"text": topic},
        "payload": [{"contentString": text}]}
    resource.update(extra)
    return resource


class MisbehavingPortal:
    """Serves Communications (search by `_lastUpdated`, `_sort`, `_count`, `_offset`, with
    `_include` of patients), reads of Patient and Binary, and an empty directory. Switches:

    - `next_links`: give Bundle next links (by `_offset`), or leave paging to the client;
    - `ignore_offset`: answer every page as if `_offset` were 0;
    - `self_next_link`: every page's next link points to the page itself;
    - `patient_404`: patient id -> how many more reads answer 404 (replica lag);
    - `binary_503`: binary id -> how many more reads answer 503;
    - `binary_drip`: every Binary read sends a byte now and then, for ever;
    - `page_override`: a function (handler, query) -> True when it answered the request itself
      (for endless, bombing or dripping answers).
    """

    def __init__(self) -> None:
        self.communications: dict[str, dict[str, Any]] = {}
        self.patients: dict[str, dict[str, Any]] = {"p1": patient("p1")}
        self.binaries: dict[str, bytes | dict[str, Any]] = {}
        self.next_links = True
        self.ignore_offset = False
        self.self_next_link = False
        self.patient_404: dict[str, int] = {}
        self.binary_503: dict[str, int] = {}
        self.binary_drip = False
        self.page_override: Callable[[BaseHTTPRequestHandler, dict[str, str]], bool] | None = None
        self.requests: list[str] = []
        self.bytes_sent = 0
        self._lock = threading.Lock()
        portal = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def handle(self) -> None:
                try:
                    super().handle()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client hung up on a misbehaving answer, as it should

            def do_GET(self) -> None:  # noqa: N802 - the http.server name
                with portal._lock:
                    portal.requests.append(self.path)
                try:
                    portal._answer(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}/fhir"
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    # -- content ----------------------------------------------------------------------------
    def add(self, resource: dict[str, Any]) -> dict[str, Any]:
        self.communications[str(resource.get("id"))] = resource
        return resource

    def add_photo(self, binary_id: str, colour: str = "red") -> dict[str, Any]:
        data = png_bytes(colour)
        self.binaries[binary_id] = data
        return {"contentAttachment": {"contentType": "image/png", "title": f"{binary_id}.png",
                                      "url": f"{self.base_url}/Binary/{binary_id}",
                                      "size": len(data)}}

    def communication_requests(self) -> list[str]:
        return [path for path in self.requests if path.startswith("/fhir/Communication?")]

    # -- answering ----------------------------------------------------------------------------
    def send(self, handler: BaseHTTPRequestHandler, status: int, body: Any,
             content_type: str = "application/fhir+json", headers: dict[str, str] | None = None
             ) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        # A marker that stands for JSON nested deeper than any parser should follow.
        data = data.replace(b'"__DEEP__"', b"[" * 100_000 + b"]" * 100_000)
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
        with self._lock:
            self.bytes_sent += len(data)

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        query = dict(parse_qsl(parts.query))
        path = parts.path.removeprefix("/fhir/").strip("/")
        if path == "Communication":
            if self.page_override and self.page_override(handler, query):
                return
            self.send(handler, 200, self._search(handler.path, query))
        elif path in ("Organization", "PractitionerRole"):
            self.send(handler, 200, _bundle([]))
        elif path == "Patient":
            wanted = query.get("_id", "").split(",")
            found = [p for pid in wanted if (p := self._patient(pid)) is not None]
            self.send(handler, 200, _bundle([{"resource": p, "search": {"mode": "match"}}
                                             for p in found]))
        elif path.startswith("Patient/"):
            found = self._patient(path.split("/", 1)[1])
            self.send(handler, 200 if found else 404,
                      found or {"resourceType": "OperationOutcome"})
        elif path.startswith("Communication/"):
            found = self.communications.get(path.split("/", 1)[1])
            self.send(handler, 200 if found else 404,
                      found or {"resourceType": "OperationOutcome"})
        elif path.startswith("Binary/"):
            binary_id = path.split("/", 1)[1]
            with self._lock:
                failing = self.binary_503.get(binary_id, 0)
                if failing:
                    self.binary_503[binary_id] = failing - 1
            if self.binary_drip:
                self.drip(handler, 0.1, 20)
            elif failing:
                self.send(handler, 503, {"resourceType": "OperationOutcome"})
            elif isinstance(self.binaries.get(binary_id), dict):  # a FHIR Binary resource
                self.send(handler, 200, self.binaries[binary_id])
            elif binary_id in self.binaries:
                self.send(handler, 200, self.binaries[binary_id], "image/png")
            else:
                self.send(handler, 404, {"resourceType": "OperationOutcome"})
        else:
            self.send(handler, 404, {"resourceType": "OperationOutcome"})

    def _patient(self, pid: str) -> dict[str, Any] | None:
        with self._lock:
            lagging = self.patient_404.get(pid, 0)
            if lagging:
                self.patient_404[pid] = lagging - 1
                return None
        return self.patients.get(pid)

    def _search(self, path: str, query: dict[str, str]) -> dict[str, Any]:
        since = query.get("_lastUpdated", "ge")[2:]
        count = int(query.get("_count", 50))
        offset = 0 if self.ignore_offset else int(query.get("_offset", 0))
        resources = sorted(self.communications.values(), key=_sort_key)
        if since:
            floor = _when(since)
            resources = [r for r in resources if _when(_last_updated(r)) >= floor]
        page = resources[offset:offset + count]
        entries = [{"resource": r, "search": {"mode": "match"}} for r in page]
        if "_include" in query:
            subjects = {r.get("subject", {}).get("reference", "") for r in page
                        if isinstance(r.get("subject"), dict)}
            entries += [{"resource": self.patients[ref.split("/")[1]],
                         "search": {"mode": "include"}}
                        for ref in sorted(s for s in subjects if isinstance(s, str))
                        if ref.startswith("Patient/") and ref.split("/")[1] in self.patients
                        and not self.patient_404.get(ref.split("/")[1])]
        links = []
        if self.self_next_link:
            links.append({"relation": "next", "url": f"http://{_host(self)}{path}"})
        elif self.next_links and offset + count < len(resources):
            params = "&".join(f"{k}={v}" for k, v in query.items() if k != "_offset")
            links.append({"relation": "next", "url": f"{self.base_url}/Communication?{params}"
                                                     f"&_offset={offset + count}"})
        return _bundle(entries, links)

    # -- misbehaviour helpers -----------------------------------------------------------------
    def endless_page(self, handler: BaseHTTPRequestHandler, limit_bytes: int) -> None:
        """A page that never ends (chunked, stops only when the client hangs up)."""
        handler.send_response(200)
        handler.send_header("Content-Type", "application/fhir+json")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        head = b'{"resourceType": "Bundle", "type": "searchset", "entry": ['
        piece = json.dumps({"resource": {"resourceType": "Basic", "id": "x" * 60}}).encode()
        piece = (piece + b",") * 200
        sent = 0
        for chunk in [head] + [piece] * (limit_bytes // len(piece) + 1):
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
            with self._lock:
                self.bytes_sent += len(chunk)
            if sent > limit_bytes:
                break

    def gzip_bomb(self, handler: BaseHTTPRequestHandler, inflated_bytes: int) -> None:
        """A small gzip answer that inflates to `inflated_bytes` of JSON-looking spaces."""
        buffer = io.BytesIO()
        with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9) as packed:
            packed.write(b'{"resourceType": "Bundle", "type": "searchset", "x": "')
            block = b" " * (1024 * 1024)
            for _ in range(inflated_bytes // len(block)):
                packed.write(block)
            packed.write(b'"}')
        self.send(handler, 200, buffer.getvalue(), headers={"Content-Encoding": "gzip"})

    def drip(self, handler: BaseHTTPRequestHandler, every_s: float, max_s: float) -> None:
        """Headers at once, then one byte of body now and then, up to `max_s` seconds."""
        handler.send_response(200)
        handler.send_header("Content-Type", "application/fhir+json")
        handler.send_header("Content-Length", "1000000")
        handler.end_headers()
        started = time.monotonic()
        while time.monotonic() - started < max_s:
            handler.wfile.write(b" ")
            handler.wfile.flush()
            with self._lock:
                self.bytes_sent += 1
            time.sleep(every_s)


def _host(portal: MisbehavingPortal) -> str:
    return urlsplit(portal.base_url).netloc


def _bundle(entries: list[dict[str, Any]], links: list[dict[str, Any]] | None = None
            ) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "searchset",
            "meta": {"lastUpdated": instant(datetime.now(timezone.utc))},
            "link": links or [], "entry": entries}


def _last_updated(resource: dict[str, Any]) -> str:
    meta = resource.get("meta")
    value = meta.get("lastUpdated") if isinstance(meta, dict) else None
    return value if isinstance(value, str) else "1970-01-01T00:00:00Z"


def _when(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=timezone.utc)
        return parsed.astimezone(timezone.utc)
    except (ValueError, OverflowError):
        return datetime.max.replace(tzinfo=timezone.utc) - timedelta(days=2)


def _sort_key(resource: dict[str, Any]) -> tuple[datetime, str]:
    return _when(_last_updated(resource)), str(resource.get("id"))


def inline_attachment(data: bytes, content_type: str = "image/png") -> dict[str, Any]:
    return {"contentAttachment": {"contentType": content_type, "title": "foto",
                                  "data": base64.b64encode(data).decode(), "size": len(data)}}
