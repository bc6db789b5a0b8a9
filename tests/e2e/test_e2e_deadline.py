"""A run that outlives its deadline is stopped on the provider and ends TIMED_OUT.

The test starts its own run (`timeout_minutes=1`, the shortest, on a Bluejay whose calls never
end) and looks only at what that run did since it started, so it passes alone and wherever it
falls in the session: it shares no run, and no window of the emulator's call log, with another
test.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from e2e_requests import bluejay, calls

from agentsim_local.embedded import EmbeddedStack

LAUNCH_SECONDS = 30
"""How long the run may take to be launched on the provider."""


@pytest.fixture
def deadline_run(e2e: EmbeddedStack, emulator_control: httpx.Client) -> Iterator[tuple[str, float]]:
    """A Bluejay run with a one-minute deadline whose calls never end: (run id, its start)."""
    started = time.time()
    slow = {"call_seconds": 3600}  # the emulator fixes a simulation's durations as it starts
    emulator_control.put("/_emulator/settings", json=slow).raise_for_status()
    run_id = e2e.submit(bluejay(timeout_minutes=1), trigger="webhook")
    deadline = time.monotonic() + LAUNCH_SECONDS
    while time.monotonic() < deadline:
        record = e2e.get_run(run_id) or {}
        if record.get("provider_run_id") or record.get("status") not in {None, "PENDING"}:
            break
        time.sleep(0.2)
    yield run_id, started


def test_run_past_its_deadline_is_stopped_and_timed_out(
    e2e: EmbeddedStack, emulator_control: httpx.Client, deadline_run: tuple[str, float]
) -> None:
    run_id, started = deadline_run

    record = e2e.wait(run_id, timeout=150)

    assert record["status"] == "TIMED_OUT"
    assert record["error"]["type"] == "RunTimedOut"
    assert "deadline" in record["error"]["message"]
    assert record.get("stop_error") is None
    ended = [
        c
        for c in calls(emulator_control, "bluejay", since=started)
        if c["method"] == "POST" and c["path"] == "/v1/end-conversations" and c["status"] < 300
    ]
    assert ended, "the provider was never asked to stop"
    executions = [e for e in e2e.executions() if e["name"] == run_id]
    assert [e["status"] for e in executions] == ["FAILED"]  # NotCompleted: the alarm sees it
