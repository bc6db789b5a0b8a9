"""A delivery POST goes to the address that was checked, keeps the name for Host and TLS, does
not follow redirects, and answers a status code or an error class, never raising."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from support.json_server import json_server

from agentsim.delivery.outbound import Outbound, Sent
from agentsim.delivery.urls import UrlPolicy

Seen = list[tuple[str, dict[str, str], bytes]]


@pytest.fixture
def receiver() -> Iterator[tuple[str, Seen]]:
    """A loopback server: 302 on /redirect, 200 elsewhere; (its port, what it received)."""
    seen: Seen = []

    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> Any:
        seen.append((path, headers, body))
        return (302, {}) if path == "/redirect" else (200, {"ok": True})

    with json_server(answer) as url:
        yield url.rsplit(":", 1)[1], seen


def loopback_named(name: str) -> UrlPolicy:
    """A local stack's policy whose resolver says `name` is 127.0.0.1."""
    return UrlPolicy(
        allow_loopback=True, resolver=lambda host, port: ["127.0.0.1"] if host == name else []
    )


def test_the_post_reaches_the_checked_address_with_the_name_in_host(
    receiver: tuple[str, Seen],
) -> None:
    port, seen = receiver
    outbound = Outbound(loopback_named("hooks.test"))

    sent = outbound.post(f"http://hooks.test:{port}/hook?a=1", b'{"x":1}', {"X-Test": "yes"})

    assert sent == Sent(status_code=200)
    assert [(p, h["Host"], h["X-Test"], b) for p, h, b in seen] == [
        ("/hook?a=1", f"hooks.test:{port}", "yes", b'{"x":1}')
    ]


def test_a_redirect_is_not_followed_and_not_retried(receiver: tuple[str, Seen]) -> None:
    port, seen = receiver

    sent = Outbound(loopback_named("hooks.test")).post(
        f"http://hooks.test:{port}/redirect", b"", {}
    )

    assert sent.status_code == 302 and not sent.ok and not sent.retryable
    assert len(seen) == 1


def test_a_refused_url_is_not_called_and_not_retried() -> None:
    def transport(request: httpx.Request) -> httpx.Response:
        raise AssertionError("called")

    outbound = Outbound(UrlPolicy(), httpx.Client(transport=httpx.MockTransport(transport)))

    sent = outbound.post("https://169.254.169.254/latest/meta-data/", b"", {})

    assert sent == Sent(error="AddressRefused", final=True)
    assert not sent.retryable


def test_a_name_that_resolves_elsewhere_at_delivery_time_is_refused_then() -> None:
    answers = [["93.184.215.14"], ["10.0.0.5"]]
    policy = UrlPolicy(resolver=lambda host, port: answers.pop(0))
    url = "https://rebinding.example/hook"
    policy.check(url)  # as the request was checked

    sent = Outbound(policy).post(url, b"{}", {})

    assert sent == Sent(error="AddressRefused", final=True)


def test_a_receiver_that_does_not_answer_is_an_error_class_worth_retrying() -> None:
    sent = Outbound(UrlPolicy(allow_loopback=True)).post("http://127.0.0.1:1/", b"", {})

    assert sent == Sent(error="ConnectError")
    assert sent.retryable


@pytest.mark.parametrize(
    ("status", "retryable"), [(500, True), (503, True), (429, True), (404, False), (401, False)]
)
def test_5xx_and_come_back_later_answers_are_retried_other_4xx_are_not(
    status: int, retryable: bool
) -> None:
    assert Sent(status_code=status).retryable is retryable


def test_https_goes_to_the_address_with_the_idna_name_for_host_and_tls() -> None:
    requests: list[httpx.Request] = []

    def transport(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(204)

    policy = UrlPolicy(resolver=lambda host, port: ["93.184.215.14"])
    outbound = Outbound(policy, httpx.Client(transport=httpx.MockTransport(transport)))

    sent = outbound.post("https://Bücher.example/hook", b"{}", {})

    assert sent.ok
    (request,) = requests
    assert str(request.url) == "https://93.184.215.14/hook"
    assert request.headers["Host"] == "xn--bcher-kva.example"
    assert request.extensions["sni_hostname"] == "xn--bcher-kva.example"


def test_no_connection_is_reused_for_another_name_at_the_same_address() -> None:
    ports: list[int] = []

    class KeepAlive(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keeps connections open unless the client closes

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            ports.append(self.client_address[1])
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), KeepAlive)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    outbound = Outbound(UrlPolicy(allow_loopback=True, resolver=lambda h, p: ["127.0.0.1"]))
    try:
        outbound.post(f"http://one.test:{port}/", b"", {})
        outbound.post(f"http://two.test:{port}/", b"", {})
    finally:
        outbound.close()
        server.shutdown()
        server.server_close()

    assert len(ports) == 2 and ports[0] != ports[1]
