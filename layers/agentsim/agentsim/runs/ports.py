"""What the use cases need from the outside world, as small interfaces.

The AWS implementations are in `aws.py` and `claims.py`; the provider factory is built from the
stack's secret by `wiring.py`. Use cases receive these, so tests can hand them moto-backed ones.
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


class LaunchClaims(Protocol):
    """Which run follows which provider launch, and which run is launching in a scope."""

    def claim(self, key: str, run_id: str, *, reusable: bool = False) -> bool:
        """Make `run_id` the one run following launch `key`; False when another run is."""

    def unclaim(self, key: str, run_id: str) -> None:
        """Drop `run_id`'s claim on `key`, if it holds it."""

    def owner(self, key: str) -> str | None:
        """The run following launch `key`, if any."""

    def hold(self, scope: str, run_id: str) -> None:
        """Be the one run launching in `scope` (waits a little; LaunchBusy when it cannot)."""

    def release(self, scope: str, run_id: str) -> None:
        """Let `scope` go, if `run_id` holds it."""
