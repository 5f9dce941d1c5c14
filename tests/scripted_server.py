"""A tiny HTTP server on loopback that answers from a script, for portal-client edge cases."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ScriptedServer:
    """`responses` is a list of (status, headers, body) handed out in order (the last repeats);
    an entry of None drops the connection. Every request is recorded."""

    def __init__(self, responses):
        self.responses = list(responses)
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                server.requests.append({"method": self.command, "path": self.path,
                                        "headers": dict(self.headers),
                                        "body": self.rfile.read(length) if length else b""})
                index = min(len(server.requests) - 1, len(server.responses) - 1)
                response = server.responses[index]
                if response is None:
                    self.close_connection = True
                    self.connection.close()
                    return
                status, headers, body = response
                if isinstance(body, (dict, list)):
                    body = json.dumps(body)
                body = body.encode() if isinstance(body, str) else body
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = _answer

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/fhir"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def close(self):
        self._httpd.shutdown()
        self._httpd.server_close()
