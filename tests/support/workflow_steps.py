"""Helpers for driving the workflow's use cases one step at a time (no Step Functions): a
registered run and the poll loop to its end, as the state machine would run them."""

from __future__ import annotations

import time
from typing import Any

from support.workflow import registered

from agentsim.runs.pacing import PollStep
from agentsim.runs.poll import poll
from agentsim.runs.services import Services


def submitted(services: Services, request: dict[str, Any], run_id: str = "run-1") -> str:
    """A run submitted and registered, as Register leaves it before Start; its id."""
    return registered(services, run_id, request)


def poll_until_terminal(services: Services, run_id: str, first: PollStep) -> PollStep:
    """Poll from `first` until the provider's run ends (20 s at the most); the last step."""
    step = first
    deadline = time.monotonic() + 20
    while not step.terminal:
        assert time.monotonic() < deadline, f"still {step.status} after 20 s"
        time.sleep(0.2)
        step = poll(services, run_id, step.count)
    return step
