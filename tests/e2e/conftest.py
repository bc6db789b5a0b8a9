"""End-to-end fixtures: agentsim's real template deployed once into a local AWS (ministack).

The local AWS's own tests come first, then the agentsim stack, deployed once per pytest process
into its own ministack server, the deadline test last. Under `pytest -n` (pytest-xdist,
`--dist loadfile`) each module runs whole on one worker, so a module deploying a stack of its
own deploys it once; e2e modules are handed out before the others (the longest work first,
so no worker is left with a long tail), and a worker that runs e2e modules of this directory
deploys the session stack once for them.

A run's shortest deadline is one minute (`timeout_minutes >= 1`), so the deadline run is started
with the first agentsim test, on a provider made slow for it alone (the emulator snapshots its
durations when a simulation starts), and checked by the last test, while the others run.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from e2e_requests import bluejay

from agentsim_local.embedded import EmbeddedStack
from agentsim_local.emulator import EmulatorSettings

E2E_DIR = Path(__file__).parent
E2E_SETTINGS = EmulatorSettings(queue_seconds=0.3, call_seconds=0.8, summary_seconds=0.3)
DEADLINE_MODULE = "test_e2e_zz_deadline.py"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def order(item: pytest.Item) -> tuple[int, int]:
        path = Path(str(item.path))
        if E2E_DIR not in path.parents:
            return (0, 0) if item.get_closest_marker("e2e") else (2, 0)
        if path.name.startswith("test_e2e_local_aws"):
            return (1, 0)
        return (1, 2 if path.name == DEADLINE_MODULE else 1)

    for item in items:
        if E2E_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.e2e)
    items.sort(key=order)  # stable: file order is kept within each group


def control_client(stack: EmbeddedStack) -> httpx.Client:
    """The emulator's `/_emulator` control plane over HTTP, a connection per request: a fixture
    holds the client across a test longer than the server keeps an idle connection (uvicorn's
    5 s), and a request on a connection the server is closing meets a reset."""
    assert stack.emulator is not None, "the e2e stack runs its own emulator"
    no_reuse = httpx.Limits(max_keepalive_connections=0)
    return httpx.Client(base_url=stack.emulator.url, timeout=10, limits=no_reuse)


@pytest.fixture(scope="session")
def stack() -> Iterator[EmbeddedStack]:
    with EmbeddedStack(emulator_settings=E2E_SETTINGS) as deployed:
        yield deployed


@pytest.fixture(scope="session")
def deadline_run(stack: EmbeddedStack) -> str:
    """A Bluejay run with a one-minute deadline whose calls never end; its run id."""
    with control_client(stack) as control:
        control.put("/_emulator/settings", json={"call_seconds": 3600}).raise_for_status()
        try:
            run_id = stack.submit(bluejay(timeout_minutes=1), trigger="webhook")
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                record = stack.get_run(run_id) or {}
                if record.get("provider_run_id") or record.get("status") not in {
                    None,
                    "PENDING",
                }:
                    break
                time.sleep(0.2)
        finally:
            control.put("/_emulator/settings", json=E2E_SETTINGS.model_dump()).raise_for_status()
    return run_id


@pytest.fixture
def e2e(stack: EmbeddedStack, deadline_run: str) -> Iterator[EmbeddedStack]:
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
