"""SynthflowProvider on the emulator, closed after each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support.lifecycle import connect

from agentsim.providers.synthflow import SynthflowProvider
from agentsim_local.emulator import EmulatorServer


@pytest.fixture
def provider(emulator: EmulatorServer) -> Iterator[SynthflowProvider]:
    with connect(SynthflowProvider, emulator, "synthflow", "sf-test-key") as adapter:
        assert isinstance(adapter, SynthflowProvider)
        yield adapter
