"""`agentsim_local.webhook.post_signed`: an unanswered webhook is sent again, identical; an
answered one (success or refusal) never is. Served by a plain HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from support.json_server import json_server

from agentsim.runs.signing import TOLERANCE_SECONDS, sign
from agentsim_local import webhook
from agentsim_local.webhook import post_signed

BODY = json.dumps({"provider": "bluejay", "simulation_id": "42"}).encode()


class ScriptedApi:
    """Answers each POST with the next status of `statuses` (the last one repeats)."""

    def __init__(self) -> None:
        self.statuses: list[int] = [202]
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.url = ""
        self.on_request: Callable[[], None] = lambda: None

    def next_status(self) -> int:
        index = min(len(self.received) - 1, len(self.statuses) - 1)
        return self.statuses[index]


@pytest.fixture
def api() -> Iterator[ScriptedApi]:
    scripted = ScriptedApi()

    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, Any]:
        scripted.received.append((headers, body))
        scripted.on_request()
        status = scripted.next_status()
        return status, {"run_id": "run-1"} if status < 400 else {"message": "x"}

    with json_server(answer) as url:
        scripted.url = f"{url}/simulations"
        yield scripted


def at_cap(cap: float) -> float:
    """No jitter: every wait is its cap."""
    return cap


def signed_headers() -> dict[str, str]:
    return {"Content-Type": "application/json", "Idempotency-Key": "k-1", **sign("s", BODY)}


def test_a_504_and_a_502_are_sent_again_identical_until_answered(api: ScriptedApi) -> None:
    api.statuses = [504, 502, 202]
    waits: list[float] = []
    sent = signed_headers()

    with httpx.Client() as client:
        posted = post_signed(client, api.url, BODY, sent, sleep=waits.append, jitter=at_cap)

    assert (posted.response.status_code, posted.attempts) == (202, 3)
    assert waits == list(webhook.RETRY_DELAYS[:2])
    for headers, body in api.received:
        assert body == BODY
        for name, value in sent.items():
            assert headers[name] == value  # the same signature, timestamp and key every time


@pytest.mark.parametrize("status", [202, 400, 401, 409, 422, 500])
def test_an_answer_is_never_sent_again(api: ScriptedApi, status: int) -> None:
    api.statuses = [status]

    with httpx.Client() as client:
        posted = post_signed(client, api.url, BODY, signed_headers(), sleep=pytest.fail)

    assert (posted.response.status_code, posted.attempts) == (status, 1)
    assert len(api.received) == 1


def test_the_last_504_is_returned_when_every_attempt_timed_out(api: ScriptedApi) -> None:
    api.statuses = [504]
    waits: list[float] = []

    with httpx.Client() as client:
        posted = post_signed(
            client, api.url, BODY, signed_headers(), sleep=waits.append, jitter=at_cap
        )

    assert posted.response.status_code == 504
    assert posted.attempts == len(webhook.RETRY_DELAYS) + 1 == len(api.received)
    assert waits == list(webhook.RETRY_DELAYS)


def unused_url() -> str:
    """A loopback URL on a port nothing listens on (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/simulations"


def test_a_refused_connection_is_tried_again_then_raised() -> None:
    waits: list[float] = []

    with httpx.Client() as client, pytest.raises(httpx.ConnectError):
        post_signed(client, unused_url(), BODY, signed_headers(), sleep=waits.append, jitter=at_cap)

    assert waits == list(webhook.RETRY_DELAYS)


def test_with_a_signing_function_each_attempt_is_signed_afresh(api: ScriptedApi) -> None:
    api.statuses = [504, 504, 202]
    signatures = iter(["v1=first", "v1=second", "v1=third"])

    def signed() -> dict[str, str]:
        return {**signed_headers(), "X-Agentsim-Signature": next(signatures)}

    with httpx.Client() as client:
        posted = post_signed(client, api.url, BODY, signed, sleep=lambda _: None)

    assert posted.attempts == 3
    sent = [headers["X-Agentsim-Signature"] for headers, _ in api.received]
    assert sent == ["v1=first", "v1=second", "v1=third"]
    assert {headers["Idempotency-Key"] for headers, _ in api.received} == {"k-1"}


def test_an_identical_request_is_not_sent_once_its_signature_would_be_stale(
    api: ScriptedApi,
) -> None:
    # Given every answer is a 504 that takes 100 s to come
    api.statuses = [504]
    now = [0.0]
    api.on_request = lambda: now.__setitem__(0, now[0] + 100)

    def wait(seconds: float) -> None:
        now[0] += seconds

    with httpx.Client() as client:
        posted = post_signed(
            client, api.url, BODY, signed_headers(), sleep=wait, clock=lambda: now[0], jitter=at_cap
        )

    # Then the third answer ends it: a fourth attempt would carry a signature past its window
    assert (posted.response.status_code, posted.attempts) == (504, 3)
    assert now[0] + webhook.RETRY_DELAYS[2] > TOLERANCE_SECONDS - webhook.SIGNATURE_MARGIN


def test_each_wait_is_drawn_at_random_below_its_cap(api: ScriptedApi) -> None:
    api.statuses = [429] * 6 + [202]
    waits: list[float] = []

    with httpx.Client() as client:
        post_signed(client, api.url, BODY, signed_headers(), sleep=waits.append)

    caps = webhook.RETRY_DELAYS[:6]
    assert all(0 <= wait <= cap for wait, cap in zip(waits, caps, strict=True))
    assert waits != list(caps)
