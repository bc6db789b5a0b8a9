"""Valid suite requests for the emulator's fixtures (built from `support.run_requests`)."""

from __future__ import annotations

from typing import Any

from support.run_requests import bluejay_request, omnidimension_request, synthflow_request


def ungated_bluejay(**overrides: Any) -> dict[str, Any]:
    """A Bluejay run without a gate or labels of its own."""
    run = bluejay_request(**overrides)
    run.pop("gate")
    run.pop("labels")
    return run


def suite_request(*runs: dict[str, Any], name: str = "nightly", **fields: Any) -> dict[str, Any]:
    """`{"suite": {"name", "runs"}, **fields}`; by default one run of each provider."""
    chosen = list(runs) or [ungated_bluejay(), synthflow_request(), omnidimension_request()]
    return {"suite": {"name": name, "runs": chosen}, **fields}
