"""The local stack the CLI's CI modules share: the real template deployed into a local AWS with
the provider emulator, once per pytest process (deploying takes a while). A module that needs a
stack of its own defines its own `stack` fixture, which takes precedence."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agentsim_local.embedded import EmbeddedStack
from agentsim_local.local_stack import open_stack


@pytest.fixture(scope="session")
def stack() -> Iterator[EmbeddedStack]:
    with open_stack() as deployed:
        yield deployed
