"""FHIR R4 REST client for the patient portal: TLS always verified, retries with back-off."""

from __future__ import annotations

import base64
import email.utils
import json
import logging
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

import orjson
import requests
import urllib3

from workbench.services.collector import collector_paused

# The address rule and the errors' base, here under their old names: config checks the
# address without loading requests.
from workbench.services.portal_url import (  # noqa: F401 - re-exported
    InsecurePortalUrl,
    PortalError,
    check_portal_url,
    is_loopback_host,
)
from workbench.services.secrets import PortalCredentials

log = logging.getLogger(__name__)


def loads_json(body: bytes | str) -> Any:
    """A portal answer's JSON: orjson, two to three times faster than the standard parser on
    a page of hundreds of resources; what it is stricter about (an integer past 64 bits, a
    lone surrogate escape) is read by the standard parser, as before."""
    with collector_paused():  # a page's objects all live on: collections only walk them
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError:
            return json.loads(body)

FHIR_JSON = "application/fhir+json"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024
DEFAULT_DEADLINE_S = 300.0
_READ_CHUNK = 64 * 1024  # decompressed at most this much at a time: a gzip bomb cannot balloon


class PortalUnreachable(PortalError):
    """No answer from the portal after all retries (network, DNS, time-outs, 5xx)."""


class CredentialsRejected(PortalError):
    """The portal answered 401 or 403."""


class CertificateNotTrusted(PortalError):
    """The portal's TLS certificate could not be verified."""


class ResourceNotFound(PortalError):
    """The portal answered 404 for a read."""


class PortalProtocolError(PortalError):
    """The portal answered something that is not valid FHIR JSON, or an unexpected status."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class PreconditionFailed(PortalError):
    """An If-Match update lost the race: the resource has a newer version on the portal."""


class ResponseTooLarge(PortalError):
    """An answer grew past the byte cap (counted after decompression); not asked again as is."""


class ResponseUnreadable(PortalProtocolError):
    """An answer that JSON cannot represent here (nested too deeply): asking again will not help."""


class RequestDeadlineExceeded(PortalUnreachable):
    """One request took longer in total than its deadline (a portal sending very slowly)."""


@dataclass
class PortalAnswer:
    """A JSON answer with the time the portal says it answered (its Date header), if any."""

    body: dict[str, Any]
    server_time: datetime | None


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6
    backoff_s: float = 0.5
    max_backoff_s: float = 30.0
    max_retry_after_s: float = 120.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_retry_after_s)
        # Exponential with full jitter, so workstations that failed together do not return together.
        return random.uniform(0, min(self.max_backoff_s, self.backoff_s * 2 ** attempt))


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


class _BearerAuth(requests.auth.AuthBase):
    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request


class PortalClient:
    """Talks standard FHIR R4 JSON to one portal. All collaborators are injectable."""

    def __init__(self, base_url: str, *, session: requests.Session | None = None,
                 credentials: PortalCredentials | None = None, ca_bundle: str | None = None,
                 client_cert: tuple[str, str] | str | None = None,
                 timeout: tuple[float, float] = (10.0, 60.0),
                 retry: RetryPolicy = RetryPolicy(),
                 sleep: Callable[[float], None] = time.sleep,
                 max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
                 deadline_s: float = DEFAULT_DEADLINE_S,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.base_url = check_portal_url(base_url)
        self._origin = _origin(self.base_url)
        self._session = session or requests.Session()
        self._auth = _auth_for(credentials)
        # Verification is never switched off: True (system trust) or the practice's CA bundle.
        self._verify: bool | str = ca_bundle or True
        self._cert = client_cert or None
        self._timeout = timeout
        self._retry = retry
        self._sleep = sleep
        self.max_response_bytes = max_response_bytes
        self._deadline_s = deadline_s
        self._monotonic = monotonic

    # -- reads ------------------------------------------------------------------------------
    def url_for(self, path: str) -> str:
        if not isinstance(path, str):
            raise PortalProtocolError(f"portal gave a link that is not a URL: {type(path).__name__}")
        if path.startswith(("http://", "https://")):
            if _origin(path) != self._origin:
                raise PortalProtocolError(f"portal pointed to another server: {path}")
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def get_json(self, path: str, params: Any = None) -> dict[str, Any]:
        return self.get_answer(path, params).body

    def get_answer(self, path: str, params: Any = None) -> PortalAnswer:
        """The JSON answer and the portal's own time of answering (for the pull's cursor)."""
        response = self._request("GET", self.url_for(path), params=params,
                                 headers={"Accept": FHIR_JSON}, parse_json=True)
        return PortalAnswer(response.json_body, _http_date(response.headers.get("Date")))

    def capabilities(self) -> dict[str, Any]:
        return self.get_json("metadata")

    def read(self, resource_type: str, resource_id: str) -> dict[str, Any]:
        return self.get_json(f"{resource_type}/{resource_id}")

    def search_pages(self, resource_type: str, params: Any) -> Iterator[dict[str, Any]]:
        """Bundles of a search, following `next` links as long as the server gives them."""
        bundle = self.get_json(resource_type, params)
        yield bundle
        while (next_url := next_link(bundle)) is not None:
            bundle = self.get_json(next_url)
            yield bundle

    def fetch_attachment(self, url: str, max_bytes: int) -> tuple[str | None, bytes]:
        """(content type, bytes) of an attachment URL: raw bytes, or a FHIR Binary resource."""
        # A Binary resource carries its bytes as base64: a third larger on the wire.
        response = self._request("GET", self.url_for(url),
                                 headers={"Accept": "*/*"}, parse_json=False,
                                 max_bytes=max_bytes * 4 // 3 + 4096, too_large=AttachmentTooLarge)
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip() or None
        if content_type in (FHIR_JSON, "application/json"):
            try:
                binary = loads_json(response.body)
                data = binary.get("data", "") if isinstance(binary, dict) else None
                if not isinstance(data, str):
                    raise ValueError("Binary.data is not base64 text")
                declared = binary.get("contentType")
                content_type = declared if isinstance(declared, str) else None
                body = base64.b64decode(data, validate=True)
            except (ValueError, RecursionError) as exc:
                raise PortalProtocolError(
                    f"Binary resource not readable: {type(exc).__name__}") from None
        else:
            body = response.body
        if len(body) > max_bytes:
            raise AttachmentTooLarge(f"attachment larger than {max_bytes} bytes")
        return content_type, body

    # -- writes ---------------------------------------------------------------------------
    def create_conditional(self, resource: dict[str, Any], identifier: tuple[str, str]
                           ) -> dict[str, Any]:
        """POST with If-None-Exist on the client-made identifier: a retry never creates twice."""
        system, value = identifier
        response = self._request(
            "POST", self.url_for(resource["resourceType"]), data=json.dumps(resource),
            headers={"Content-Type": FHIR_JSON, "Accept": FHIR_JSON,
                     "If-None-Exist": f"identifier={system}|{value}"}, parse_json=True)
        return response.json_body

    def update(self, resource: dict[str, Any], version_id: str) -> dict[str, Any]:
        """PUT with If-Match on the version we last saw."""
        url = self.url_for(f"{resource['resourceType']}/{resource['id']}")
        response = self._request("PUT", url, data=json.dumps(resource),
                                 headers={"Content-Type": FHIR_JSON, "Accept": FHIR_JSON,
                                          "If-Match": f'W/"{version_id}"'}, parse_json=True)
        return response.json_body

    # -- transport ----------------------------------------------------------------------------
    def _request(self, method: str, url: str, *, parse_json: bool,
                 max_bytes: int | None = None, too_large: type[PortalError] = ResponseTooLarge,
                 **kwargs: Any) -> _Response:
        last_problem = "no attempt made"
        for attempt in range(self._retry.attempts):
            retry_after = None
            deadline = self._monotonic() + self._deadline_s
            try:
                # Streamed, so the byte cap and the deadline hold while the body arrives.
                response = self._session.request(
                    method, url, auth=self._auth, verify=self._verify, cert=self._cert,
                    timeout=self._timeout, allow_redirects=False, stream=True, **kwargs)
                try:
                    body = _read_body(response, max_bytes or self.max_response_bytes,
                                      deadline, self._monotonic, too_large)
                finally:
                    response.close()
            except requests.exceptions.SSLError as exc:
                raise CertificateNotTrusted(str(exc)) from exc
            except (requests.ConnectionError, requests.Timeout,
                    requests.exceptions.ChunkedEncodingError) as exc:
                last_problem = f"{type(exc).__name__}: {exc}"
            else:
                status = response.status_code
                if status in (401, 403):
                    raise CredentialsRejected(f"{method} {_path(url)} answered {status}")
                if status == 404:
                    raise ResourceNotFound(f"{method} {_path(url)} answered 404")
                if status == 412:
                    raise PreconditionFailed(f"{method} {_path(url)} answered 412")
                if status in RETRY_STATUSES:
                    retry_after = parse_retry_after(response.headers.get("Retry-After"))
                    last_problem = f"HTTP {status}"
                elif status >= 300:
                    raise PortalProtocolError(f"{method} {_path(url)} answered {status}", status)
                else:
                    result = _Response(status, response.headers, body)
                    if not parse_json:
                        return result
                    try:
                        result.json_body = loads_json(body)
                        if not isinstance(result.json_body, dict):
                            raise ValueError("not a JSON object")
                        return result
                    except RecursionError:
                        raise ResponseUnreadable(
                            f"{method} {_path(url)}: JSON nested too deeply") from None
                    except ValueError as exc:
                        # A truncated or garbled answer is a transport fault: ask again.
                        last_problem = f"malformed JSON: {exc}"
            if attempt + 1 < self._retry.attempts:
                delay = self._retry.delay(attempt, retry_after)
                log.info("portal %s %s failed (%s); retry %d in %.1fs", method, _path(url),
                         last_problem, attempt + 1, delay)
                self._sleep(delay)
        if last_problem.startswith("malformed JSON"):
            raise PortalProtocolError(f"{method} {_path(url)}: {last_problem}")
        raise PortalUnreachable(f"{method} {_path(url)}: {last_problem}")


@dataclass
class _Response:
    status: int
    headers: Any
    body: bytes
    json_body: Any = None


class AttachmentTooLarge(PortalError):
    """An attachment is larger than the configured limit."""


def _read_body(response: requests.Response, max_bytes: int, deadline: float,
               monotonic: Callable[[], float], too_large: type[PortalError]) -> bytes:
    """The body, decompressed a bounded piece at a time, refused past `max_bytes` or past the
    deadline. read1 returns after one socket read, so a portal that sends one byte now and
    then cannot hold the pull beyond the deadline."""
    chunks, total = [], 0
    raw = response.raw
    try:
        while True:
            if monotonic() > deadline:
                raise RequestDeadlineExceeded(
                    f"GET {_path(response.url)}: answer not complete within the deadline")
            chunk = raw.read1(_READ_CHUNK, decode_content=True)
            if not chunk:
                break
            total += len(chunk)
            if total > max_bytes:
                raise too_large(f"{_path(response.url)}: answer larger than {max_bytes} bytes")
            chunks.append(chunk)
    except (urllib3.exceptions.ProtocolError, urllib3.exceptions.DecodeError) as exc:
        raise requests.exceptions.ChunkedEncodingError(str(exc)) from exc
    except urllib3.exceptions.ReadTimeoutError as exc:
        raise requests.exceptions.ReadTimeout(str(exc)) from exc
    return b"".join(chunks)


def next_link(bundle: dict[str, Any]) -> str | None:
    links = bundle.get("link")
    for link in links if isinstance(links, list) else ():
        if isinstance(link, dict) and link.get("relation") == "next":
            url = link.get("url")
            # A next link that is not a URL is no link: the client pages by its own cursor.
            return url if isinstance(url, str) and url else None
    return None


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _auth_for(credentials: PortalCredentials | None) -> requests.auth.AuthBase | None:
    if credentials is None:
        return None
    if credentials.kind == "bearer":
        return _BearerAuth(credentials.token)
    return requests.auth.HTTPBasicAuth(credentials.username, credentials.password)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"https": 443, "http": 80}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


def _path(url: str) -> str:
    # Logs carry the path only: query strings may hold search values.
    return urlsplit(url).path
