"""What the use cases need from the outside world, as small interfaces.

The AWS implementations are in `aws.py`; the provider factory is built from the stack's secret
by `wiring.py`. Use cases receive these, so tests can hand them moto-backed ones.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from agentsim.providers.base import ProviderName, SimulationProvider

ProviderFactory = Callable[[ProviderName], SimulationProvider]
"""A provider adapter with its API key, ready to use (and to close)."""


class Executions(Protocol):
    """Workflow executions, named after their run id."""

    def start(self, run_id: str, payload: Mapping[str, Any]) -> None:
        """Start the run's execution; an execution of that name already existing is fine."""

    def stop(self, run_id: str, cause: str) -> None:
        """Stop the run's execution if it is still running."""


class FinishedEvents(Protocol):
    def publish(self, detail: Mapping[str, Any]) -> None:
        """Announce `SimulationRunFinished` with `detail`."""
