"""FHIR R4 REST client for the patient portal: TLS always verified, retries with back-off."""

from __future__ import annotations

import base64
import email.utils
import ipaddress
import json
import logging
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from workbench.services.secrets import PortalCredentials

log = logging.getLogger(__name__)

FHIR_JSON = "application/fhir+json"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class PortalError(Exception):
    """Base of every portal failure; `str()` is technical detail for the log, not for users."""


class InsecurePortalUrl(PortalError):
    """The portal address is not https (plain http is only allowed on loopback)."""


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


def is_loopback_host(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_portal_url(url: str) -> str:
    """The base URL without a trailing slash; refuses http except on loopback."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url.rstrip("/")
    if parts.scheme == "http" and is_loopback_host(parts.hostname):
        return url.rstrip("/")
    raise InsecurePortalUrl(f"portal URL must be https (http only on loopback): {url!r}")


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
                 sleep: Callable[[float], None] = time.sleep) -> None:
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

    # -- reads ------------------------------------------------------------------------------
    def url_for(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            if _origin(path) != self._origin:
                raise PortalProtocolError(f"portal pointed to another server: {path}")
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def get_json(self, path: str, params: Any = None) -> dict[str, Any]:
        response = self._request("GET", self.url_for(path), params=params,
                                 headers={"Accept": FHIR_JSON}, parse_json=True)
        return response.json_body

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
        response = self._request("GET", self.url_for(url),
                                 headers={"Accept": "*/*"}, parse_json=False, stream=True,
                                 max_bytes=max_bytes)
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip() or None
        if content_type in (FHIR_JSON, "application/json"):
            try:
                binary = json.loads(response.body)
                return binary.get("contentType"), base64.b64decode(binary.get("data", ""),
                                                                   validate=True)
            except (ValueError, AttributeError) as exc:
                raise PortalProtocolError(f"Binary resource not readable: {exc}") from exc
        return content_type, response.body

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
    def _request(self, method: str, url: str, *, parse_json: bool, stream: bool = False,
                 max_bytes: int | None = None, **kwargs: Any) -> _Response:
        last_problem = "no attempt made"
        for attempt in range(self._retry.attempts):
            retry_after = None
            try:
                response = self._session.request(
                    method, url, auth=self._auth, verify=self._verify, cert=self._cert,
                    timeout=self._timeout, allow_redirects=False, stream=stream, **kwargs)
                try:
                    body = _read_body(response, max_bytes)
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
                        result.json_body = json.loads(body)
                        if not isinstance(result.json_body, dict):
                            raise ValueError("not a JSON object")
                        return result
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


def _read_body(response: requests.Response, max_bytes: int | None) -> bytes:
    if max_bytes is None:
        return response.content
    chunks, total = [], 0
    for chunk in response.iter_content(chunk_size=256 * 1024):
        total += len(chunk)
        if total > max_bytes:
            raise AttachmentTooLarge(f"attachment larger than {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def next_link(bundle: dict[str, Any]) -> str | None:
    for link in bundle.get("link") or ():
        if isinstance(link, dict) and link.get("relation") == "next" and link.get("url"):
            return link["url"]
    return None


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
