"""Requests and emulator helpers the end-to-end tests share (fresh request per test)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
from support.run_requests import (
    LAUNCH_PATHS,
    SYNTHFLOW_PASSING_CASE,
    omnidimension_request,
    synthflow_request,
)

from agentsim_local.embedded import EmbeddedStack


def labels() -> dict[str, str]:
    """Labels unique to one test, so its run is told apart from every other."""
    return {"test": uuid.uuid4().hex[:12]}


def omnidimension(**overrides: Any) -> dict[str, Any]:
    return omnidimension_request(**{"labels": labels(), **overrides})


def bluejay(**overrides: Any) -> dict[str, Any]:
    return {
        "provider": "bluejay",
        "simulation": {
            "agent_id": "12",
            "name": "Support line regression",
            "description": "Every digital human calls the support agent once.",
            "max_call_duration": 5,
            "max_call_duration_units": "minutes",
        },
        "labels": labels(),
        **overrides,
    }


def synthflow(case_id: str = SYNTHFLOW_PASSING_CASE, **overrides: Any) -> dict[str, Any]:
    return synthflow_request(case_id, **{"labels": labels(), **overrides})


REQUESTS = {"omnidimension": omnidimension, "bluejay": bluejay, "synthflow": synthflow}


def calls(control: httpx.Client, provider: str, since: float = 0.0) -> list[dict[str, Any]]:
    """The emulator's log of calls to `provider` received at or after `since` (epoch seconds).

    The log is never cleared during the session: the deadline run's calls arrive while other
    tests run, so each test looks at its own provider and time window.
    """
    answer = control.get("/_emulator/calls", params={"provider": provider})
    answer.raise_for_status()
    logged: list[dict[str, Any]] = answer.json()["calls"]
    return [c for c in logged if c["at"] >= since]


def add_fault(control: httpx.Client, **fault: Any) -> None:
    """`POST /_emulator/faults` (provider, kind, path_contains, method, times, ...)."""
    control.post("/_emulator/faults", json=fault).raise_for_status()


def launches(control: httpx.Client, provider: str, since: float) -> list[dict[str, Any]]:
    """Paid launches the provider accepted since `since`."""
    return [
        c
        for c in calls(control, provider, since)
        if c["method"] == "POST" and LAUNCH_PATHS[provider].match(c["path"]) and c["status"] < 300
    ]


def executions_named(stack: EmbeddedStack, run_id: str) -> list[dict[str, Any]]:
    return [e for e in stack.executions() if e["name"] == run_id]


def post_signed(
    stack: EmbeddedStack, path: str, request: dict[str, Any] | None, key: str | None = None
) -> Any:
    """A POST to the stack's API signed with its webhook secret (and an Idempotency-Key)."""
    body = b"" if request is None else json.dumps(request).encode()
    headers = stack.signed_headers(body)
    if key is not None:
        headers["Idempotency-Key"] = key
    return stack.invoke_api("POST", path, body=body, headers=headers)
