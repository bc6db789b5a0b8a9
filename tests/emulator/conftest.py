"""Clients on each emulated provider, for the tests below (the server: `tests/conftest.py`)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from support.emulator import provider_client

from agentsim_local.emulator import EmulatorServer


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
