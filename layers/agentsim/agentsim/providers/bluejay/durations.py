"""How long a Bluejay run of a request takes, from its own fields: the estimate that paces
polling before the run reports progress."""

from __future__ import annotations

import math

from agentsim.providers.bluejay.requests import RunOptions, SimulationSpec

DEFAULT_DIGITAL_HUMANS = 3
DEFAULT_CALL_MINUTES = 10
OVERHEAD_SECONDS = 30.0
"""Queueing and evaluation around the calls themselves."""


def expected_seconds(spec: SimulationSpec | None, options: RunOptions | None) -> float:
    """Calls per batch times batches: max_call_duration * ceil(calls / max_concurrent)."""
    call_seconds = float(DEFAULT_CALL_MINUTES * 60)
    if spec is not None and spec.max_call_duration is not None:
        unit = 1 if spec.max_call_duration_units == "seconds" else 60
        call_seconds = float(spec.max_call_duration * unit)
    humans = DEFAULT_DIGITAL_HUMANS
    if options is not None and options.digital_human_ids:
        humans = len(options.digital_human_ids)
    calls = humans * _runs_per_human(spec, options)
    concurrency = calls
    if spec is not None and spec.sequential_calling:
        concurrency = 1
    elif spec is not None and spec.max_concurrent:
        concurrency = spec.max_concurrent
    return call_seconds * math.ceil(calls / concurrency) + OVERHEAD_SECONDS


def _runs_per_human(spec: SimulationSpec | None, options: RunOptions | None) -> int:
    if options is not None and options.runs_per_digital_human:
        return options.runs_per_digital_human
    if spec is not None and spec.runs_per_digital_human:
        return spec.runs_per_digital_human
    if spec is not None and spec.digital_humans_settings and spec.digital_humans_settings.num_runs:
        return spec.digital_humans_settings.num_runs
    return 1
