"""What the OmniDimensionProvider tests share: simulation 456's paths, a spec built from
scenarios, and its handles once prepared or launched."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from agentsim.providers.omnidimension import (
    OmniDimensionLaunched,
    OmniDimensionPrepared,
    SimulationSpec,
)

GET = "/simulations/456"
START = "/simulations/456/start"
STOP = "/simulations/456/stop"
AT = datetime(2026, 5, 8, 9, 15, tzinfo=UTC)


def scenario(name: str, **fields: Any) -> dict[str, Any]:
    """A scenario named `name`, `fields` added or overriding."""
    return {"name": name, "description": f"Caller: {name}", "expected_result": "handled", **fields}


def spec(*scenarios: dict[str, Any], **fields: Any) -> SimulationSpec:
    """The dental clinic's spec with `scenarios` (one "Book" scenario by default)."""
    return SimulationSpec.model_validate(
        {
            "name": "Dental clinic",
            "agent_id": 158910,
            "scenarios": list(scenarios) or [scenario("Book")],
            **fields,
        }
    )


def prepared(status: str | None = "Draft") -> OmniDimensionPrepared:
    """Simulation 456 as created, in `status`."""
    return OmniDimensionPrepared(simulation_id="456", prepared="created", prepared_status=status)


def launched() -> OmniDimensionLaunched:
    """Simulation 456 as launched from its Draft."""
    return OmniDimensionLaunched(simulation_id="456", prepared="created", prepared_status="Draft")
