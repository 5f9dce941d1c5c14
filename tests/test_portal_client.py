"""The FHIR portal client over real HTTP on loopback: security rules, retries, credentials."""

from __future__ import annotations

import base64
import json

import pytest
import requests

from tests.scripted_server import ScriptedServer
from workbench.services.portal_client import (
    CertificateNotTrusted,
    CredentialsRejected,
    InsecurePortalUrl,
    PortalClient,
    PortalProtocolError,
    PortalUnreachable,
    PreconditionFailed,
    RetryPolicy,
    check_portal_url,
    parse_retry_after,
)
from workbench.services.secrets import PortalCredentials, SecretStore

FHIR = {"Content-Type": "application/fhir+json"}
OK = (200, FHIR, {"resourceType": "CapabilityStatement", "fhirVersion": "4.0.1"})


@pytest.fixture
def scripted():
    servers = []

    def start(*responses):
        server = ScriptedServer(responses)
        servers.append(server)
        return server
    yield start
    for server in servers:
        server.close()


def client_for(url, sleeps=None, **kwargs):
    sleeps = [] if sleeps is None else sleeps
    return PortalClient(url, sleep=sleeps.append, timeout=(2, 2),
                        retry=kwargs.pop("retry", RetryPolicy(attempts=4, backoff_s=0.01)),
                        **kwargs)


@pytest.mark.parametrize("url", ["http://portal.example.nl/fhir", "ftp://127.0.0.1/fhir",
                                 "http://10.0.0.5/fhir", "portal.example.nl"])
def test_plain_http_is_refused_except_on_loopback(url):
    with pytest.raises(InsecurePortalUrl):
        PortalClient(url)


@pytest.mark.parametrize("url", ["https://portal.example.nl/fhir/", "http://127.0.0.1:8080/fhir",
                                 "http://localhost/fhir", "http://[::1]:9/fhir"])
def test_https_and_loopback_http_are_accepted(url):
    assert check_portal_url(url) == url.rstrip("/")


def test_tls_verification_is_on_and_a_self_signed_server_is_not_trusted(tmp_path):
    # A real TLS server on loopback with a throw-away self-signed certificate.
    import ssl
    import subprocess
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext",
                    "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps(OK[2]).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"https://localhost:{httpd.server_address[1]}/fhir"
        with pytest.raises(CertificateNotTrusted):
            client_for(url).capabilities()
        # The practice's own CA bundle makes it trusted; verification stays on.
        assert client_for(url, ca_bundle=str(cert)).capabilities()["fhirVersion"] == "4.0.1"
        # Mutual TLS: once the server asks for a client certificate, only a client with one
        # gets in.
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(cert)
        with pytest.raises((CertificateNotTrusted, PortalUnreachable)):
            client_for(url, ca_bundle=str(cert), retry=RetryPolicy(attempts=1)).capabilities()
        with_cert = client_for(url, ca_bundle=str(cert), client_cert=(str(cert), str(key)))
        assert with_cert.capabilities()["fhirVersion"] == "4.0.1"
    finally:
        httpd.shutdown()


def test_retries_5xx_and_dropped_connections_then_succeeds(scripted):
    server = scripted((500, FHIR, "{}"), None, (502, FHIR, "{}"), OK)
    sleeps = []
    assert client_for(server.url, sleeps).capabilities()["fhirVersion"] == "4.0.1"
    assert len(server.requests) == 4
    assert len(sleeps) == 3


def test_retry_after_is_honoured(scripted):
    server = scripted((503, {"Retry-After": "7"}, "busy"), (429, {"Retry-After": "2"}, ""), OK)
    sleeps = []
    client_for(server.url, sleeps).capabilities()
    assert sleeps == [7.0, 2.0]


def test_retry_after_as_http_date():
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert parse_retry_after("soon") is None


def test_malformed_json_is_retried_then_reported(scripted):
    server = scripted((200, FHIR, '{"resourceType": "Bun'))
    with pytest.raises(PortalProtocolError):
        client_for(server.url).capabilities()
    assert len(server.requests) == 4


def test_gives_up_with_portal_unreachable_after_all_attempts(scripted):
    server = scripted((503, FHIR, "{}"))
    with pytest.raises(PortalUnreachable):
        client_for(server.url).capabilities()
    assert len(server.requests) == 4


def test_closed_port_is_unreachable():
    with pytest.raises(PortalUnreachable):
        client_for("http://127.0.0.1:9/fhir").capabilities()


def test_credentials_from_the_keyring_are_sent_and_rejection_is_not_retried(
        scripted, keyring_backend):
    server = scripted((401, FHIR, {"resourceType": "OperationOutcome"}))
    secrets = SecretStore(keyring_backend)
    secrets.set_portal_credentials(server.url, PortalCredentials("bearer", token="s3cret"))
    client = client_for(server.url, credentials=secrets.get_portal_credentials(server.url))
    with pytest.raises(CredentialsRejected):
        client.capabilities()
    assert len(server.requests) == 1
    assert server.requests[0]["headers"]["Authorization"] == "Bearer s3cret"


def test_basic_credentials(scripted):
    server = scripted(OK)
    client_for(server.url, credentials=PortalCredentials(
        "basic", username="praktijk", password="pw")).capabilities()
    expected = base64.b64encode(b"praktijk:pw").decode()
    assert server.requests[0]["headers"]["Authorization"] == f"Basic {expected}"


def test_credentials_repr_never_shows_the_secret():
    assert "s3cret" not in repr(PortalCredentials("bearer", token="s3cret"))


def test_next_link_to_another_server_is_refused(scripted):
    server = scripted((200, FHIR, {"resourceType": "Bundle", "link": [
        {"relation": "next", "url": "https://evil.example/fhir/Communication?page=2"}]}))
    pages = client_for(server.url).search_pages("Communication", {})
    next(pages)
    with pytest.raises(PortalProtocolError):
        next(pages)


def test_conditional_create_sends_if_none_exist_and_update_if_match(scripted):
    server = scripted((201, FHIR, {"resourceType": "Communication", "id": "out-1"}),
                      (412, FHIR, {"resourceType": "OperationOutcome"}))
    client = client_for(server.url)
    created = client.create_conditional({"resourceType": "Communication", "status": "completed"},
                                        ("urn:ietf:rfc:3986", "urn:uuid:1234"))
    assert created["id"] == "out-1"
    assert server.requests[0]["headers"]["If-None-Exist"] == \
        "identifier=urn:ietf:rfc:3986|urn:uuid:1234"
    with pytest.raises(PreconditionFailed):
        client.update({"resourceType": "Communication", "id": "ec-1"}, "3")
    assert server.requests[1]["headers"]["If-Match"] == 'W/"3"'
    assert server.requests[1]["method"] == "PUT"


def test_timeout_on_every_request(scripted):
    # A server that never answers: the client's read timeout ends each attempt.
    import socket
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    try:
        client = PortalClient(f"http://127.0.0.1:{listener.getsockname()[1]}/fhir",
                              timeout=(0.5, 0.3), retry=RetryPolicy(attempts=2, backoff_s=0),
                              sleep=lambda s: None, session=requests.Session())
        with pytest.raises(PortalUnreachable, match="Timeout"):
            client.capabilities()
    finally:
        listener.close()
