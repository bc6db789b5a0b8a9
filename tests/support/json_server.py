"""A plain JSON HTTP server on 127.0.0.1 for CLI tests that stand in for the stack's API: each
request is handed to `answer(method, path, headers, body)`, which returns (status, JSON body)."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Answer = Callable[[str, str, dict[str, str], bytes], tuple[int, Any]]


@contextlib.contextmanager
def json_server(answer: Answer) -> Iterator[str]:
    """Serve `answer` while the block runs; yields the server's base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.reply(*answer("POST", self.path, dict(self.headers.items()), body))

        def do_GET(self) -> None:
            self.reply(*answer("GET", self.path, dict(self.headers.items()), b""))

        def reply(self, status: int, payload: Any) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
