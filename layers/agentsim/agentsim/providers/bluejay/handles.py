"""What the workflow keeps of a Bluejay simulation between its steps.

A simulation is prepared (created, updated or found); each launch queues a simulation run with
its own id and one test result per conversation, whose ids stop needs before any result exists.
"""

from __future__ import annotations

from typing import Literal

from agentsim.providers.base import Handle, ProviderName

Prepared = Literal["created", "existing", "updated"]


class _Bluejay(Handle):
    provider: Literal[ProviderName.BLUEJAY] = ProviderName.BLUEJAY
    kind: Literal["simulation"] = "simulation"
    prepared: Prepared
    """How `prepare` came by the simulation."""


class BluejayPrepared(_Bluejay):
    """A simulation created, updated or found, not queued by us yet."""

    attempts: int = 1
    """Runs per digital human the launch asks for (`repeat.times`)."""


class BluejayLaunched(_Bluejay):
    """A queued simulation run (`run_id`); `found` when a lost queue call was found."""

    run_id: str
    result_ids: list[str] = []
    agent_id: str | None = None
    found: bool = False
