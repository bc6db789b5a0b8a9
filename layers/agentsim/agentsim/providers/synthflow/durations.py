"""How long a Synthflow run of a request takes: a fixed estimate (a case has no field that
sizes it), a suite's from its turn limit. It paces polling before the run reports progress."""

from __future__ import annotations

from agentsim.providers.synthflow.handles import DEFAULT_MAX_TURNS
from agentsim.providers.synthflow.requests import SimulationSpec

CASE_SECONDS = 180.0
"""A single case: a short phone conversation plus analysis, ~3 minutes (our estimate)."""
SECONDS_PER_TURN = 10.0
"""A suite: ~10 s per turn, cases assumed to run side by side (our estimate)."""


def expected_seconds(spec: SimulationSpec | None) -> float:
    if spec is not None and spec.kind == "suite":
        return (spec.max_turns or DEFAULT_MAX_TURNS) * SECONDS_PER_TURN
    return CASE_SECONDS
