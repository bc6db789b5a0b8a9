"""Clients on each emulated provider (the server: `tests/conftest.py`), and a store on a manual
clock for the provider backends tested alone."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from support.emulator import ManualClock, manual_store, provider_client

from agentsim_local.emulator import EmulatorServer
from agentsim_local.emulator.state import Store


@pytest.fixture
def omni(emulator: EmulatorServer) -> Iterator[httpx.Client]:
    with provider_client(emulator, "omnidimension") as client:
        yield client


@pytest.fixture
def bluejay(emulator: EmulatorServer) -> Iterator[httpx.Client]:
    with provider_client(emulator, "bluejay") as client:
        yield client


@pytest.fixture
def synthflow(emulator: EmulatorServer) -> Iterator[httpx.Client]:
    with provider_client(emulator, "synthflow") as client:
        yield client


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def store(clock: ManualClock) -> Store:
    """Queue 1 s, calls 4 s, summary (evaluation) 1 s, on `clock`."""
    return manual_store(clock)
