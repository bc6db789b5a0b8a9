"""What the workflow keeps of an OmniDimension simulation between its steps.

OmniDimension has no run id: the simulation is the run, so both handles name the simulation.
The status seen at prepare time is kept for recognising a lost start (`mapping.started_since`).
"""

from __future__ import annotations

from typing import Literal

from agentsim.providers.base import Handle, ProviderName

Prepared = Literal["created", "existing", "updated"]


class _OmniDimension(Handle):
    provider: Literal[ProviderName.OMNIDIMENSION] = ProviderName.OMNIDIMENSION
    kind: Literal["simulation"] = "simulation"
    prepared: Prepared
    """How `prepare` came by the simulation."""
    prepared_status: str | None = None


class OmniDimensionPrepared(_OmniDimension):
    """A simulation created, updated or found, not started by us yet."""


class OmniDimensionLaunched(_OmniDimension):
    """A simulation started: `found` when a lost start was found rather than answered."""

    launched_status: str | None = None
    found: bool = False
