"""The provider emulator in tests: each provider's auth header and a client sending it; a
manual clock and a store on it, for a provider backend tested with no server around it.

Any non-empty key is accepted unless a test restricts them (`EmulatorSettings.api_keys`).
"""

from __future__ import annotations

import httpx

from agentsim_local.emulator import EmulatorServer, EmulatorSettings, Provider
from agentsim_local.emulator.state import Store

OMNI = {"Authorization": "Bearer omni-test-key"}
BLUEJAY = {"X-API-Key": "bluejay-test-key"}
SYNTHFLOW = {"Authorization": "Bearer synthflow-test-key"}
HEADERS: dict[Provider, dict[str, str]] = {
    "omnidimension": OMNI,
    "bluejay": BLUEJAY,
    "synthflow": SYNTHFLOW,
}


def provider_client(emulator: EmulatorServer, provider: Provider) -> httpx.Client:
    """A client on `provider`'s base URL, sending its auth header."""
    return httpx.Client(base_url=emulator.base_urls[provider], headers=HEADERS[provider])


class ManualClock:
    """The emulator's clock in backend tests: it moves only when told to."""

    def __init__(self, now: float = 1_760_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def manual_store(
    clock: ManualClock, queue: float = 1.0, call: float = 4.0, summary: float = 1.0
) -> Store:
    """A store on `clock`, for a backend with no server around it."""
    settings = EmulatorSettings(queue_seconds=queue, call_seconds=call, summary_seconds=summary)
    return Store(settings, clock)
