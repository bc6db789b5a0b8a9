"""OmniDimensionProvider on the emulator, its retries' waits recorded instead of slept."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support.lifecycle import connect
from support.omni_lifecycle import API_KEY

from agentsim.providers.omnidimension import OmniDimensionProvider
from agentsim_local.emulator import EmulatorServer


@pytest.fixture
def provider(emulator: EmulatorServer, sleeps: list[float]) -> Iterator[OmniDimensionProvider]:
    adapter = connect(
        OmniDimensionProvider, emulator, "omnidimension", API_KEY, sleep=sleeps.append
    )
    yield adapter
    adapter.close()
