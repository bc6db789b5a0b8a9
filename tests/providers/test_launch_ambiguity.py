"""Which failed start may have started something (ambiguous: reconcile) and which provably did
not (a refusal: send it again, or fail cleanly). Narrow checks of the HTTP core."""

from __future__ import annotations

import httpx
import pytest

from agentsim.providers.errors import (
    ProviderError,
    ProviderRejected,
    ProviderThrottled,
    ProviderUnavailable,
)
from agentsim.providers.http import ProviderHttp
from agentsim.providers.omnidimension.client import omnidimension_message
from agentsim.providers.retry import RetryPolicy

START = ("POST", "simulations/1/start")


def start_answered(*answers: httpx.Response, attempts: int = 1) -> tuple[ProviderError, int]:
    """Send a non-idempotent start that meets `answers` in turn: the error, requests sent."""
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return answers[min(len(sent), len(answers)) - 1]

    http = ProviderHttp(
        "testprov",
        "https://api.example.test/v1",
        {},
        error_message=omnidimension_message,
        retry=RetryPolicy(attempts=attempts),
        transport=httpx.MockTransport(answer),
        sleep=lambda _: None,
    )
    with pytest.raises(ProviderError) as caught:
        http.request(*START, operation="start", idempotent=False)
    return caught.value, len(sent)


def test_a_429_is_not_ambiguous() -> None:
    error, _ = start_answered(httpx.Response(429, json={"detail": "Too Many Requests"}))
    assert isinstance(error, ProviderThrottled)
    assert error.ambiguous is False


def test_a_503_in_the_provider_error_shape_is_not_ambiguous_and_is_sent_again() -> None:
    refusal = httpx.Response(503, json={"error": "overloaded", "error_description": "try later"})

    error, sent = start_answered(refusal, attempts=3)

    assert isinstance(error, ProviderUnavailable)
    assert (error.ambiguous, error.message, sent) == (False, "try later", 3)


def test_a_refusal_in_a_200_body_is_not_ambiguous() -> None:
    # The provider's own words, as every client's `_answer` turns a `success: false` into
    error = ProviderRejected("testprov", "simulation is not startable", status_code=200)
    assert error.ambiguous is False


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(500, json={"error": "server_error", "error_description": "boom"}),
        httpx.Response(502, json={"message": "Bad gateway"}),
        httpx.Response(504, json={"message": "Endpoint request timed out"}),
        httpx.Response(503, text="<html><h1>503 Service Unavailable</h1></html>"),
        httpx.Response(503),
    ],
    ids=["500-provider-body", "502-gateway-json", "504-gateway-json", "503-page", "503-empty"],
)
def test_a_5xx_that_may_follow_the_work_is_ambiguous_and_not_sent_again(
    answer: httpx.Response,
) -> None:
    error, sent = start_answered(answer, attempts=3)
    assert isinstance(error, ProviderUnavailable)
    assert (error.ambiguous, sent) == (True, 1)


def test_only_provider_unavailable_can_be_ambiguous() -> None:
    assert [cls.__name__ for cls in ProviderError.__subclasses__() if cls.ambiguous] == []
    assert ProviderUnavailable("p", "m", ambiguous=True).ambiguous is True
