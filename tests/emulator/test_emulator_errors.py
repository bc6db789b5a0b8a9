"""Emulator errors: one mapping to each provider's status, body and headers, one handler."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import FastAPI

from agentsim_local.emulator import Provider, errors
from agentsim_local.emulator.errors import (
    EmulatorError,
    InvalidRequest,
    InvalidState,
    NotFound,
    Throttled,
    Unauthorized,
    Unavailable,
    error_body,
    error_headers,
    status_of,
)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (NotFound("x"), 404),
        (InvalidRequest("x"), 400),
        (InvalidState("x"), 400),
        (Unauthorized("x"), 401),
        (Throttled("x"), 429),
        (Unavailable("x", status=502), 502),
    ],
)
def test_each_error_has_its_status(error: EmulatorError, status: int) -> None:
    assert status_of(error) == status


@pytest.mark.parametrize(
    ("error", "body"),
    [
        (NotFound("Simulation not found"), {"error": "Simulation not found"}),
        (
            InvalidState("Cannot update"),
            {"error": "invalid_state", "error_description": "Cannot update"},
        ),
        (
            InvalidRequest("name: too short", slug="invalid_name"),
            {"error": "invalid_name", "error_description": "name: too short"},
        ),
        (
            Throttled("Too Many Requests"),
            {"error": "rate_limited", "error_description": "Too Many Requests"},
        ),
    ],
)
def test_omnidimension_words_errors_as_error_and_description(
    error: EmulatorError, body: dict[str, str]
) -> None:
    assert error_body("omnidimension", error) == body


@pytest.mark.parametrize("provider", ["bluejay", "synthflow", None])
def test_the_others_word_errors_as_fastapi_detail(provider: Provider | None) -> None:
    assert error_body(provider, InvalidState("Cannot update")) == {"detail": "Cannot update"}


@pytest.mark.parametrize(("seconds", "header"), [(3, "3"), (3.0, "3"), (0.5, "0.5")])
def test_retry_after_is_sent_in_whole_seconds_when_whole(seconds: float, header: str) -> None:
    assert error_headers(Throttled("x", retry_after=seconds)) == {"Retry-After": header}


def test_throttling_without_a_delay_sends_no_retry_after() -> None:
    assert error_headers(Throttled("x")) is None


def test_the_handler_answers_in_the_shape_of_the_provider_under_whose_path_it_was_raised() -> None:
    app = FastAPI()
    errors.install(app)

    @app.get("/{path:path}")
    def refuse(path: str) -> None:
        raise NotFound("Simulation not found")

    async def get(path: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as client:
            return await client.get(path)

    omni, bluejay = asyncio.run(get("/api/v1/simulations/1")), asyncio.run(get("/v1/simulation/1"))

    assert (omni.status_code, omni.json()) == (404, {"error": "Simulation not found"})
    assert (bluejay.status_code, bluejay.json()) == (404, {"detail": "Simulation not found"})
