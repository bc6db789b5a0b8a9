"""Series: the runs a run is compared with. Every run belongs to one, named by its request's
`series` or, without one, after its provider and target (the simulation, case or suite id, or the
agent and name of a simulation it creates), so two nightly runs of one simulation compare with
no configuration. The baseline is the series' previous COMPLETED run unless the request pins one.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

MAX_SERIES = 200

SeriesName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_SERIES)
]

TARGET_IDS = ("simulation_case_id", "suite_id")
"""Fields of a start request that name what runs (Synthflow's case or suite)."""
CREATED_BY = ("agent_id", "target_agent_id", "name")
"""Fields of a create request that identify the simulation it creates."""


class BaselinePin(BaseModel):
    """A run to compare with instead of the series' previous completed one."""

    model_config = ConfigDict(extra="forbid")

    run_id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]


def default_series(provider: str, simulation_id: str | None, spec: BaseModel | None) -> str:
    """`<provider>/<target>`: the simulation id, else the case or suite, else the creator."""
    fields = spec.model_dump(mode="json", exclude_none=True) if spec is not None else {}
    target = simulation_id or next((str(fields[k]) for k in TARGET_IDS if fields.get(k)), None)
    if target is None:
        target = "/".join(str(fields[k]) for k in CREATED_BY if fields.get(k)) or "default"
    return f"{provider}/{target}"[:MAX_SERIES]


SERIES_FIELD = Field(
    default=None,
    description="The series this run belongs to (compared with its previous completed run); "
    "default: `<provider>/<simulation, case or suite id>`.",
)
BASELINE_FIELD = Field(
    default=None, description="Compare with this run instead of the series' previous one."
)
