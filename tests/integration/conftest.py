"""Provider adapters against the emulator over real HTTP (fixtures shared by the providers)."""

from __future__ import annotations

import pytest


@pytest.fixture
def sleeps() -> list[float]:
    """The waits an adapter's retries asked for (its `sleep`), instead of sleeping."""
    return []
