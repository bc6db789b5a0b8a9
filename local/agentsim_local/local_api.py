"""The HTTP API on localhost: real HTTP requests become API Gateway REST proxy events.

`sam local start-api` needs Docker; this does the same translation in-process, so curl (or any
HTTP client) reaches the real API handler with the event shape API Gateway would send it.
The handler is any callable taking the event: the embedded stack's Lambda function (invoked
through the Lambda API) or, in tests, a stand-in.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Iterable, Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import urlsplit

from agentsim_local.embedded.api_events import (
    IMPLICIT_STAGE,
    Route,
    missing_route,
    proxy_event,
    resolve,
)

ProxyHandler = Callable[[dict[str, Any]], Mapping[str, Any]]
"""Takes an API Gateway REST proxy event, returns the proxy integration response."""


def _response_headers(response: Mapping[str, Any]) -> list[tuple[str, str]]:
    pairs: dict[str, list[str]] = {}
    for name, values in (response.get("multiValueHeaders") or {}).items():
        pairs[name] = [str(v) for v in values]
    for name, value in (response.get("headers") or {}).items():
        pairs.setdefault(name, [str(value)])
    return [(name, value) for name, values in pairs.items() for value in values]


class _RequestHandler(BaseHTTPRequestHandler):
    server: _ProxyServer
    protocol_version = "HTTP/1.1"

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        resolved = resolve(self.command, urlsplit(self.path).path or "/", self.server.routes)
        try:
            if resolved is None:
                response: Mapping[str, Any] = missing_route()
            else:
                route, params = resolved
                event = proxy_event(
                    self.command,
                    self.path,
                    self.headers.items(),
                    body,
                    route=route,
                    path_parameters=params,
                    stage=self.server.stage,
                    source_ip=self.client_address[0],
                )
                response = self.server.handler(event)
            status = int(response.get("statusCode", 200))
            raw = response.get("body") or ""
            payload = base64.b64decode(raw) if response.get("isBase64Encoded") else raw.encode()
            headers = _response_headers(response)
        except Exception as exc:
            status = HTTPStatus.BAD_GATEWAY
            payload = json.dumps({"message": f"Internal server error: {exc}"}).encode()
            headers = [("Content-Type", "application/json")]
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in {"content-length", "connection", "transfer-encoding"}:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _handle  # noqa: N815

    def log_message(self, format: str, *args: Any) -> None:
        self.server.log(f"{self.command} {self.path} -> {args[1] if len(args) > 1 else '?'}")


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        handler: ProxyHandler,
        routes: tuple[Route, ...] | None,
        stage: str,
        log: Callable[[str], None],
    ) -> None:
        super().__init__(address, _RequestHandler)
        self.handler = handler
        self.routes = routes
        self.stage = stage
        self.log = log


class LocalApi:
    """An HTTP server on 127.0.0.1 handing every request to `handler` as a proxy event."""

    def __init__(
        self,
        handler: ProxyHandler,
        *,
        host: str = "127.0.0.1",
        port: int = 3000,
        routes: Iterable[Route] | None = None,
        stage: str = IMPLICIT_STAGE,
        log: Callable[[str], None] = lambda line: None,
    ) -> None:
        """`routes`: the API's resources (others answer 403); None sends everything on.

        `stage`: the API's stage, as in `requestContext` (see `api_events.stage_of`).
        """
        declared = None if routes is None else tuple(routes)
        self._server = _ProxyServer((host, port), handler, declared, stage, log)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Self:
        """Serve in a background thread."""
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def join(self) -> None:
        """Block until the server stops (Ctrl-C in the foreground)."""
        if self._thread is not None:
            self._thread.join()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
