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
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from email.message import Message
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

from agentsim_local.embedded.api_events import Route

ProxyHandler = Callable[[dict[str, Any]], Mapping[str, Any]]
"""Takes an API Gateway REST proxy event, returns the proxy integration response."""

GREEDY = Route("ANY", "/{proxy+}")

TEXT_TYPES = ("text/", "application/json", "application/xml", "application/x-www-form-urlencoded")


def build_proxy_event(
    method: str,
    raw_path: str,
    headers: Iterable[tuple[str, str]],
    body: bytes,
    *,
    route: Route = GREEDY,
    path_parameters: Mapping[str, str] | None = None,
    stage: str = "Prod",
    source_ip: str = "127.0.0.1",
) -> dict[str, Any]:
    """The REST API (v1) proxy event API Gateway builds for this request to `route`."""
    split = urlsplit(raw_path)
    path = split.path or "/"
    resource = route.path
    if path_parameters is None and route is GREEDY:
        path_parameters = {"proxy": path.lstrip("/")}
    multi_headers: dict[str, list[str]] = {}
    for name, value in headers:
        multi_headers.setdefault(name, []).append(value)
    multi_query = parse_qs(split.query, keep_blank_values=True)
    content_type = next(
        (v[-1] for k, v in multi_headers.items() if k.lower() == "content-type"), ""
    )
    is_text = not body or content_type.startswith(TEXT_TYPES) or not content_type
    now = time.time()
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": {k: v[-1] for k, v in multi_headers.items()} or None,
        "multiValueHeaders": multi_headers or None,
        "queryStringParameters": {k: v[-1] for k, v in multi_query.items()} or None,
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": dict(path_parameters) if path_parameters else None,
        "stageVariables": None,
        "requestContext": {
            "resourceId": "local",
            "resourcePath": resource,
            "httpMethod": method,
            "path": f"/{stage}{path}",
            "stage": stage,
            "protocol": "HTTP/1.1",
            "accountId": "123456789012",
            "apiId": "local",
            "requestId": str(uuid.uuid4()),
            "extendedRequestId": str(uuid.uuid4()),
            "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "requestTimeEpoch": int(now * 1000),
            "identity": {
                "sourceIp": source_ip,
                "userAgent": next(
                    (v[-1] for k, v in multi_headers.items() if k.lower() == "user-agent"), None
                ),
            },
        },
        "body": (body.decode() if is_text else base64.b64encode(body).decode()) if body else None,
        "isBase64Encoded": bool(body) and not is_text,
    }


def resolve(
    method: str, path: str, routes: Sequence[Route] | None
) -> tuple[Route, dict[str, str]] | None:
    """The route serving (method, path) and its path parameters; None when none does.

    No routes means every request goes to one greedy `ANY /{proxy+}` resource. Literal
    resources win over templated ones, as in API Gateway.
    """
    if routes is None:
        return GREEDY, {"proxy": path.lstrip("/")}
    for route in sorted(routes, key=lambda r: (r.path.count("{"), r.method == "ANY")):
        params = route.match(method, path)
        if params is not None:
            return route, params
    return None


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
                # What API Gateway answers for a route the API does not declare.
                response: Mapping[str, Any] = {
                    "statusCode": HTTPStatus.FORBIDDEN,
                    "headers": {"Content-Type": "application/json"},
                    "body": json.dumps({"message": "Missing Authentication Token"}),
                }
            else:
                route, params = resolved
                event = build_proxy_event(
                    self.command,
                    self.path,
                    _header_items(self.headers),
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


def _header_items(headers: Message) -> list[tuple[str, str]]:
    return [(name, value) for name, value in headers.items()]


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
        stage: str = "Prod",
        log: Callable[[str], None] = lambda line: None,
    ) -> None:
        """`routes`: the API's resources (others answer 403); None sends everything on."""
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
