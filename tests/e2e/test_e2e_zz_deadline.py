"""A run that outlives its deadline is stopped on the provider and ends TIMED_OUT.

The run was started with the session's first agentsim test (`deadline_run` in conftest.py) with
`timeout_minutes=1` on a Bluejay whose calls never end; this module runs last.
"""

from __future__ import annotations

import httpx
from e2e_requests import calls

from agentsim_local.embedded import EmbeddedStack


def test_run_past_its_deadline_is_stopped_and_timed_out(
    e2e: EmbeddedStack, emulator_control: httpx.Client, deadline_run: str
) -> None:
    record = e2e.wait(deadline_run, timeout=150)

    assert record["status"] == "TIMED_OUT"
    assert record["error"]["type"] == "RunTimedOut"
    assert "deadline" in record["error"]["message"]
    assert record.get("stop_error") is None
    ended = [
        c
        for c in calls(emulator_control, "bluejay")
        if c["method"] == "POST" and c["path"] == "/v1/end-conversations" and c["status"] < 300
    ]
    assert ended, "the provider was never asked to stop"
    executions = [e for e in e2e.executions() if e["name"] == deadline_run]
    assert [e["status"] for e in executions] == ["FAILED"]  # NotCompleted: the alarm sees it
