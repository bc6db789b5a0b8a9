"""How long an OmniDimension run of a request takes, from its own fields: the estimate that
paces polling before the run reports progress."""

from __future__ import annotations

import math

from agentsim.providers.omnidimension.requests import (
    DEFAULT_CALL_MINUTES,
    DEFAULT_CALLS_PER_SCENARIO,
    DEFAULT_CONCURRENT_CALLS,
    RunOptions,
    SimulationSpec,
)


def expected_seconds(spec: SimulationSpec | None, options: RunOptions | None) -> float:
    """ceil(calls_per_scenario * scenarios / concurrency) * max_minutes * 60."""
    calls = DEFAULT_CALLS_PER_SCENARIO
    concurrency = DEFAULT_CONCURRENT_CALLS
    minutes = DEFAULT_CALL_MINUTES
    scenarios = 1
    if spec is not None:
        calls = spec.number_of_call_to_make or calls
        concurrency = spec.concurrent_call_count or concurrency
        minutes = spec.max_call_duration_in_minutes or minutes
        scenarios = len(spec.scenarios)
    if options is not None and options.scenarios:
        scenarios = len(options.scenarios)
    return float(math.ceil(calls * scenarios / concurrency) * minutes * 60)
