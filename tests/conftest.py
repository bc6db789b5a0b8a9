"""Shared fixtures: the provider emulator on a free local port.

`emulator_server` is started once per session with short durations; `emulator` hands it to one
test after resetting simulations, faults, the call log and the settings.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agentsim_local.emulator import EmulatorServer, EmulatorSettings

TEST_SETTINGS = EmulatorSettings(queue_seconds=0.2, call_seconds=0.5, summary_seconds=0.2)


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0, settings=TEST_SETTINGS) as server:
        yield server


@pytest.fixture
def emulator(emulator_server: EmulatorServer) -> Iterator[EmulatorServer]:
    emulator_server.settings = TEST_SETTINGS.model_copy()
    emulator_server.reset()
    yield emulator_server
    emulator_server.faults.clear()
