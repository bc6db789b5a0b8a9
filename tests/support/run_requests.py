"""Valid requests per provider for the emulator's fixtures, and its launch-call patterns."""

from __future__ import annotations

import re
from typing import Any

SYNTHFLOW_AGENT = "1726005822670-239735712159542050"
SYNTHFLOW_PASSING_CASE = "9ad09ad3-9c22-441e-ae35-c05016a09786"
SYNTHFLOW_FAILING_CASE = "5b0f3a52-7a51-4a59-9d0c-3f1f3f1d2e01"
SYNTHFLOW_ERROR_CASE = "c1a3e2f4-1111-4a4a-8b8b-0c0c0c0c0c01"
"""An emulator case whose call is disconnected: the run ends `failed` on Synthflow."""
SYNTHFLOW_SUITE = "0e5d6c7b-2222-4b4b-9c9c-1d1d1d1d1d01"

LAUNCH_PATHS = {
    "omnidimension": re.compile(r"^/api/v1/simulations/[^/]+/start$"),
    "bluejay": re.compile(r"^/v1/queue-simulation-run$"),
    "synthflow": re.compile(r"^/v2/(simulations|simulation_suites/[^/]+/execute)$"),
}


def bluejay_request(**overrides: Any) -> dict[str, Any]:
    return {
        "provider": "bluejay",
        "simulation": {"agent_id": "12", "name": "Support line regression"},
        "gate": {"min_pass_rate": 0.6},
        "labels": {"team": "voice"},
        **overrides,
    }


def synthflow_request(case_id: str = SYNTHFLOW_PASSING_CASE, **overrides: Any) -> dict[str, Any]:
    return {
        "provider": "synthflow",
        "simulation": {"simulation_case_id": case_id, "target_agent_id": SYNTHFLOW_AGENT},
        **overrides,
    }


def synthflow_suite_request(**overrides: Any) -> dict[str, Any]:
    return {
        "provider": "synthflow",
        "simulation": {"suite_id": SYNTHFLOW_SUITE, "target_agent_id": SYNTHFLOW_AGENT},
        **overrides,
    }


def omnidimension_request(**overrides: Any) -> dict[str, Any]:
    return {
        "provider": "omnidimension",
        "simulation": {
            "name": "Dental clinic: booking",
            "agent_id": 158910,
            "number_of_call_to_make": 1,
            "concurrent_call_count": 1,
            "max_call_duration_in_minutes": 3,
            "scenarios": [
                {
                    "name": "Book a cleaning",
                    "description": "You are a new patient asking for a cleaning on Tuesday.",
                    "expected_result": "The agent books a Tuesday slot.",
                }
            ],
        },
        **overrides,
    }


def launches(emulator: Any, provider: str) -> list[dict[str, Any]]:
    """Paid launch calls the emulator processed for `provider` (including ones whose answer
    was delayed past the client's timeout)."""
    return [
        call
        for call in emulator.calls.list(provider)
        if call["method"] == "POST"
        and LAUNCH_PATHS[provider].match(call["path"])
        and call["status"] < 300
    ]
