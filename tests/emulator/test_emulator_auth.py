"""Auth: each provider wants its own header, and only the keys it was told to accept."""

from __future__ import annotations

import httpx
import pytest
from support.emulator import SYNTHFLOW

from agentsim_local.emulator import EmulatorServer, EmulatorSettings


@pytest.mark.parametrize(
    ("provider", "path", "body"),
    [
        ("omnidimension", "/simulations", {"error": "unauthorized"}),
        ("bluejay", "/v1/get-all-simulations", None),
        ("synthflow", "/simulations", None),
    ],
)
def test_missing_key_gets_401_in_the_provider_shape(
    emulator: EmulatorServer, provider: str, path: str, body: dict[str, str] | None
) -> None:
    answer = httpx.get(emulator.base_urls[provider] + path)  # type: ignore[index]

    assert answer.status_code == 401
    if body is None:
        assert answer.json() == {"detail": "Invalid or missing API key"}
    else:
        assert answer.json()["error"] == "unauthorized" and answer.json()["error_description"]


def test_empty_bearer_token_is_rejected(emulator: EmulatorServer) -> None:
    answer = httpx.get(
        emulator.base_urls["synthflow"] + "/simulations", headers={"Authorization": "Bearer"}
    )

    assert answer.status_code == 401


def test_explicit_keys_restrict_what_is_accepted() -> None:
    settings = EmulatorSettings(api_keys={"bluejay": "the-right-key"})
    with EmulatorServer(port=0, settings=settings) as server:
        url = server.base_urls["bluejay"] + "/v1/ping"
        wrong = httpx.get(url, headers={"X-API-Key": "wrong"})
        right = httpx.get(url, headers={"X-API-Key": "the-right-key"})
        other = httpx.get(server.base_urls["synthflow"] + "/simulations", headers=SYNTHFLOW)

    assert (wrong.status_code, right.status_code, other.status_code) == (401, 200, 200)
