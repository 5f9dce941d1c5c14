"""The demo portal: a small FHIR R4 server (stdlib http.server) over the seeded demo practice.

Used by ``workbench --demo``, ``workbench demo-portal`` and the end-to-end tests. It speaks
real HTTP/1.1 with keep-alive, serves searchsets with paging and ``_include``, conditional create
and versioned update, and can inject faults (errors, hangs, dropped connections, broken JSON).
"""

from __future__ import annotations

import argparse
import base64
import hmac
import json
import os
import random
import signal
import socket
import sys
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

from workbench.demo.clock import fmt_instant, now_ms
from workbench.demo.data import (
    TYPES,
    VALID_STATUS,
    Dataset,
)
from workbench.demo.search import (
    FhirError,
    operation_outcome,
    parse_instant_range,
    search_bundle,
    token,
)

FHIR_JSON = "application/fhir+json; charset=utf-8"
FAULT_KINDS = ("500", "503", "hang", "drop", "malformed")
SEARCH_TYPES = set(TYPES)


@dataclass
class PortalOptions:
    seed: int = 1
    consults: int = 80
    photo_size: tuple[int, int] = (4032, 3024)
    photo_share: float = 0.12
    fault_rate: float = 0.0
    latency_ms: int = 0
    malformed: int = 0
    next_links: bool = True
    honour_include: bool = True
    give_total: bool = True  # off: searchsets carry no `total`, as on some portals
    token: str | None = None
    fault_hang_s: float = 30.0
    page_max: int = 1000
    now: datetime | None = None
    verbose: bool = False
    # Off: If-None-Exist is ignored (and the capability statement says so), as on a portal
    # without conditional create: every POST makes a new Communication.
    conditional_create: bool = True
    # POSTs of a Communication carrying one of these identifier values are answered 500: one
    # answer the portal keeps failing on.
    failing_identifiers: tuple[str, ...] = ()


def http_date(ms: int) -> str:
    return format_datetime(datetime.fromtimestamp(ms / 1000, UTC), usegmt=True)


class DemoPortal:
    """The demo FHIR server. ``start()`` serves in a daemon thread; ``stop()`` ends it."""

    def __init__(self, options: PortalOptions | None = None) -> None:
        self.options = opts = options or PortalOptions()
        self.dataset = Dataset(seed=opts.seed, consults=opts.consults, photo_size=opts.photo_size,
                               photo_share=opts.photo_share, malformed=opts.malformed, now=opts.now)
        self.base_url = ""
        self.request_log: list[tuple[str, str, int]] = []
        self._log_lock = threading.Lock()
        self._fault_rng = random.Random(opts.seed)
        self._fault_lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._conns: set[socket.socket] = set()
        self._conn_lock = threading.Lock()
        self.verbose = opts.verbose or bool(os.environ.get("WORKBENCH_DEMO_VERBOSE"))
        self._posts_lock = threading.Lock()
        self._communication_posts = 0
        self._created_identifiers: Counter[str] = Counter()

    # ---------------------------------------------------------------- lifecycle
    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        if self._server is not None:
            return self.base_url
        handler = type("BoundHandler", (_Handler,), {"portal": self})
        server = _Server((host, port), handler)
        self._server = server
        bound_port = server.server_address[1]
        shown = host if host not in ("0.0.0.0", "", "::") else "127.0.0.1"
        if ":" in shown:
            shown = f"[{shown}]"
        self.base_url = f"http://{shown}:{bound_port}/fhir"
        self._stopping.clear()
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="demo-portal", daemon=True)
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.server_close()
        with self._conn_lock:  # end keep-alive connections too: a stopped portal answers nothing
            conns, self._conns = list(self._conns), set()
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> DemoPortal:
        if self._server is None:
            self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---------------------------------------------------------------- test helpers
    def new_version(self, comm_id: str, text: str | None = None) -> dict:
        return self.dataset.new_version("Communication", comm_id, text=text)

    def add_patient_reply(self, root_id: str, text: str) -> str:
        return self.dataset.add_patient_reply(root_id, text)

    @property
    def communication_posts(self) -> int:
        """How many Communication creates (POSTs) arrived, whatever the answer."""
        with self._posts_lock:
            return self._communication_posts

    def created_identifiers(self) -> Counter[str]:
        """How many new Communications each identifier value made (the portal's own count:
        more than one means a patient got the same message twice)."""
        with self._posts_lock:
            return Counter(self._created_identifiers)

    def _count_post(self) -> None:
        with self._posts_lock:
            self._communication_posts += 1

    def _count_created(self, resource: dict) -> None:
        with self._posts_lock:
            for identifier in resource.get("identifier") or []:
                if isinstance(identifier, dict) and identifier.get("value"):
                    self._created_identifiers[str(identifier["value"])] += 1

    def _log(self, method: str, path: str, status: int) -> None:
        with self._log_lock:
            self.request_log.append((method, path, status))

    def _pick_fault(self) -> str | None:
        rate = self.options.fault_rate
        if rate <= 0:
            return None
        with self._fault_lock:
            if self._fault_rng.random() >= rate:
                return None
            return self._fault_rng.choice(FAULT_KINDS)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 128


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "WorkbenchDemoPortal/1.0"
    sys_version = ""
    portal: DemoPortal  # set on the bound subclass

    # ---------------------------------------------------------------- plumbing
    def setup(self) -> None:
        super().setup()
        with self.portal._conn_lock:
            self.portal._conns.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            with self.portal._conn_lock:
                self.portal._conns.discard(self.connection)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        if self.portal.verbose:
            sys.stderr.write("demo-portal: " + (format % args) + "\n")

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def _send(self, status: int, body: bytes, content_type: str = FHIR_JSON,
              headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.portal._log(self.command, self.path, status)

    def _send_json_text(self, status: int, text: str, headers: dict | None = None) -> None:
        self._send(status, text.encode("utf-8"), FHIR_JSON, headers)

    def _error(self, err: FhirError) -> None:
        self._send_json_text(err.status, operation_outcome(err.code, err.diagnostics), err.headers)

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _dispatch(self, method: str) -> None:
        portal = self.portal
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        body = self.rfile.read(length) if length > 0 else b""
        if portal.options.latency_ms:
            time.sleep(portal.options.latency_ms / 1000)
        fault = portal._pick_fault()
        if fault is not None:
            self._fault(fault)
            return
        try:
            self._route(method, body)
        except FhirError as err:
            self._error(err)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as exc:  # noqa: BLE001 - a demo server answers 500, never dies
            if portal.verbose:
                traceback.print_exc()
            self._error(FhirError(500, "exception", f"internal error: {exc.__class__.__name__}"))

    def _fault(self, kind: str) -> None:
        if kind == "500":
            self._error(FhirError(500, "exception", "injected fault: internal server error"))
        elif kind == "503":
            self._error(FhirError(503, "transient", "injected fault: service unavailable",
                                  {"Retry-After": "1"}))
        elif kind == "hang":
            self.portal._log(self.command, self.path, 0)
            self.portal._stopping.wait(self.portal.options.fault_hang_s)
            self._drop()
        elif kind == "drop":
            self.portal._log(self.command, self.path, 0)
            self._drop()
        else:  # malformed: a 200 with a truncated JSON body
            bad = b'{"resourceType":"Bundle","type":"searchset","total":3,"entry":[{"fullUrl":"' \
                  + self.portal.base_url.encode() + b'/Communication/'
            self._send(200, bad)

    def _check_auth(self) -> None:
        token = self.portal.options.token
        if not token:
            return
        header = self.headers.get("Authorization") or ""
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), token.encode()):
            raise FhirError(401, "login", "missing or invalid bearer token",
                            {"WWW-Authenticate": 'Bearer realm="demo-portal"'})

    # ---------------------------------------------------------------- routing
    def _route(self, method: str, body: bytes) -> None:
        split = urlsplit(self.path)
        path = split.path.rstrip("/")
        if path != "/fhir" and not path.startswith("/fhir/"):
            raise FhirError(404, "not-found", f"unknown path {split.path}")
        parts = [unquote(p) for p in path[len("/fhir"):].split("/") if p]
        if parts == ["metadata"]:
            if method not in ("GET", "HEAD"):
                raise FhirError(405, "not-supported", "method not allowed", {"Allow": "GET"})
            self._send_json_text(200, self._capability())
            return
        self._check_auth()
        params = parse_qsl(split.query, keep_blank_values=True)
        if not parts:
            raise FhirError(404, "not-found", "no resource type")
        rtype = parts[0]
        if rtype == "Binary":
            if len(parts) != 2:
                raise FhirError(404, "not-found", "unknown Binary path")
            if method not in ("GET", "HEAD"):
                raise FhirError(405, "not-supported", "Binary is read-only", {"Allow": "GET"})
            self._binary(parts[1])
            return
        if rtype not in SEARCH_TYPES:
            raise FhirError(404, "not-supported", f"unknown resource type {rtype}")
        if len(parts) == 1:
            if method in ("GET", "HEAD"):
                self._search(rtype, params)
            elif method == "POST" and rtype == "Communication":
                self._create(body)
            else:
                raise FhirError(405, "not-supported", f"{method} not allowed on {rtype}",
                                {"Allow": "GET, POST" if rtype == "Communication" else "GET"})
            return
        if len(parts) == 2 and parts[1] == "_search" and method == "POST":
            form = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
            self._search(rtype, params + form)
            return
        rid = parts[1]
        if len(parts) == 2:
            if method in ("GET", "HEAD"):
                self._read(rtype, rid, None)
            elif method == "PUT" and rtype == "Communication":
                self._update(rid, body)
            else:
                raise FhirError(405, "not-supported", f"{method} not allowed on {rtype}/{rid}",
                                {"Allow": "GET, PUT" if rtype == "Communication" else "GET"})
            return
        if len(parts) == 4 and parts[2] == "_history" and method in ("GET", "HEAD"):
            self._read(rtype, rid, parts[3])
            return
        raise FhirError(404, "not-found", f"unknown path {split.path}")

    def _capability(self) -> str:
        resources = []
        for t in TYPES:
            interactions = [{"code": "read"}, {"code": "vread"}, {"code": "search-type"}]
            if t == "Communication":
                interactions += [{"code": "create"}, {"code": "update"}]
            resources.append({
                "type": t, "interaction": interactions, "versioning": "versioned",
                "conditionalCreate": (t == "Communication"
                                      and self.portal.options.conditional_create),
                "updateCreate": False,
                "searchParam": [{"name": "_id", "type": "token"},
                                {"name": "_lastUpdated", "type": "date"}]
                + ([{"name": "category", "type": "token"}, {"name": "identifier", "type": "token"}]
                   if t == "Communication" else []),
                "searchInclude": {"Communication": ["Communication:subject", "Communication:sender",
                                                    "Communication:recipient"],
                                  "PractitionerRole": ["PractitionerRole:practitioner",
                                                       "PractitionerRole:organization"]}.get(t, []),
            })
        resources.append({"type": "Binary", "interaction": [{"code": "read"}]})
        cap = {"resourceType": "CapabilityStatement", "status": "active",
               "date": fmt_instant(now_ms()), "kind": "instance",
               "software": {"name": "Workbench demo portal", "version": "1.0"},
               "implementation": {"description": "Demo FHIR R4 portal", "url": self.portal.base_url},
               "fhirVersion": "4.0.1", "format": ["json", "application/fhir+json"],
               "rest": [{"mode": "server", "resource": resources}]}
        return json.dumps(cap, separators=(",", ":"))

    # ---------------------------------------------------------------- read
    def _read(self, rtype: str, rid: str, vid: str | None) -> None:
        ds = self.portal.dataset
        if ds.get(rtype, rid) is None:  # (resolves photo metadata outside the store lock)
            raise FhirError(404, "not-found", f"{rtype}/{rid} not found")
        with ds.lock:  # the body and its ETag from the same version
            res = ds.get(rtype, rid)
            current = res["meta"]["versionId"]
            if vid is None or vid == current:
                text = ds.json_text(rtype, rid)
                vid = current
                lm = res["meta"]["lastUpdated"]
            else:
                text = ds.version_text(rtype, rid, vid)
                if text is None:
                    raise FhirError(404, "not-found", f"{rtype}/{rid}/_history/{vid} not found")
                lm = json.loads(text)["meta"]["lastUpdated"]
        self._send_json_text(200, text or "", {"ETag": f'W/"{vid}"',
                                               "Last-Modified": http_date(parse_instant_range(lm)[0])})

    def _binary(self, bid: str) -> None:
        ds = self.portal.dataset
        if bid not in ds.attachments:
            raise FhirError(404, "not-found", f"Binary/{bid} not found")
        content_type = ds.attachments[bid][0]
        data = ds.attachment_bytes(bid)
        accept = self.headers.get("Accept") or ""
        if "application/fhir+json" in accept or "application/json" in accept:
            text = json.dumps({"resourceType": "Binary", "id": bid, "meta": {"versionId": "1"},
                               "contentType": content_type,
                               "data": base64.b64encode(data).decode("ascii")}, separators=(",", ":"))
            self._send_json_text(200, text, {"ETag": 'W/"1"'})
        else:
            self._send(200, data, content_type, {"ETag": 'W/"1"'})

    # ---------------------------------------------------------------- search
    def _search(self, rtype: str, params: list[tuple[str, str]]) -> None:
        self._send_json_text(200, search_bundle(self.portal.dataset, self.portal.options,
                                                self.portal.base_url, rtype, params))

    # ---------------------------------------------------------------- writes
    def _parse_body(self, body: bytes) -> dict:
        try:
            res = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise FhirError(400, "structure", "body is not valid JSON") from None
        if not isinstance(res, dict) or res.get("resourceType") != "Communication":
            raise FhirError(400, "structure", "body must be a Communication resource")
        if res.get("status") not in VALID_STATUS:
            raise FhirError(400, "value", "Communication.status missing or not a valid code")
        payload = res.get("payload")
        if not isinstance(payload, list) or not payload or not all(isinstance(p, dict) for p in payload):
            raise FhirError(400, "required", "Communication.payload is required")
        return res

    def _created_headers(self, res: dict) -> dict:
        vid = res["meta"]["versionId"]
        return {"ETag": f'W/"{vid}"',
                "Location": f"{self.portal.base_url}/Communication/{res['id']}/_history/{vid}",
                "Last-Modified": http_date(parse_instant_range(res["meta"]["lastUpdated"])[0])}

    def _create(self, body: bytes) -> None:
        ds = self.portal.dataset
        self.portal._count_post()
        res = self._parse_body(body)
        failing = set(self.portal.options.failing_identifiers)
        if failing and any(isinstance(i, dict) and i.get("value") in failing
                           for i in res.get("identifier") or []):
            raise FhirError(500, "exception", "this Communication cannot be stored")
        conditional = self.portal.options.conditional_create
        cond = self.headers.get("If-None-Exist") if conditional else None
        with ds.lock:
            if cond:
                criteria = parse_qsl(cond.lstrip("?"), keep_blank_values=True)
                idents = [token(v) for k, v in criteria if k == "identifier"]
                if not idents:
                    raise FhirError(400, "not-supported", "If-None-Exist supports identifier=system|value")
                hits = {ds.find_identifier(s, v) for s, v in idents} - {None}
                if len(hits) > 1:
                    raise FhirError(412, "duplicate", "If-None-Exist matches more than one resource")
                if hits:
                    cid = hits.pop()
                    existing = ds.get("Communication", cid)
                    text = ds.json_text("Communication", cid) or ""
                    self._send_json_text(200, text, self._created_headers(existing))
                    return
            stored = ds.create_communication(res)
            self.portal._count_created(stored)
            text = ds.json_text("Communication", stored["id"]) or ""
        self._send_json_text(201, text, self._created_headers(stored))

    def _update(self, rid: str, body: bytes) -> None:
        ds = self.portal.dataset
        if rid not in ds.store["Communication"]:
            raise FhirError(404, "not-found", f"Communication/{rid} not found")
        match = self.headers.get("If-Match")
        if not match:
            raise FhirError(428, "required", "PUT requires If-Match with the current version")
        res = self._parse_body(body)
        if res.get("id") not in (None, rid):
            raise FhirError(400, "invalid", "resource id does not match the URL")
        wanted = match.strip()
        if wanted.startswith("W/"):
            wanted = wanted[2:]
        wanted = wanted.strip('"')
        with ds.lock:
            current = ds.get("Communication", rid)
            if current is None:
                raise FhirError(404, "not-found", f"Communication/{rid} not found")
            if wanted != current["meta"]["versionId"]:
                raise FhirError(412, "conflict",
                                f"version conflict: current version is {current['meta']['versionId']}")
            stored = ds.new_version("Communication", rid, res=res)
            text = ds.json_text("Communication", rid) or ""
        headers = self._created_headers(stored)
        del headers["Location"]
        self._send_json_text(200, text, headers)


# -------------------------------------------------------------------- command line
def _size(text: str) -> tuple[int, int]:
    w, sep, h = text.lower().partition("x")
    if not sep:
        raise argparse.ArgumentTypeError("expected WxH, e.g. 4032x3024")
    try:
        size = (int(w), int(h))
    except ValueError:
        raise argparse.ArgumentTypeError("expected WxH, e.g. 4032x3024") from None
    if size[0] < 8 or size[1] < 8:
        raise argparse.ArgumentTypeError("photo size must be at least 8x8")
    return size


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="workbench demo-portal",
                                description="Serve the demo FHIR R4 portal in the foreground.")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0 picks a free port")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--consults", type=int, default=80)
    p.add_argument("--photo-size", type=_size, default=(4032, 3024), metavar="WxH")
    p.add_argument("--photo-share", type=float, default=0.12)
    p.add_argument("--fault-rate", type=float, default=0.0)
    p.add_argument("--fault-hang-s", type=float, default=30.0)
    p.add_argument("--latency-ms", type=int, default=0)
    p.add_argument("--malformed", type=int, default=0)
    p.add_argument("--page-max", type=int, default=1000)
    p.add_argument("--no-next-links", action="store_true")
    p.add_argument("--ignore-include", action="store_true")
    p.add_argument("--token", default=None, help="require this bearer token")
    p.add_argument("--verbose", action="store_true", help="log requests to stderr")
    p.add_argument("--no-conditional-create", action="store_true",
                   help="ignore If-None-Exist, as a portal without conditional create does")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # Values the portal cannot serve with: refused here, in one sentence (exit status 2).
    for broken, words in (
            (not 0 <= args.port <= 65535, f"--port {args.port} must be from 0 to 65535"),
            (args.consults < 0, f"--consults {args.consults} must be 0 or more"),
            (not 0.0 <= args.fault_rate <= 1.0,
             f"--fault-rate {args.fault_rate} must be from 0 to 1"),
            (not 0.0 <= args.photo_share <= 1.0,
             f"--photo-share {args.photo_share} must be from 0 to 1"),
            (args.fault_hang_s < 0, f"--fault-hang-s {args.fault_hang_s} must be 0 or more"),
            (args.latency_ms < 0, f"--latency-ms {args.latency_ms} must be 0 or more"),
            (args.malformed < 0, f"--malformed {args.malformed} must be 0 or more"),
            (args.page_max < 1, f"--page-max {args.page_max} must be at least 1")):
        if broken:
            parser.error(words)
    opts = PortalOptions(seed=args.seed, consults=args.consults, photo_size=args.photo_size,
                         photo_share=args.photo_share, fault_rate=args.fault_rate,
                         latency_ms=args.latency_ms, malformed=args.malformed,
                         next_links=not args.no_next_links, honour_include=not args.ignore_include,
                         token=args.token, fault_hang_s=args.fault_hang_s, page_max=args.page_max,
                         verbose=args.verbose,
                         conditional_create=not args.no_conditional_create)
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()

    previous = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            previous[sig] = signal.signal(sig, on_signal)
        except (ValueError, OSError):  # not the main thread
            pass
    portal = DemoPortal(opts)
    try:
        url = portal.start(args.host, args.port)
    except OSError as exc:
        print(f"cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2
    print(f"listening on {url}", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        portal.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


if __name__ == "__main__":
    sys.exit(main())
