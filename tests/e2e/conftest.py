"""End-to-end fixtures: agentsim's real template deployed once into a local AWS (ministack).

e2e tests run after every other test: the local AWS's own tests first, then the agentsim
stack, deployed once for the session into its own ministack server.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from agentsim_local.embedded import EmbeddedStack
from agentsim_local.emulator import EmulatorSettings

E2E_DIR = Path(__file__).parent
E2E_SETTINGS = EmulatorSettings(queue_seconds=0.3, call_seconds=0.8, summary_seconds=0.3)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def order(item: pytest.Item) -> tuple[int, int]:
        path = Path(str(item.path))
        if E2E_DIR not in path.parents:
            return (0, 0)
        item.add_marker(pytest.mark.e2e)
        if path.name.startswith("test_e2e_local_aws"):
            return (1, 0)
        return (1, 1)

    items.sort(key=order)  # stable: file order is kept within each group


def control_client(stack: EmbeddedStack) -> httpx.Client:
    """The emulator's `/_emulator` control plane over HTTP."""
    assert stack.emulator is not None, "the e2e stack runs its own emulator"
    return httpx.Client(base_url=stack.emulator.url, timeout=10)


@pytest.fixture(scope="session")
def stack() -> Iterator[EmbeddedStack]:
    with EmbeddedStack(emulator_settings=E2E_SETTINGS) as deployed:
        yield deployed


@pytest.fixture
def e2e(stack: EmbeddedStack) -> Iterator[EmbeddedStack]:
    """The session's stack, emulator faults cleared and fast durations, before and after."""
    with control_client(stack) as control:
        control.delete("/_emulator/faults").raise_for_status()
        control.put("/_emulator/settings", json=E2E_SETTINGS.model_dump()).raise_for_status()
        yield stack
        control.delete("/_emulator/faults").raise_for_status()
        control.put("/_emulator/settings", json=E2E_SETTINGS.model_dump()).raise_for_status()


@pytest.fixture
def emulator_control(e2e: EmbeddedStack) -> Iterator[httpx.Client]:
    with control_client(e2e) as client:
        yield client
