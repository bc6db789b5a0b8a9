"""Metric names and the few helpers handlers use to emit them (Powertools Metrics, EMF).

Namespace and service come from POWERTOOLS_METRICS_NAMESPACE / POWERTOOLS_SERVICE_NAME.
Per-value dimensions (status, error class, trigger) go through `single_metric`, so they do
not leak onto the other metrics of the same invocation.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from aws_lambda_powertools import Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit, single_metric

from agentsim.providers.errors import ProviderError
from agentsim.runs.record import RunStatus

RUNS_STARTED = "RunsStarted"
RUNS_FINISHED = "RunsFinished"
PROVIDER_ERRORS = "ProviderErrors"
POLLS = "Polls"
INVALID_REQUESTS = "InvalidRequests"
TRACED_LIBRARIES = ("botocore", "httpx")
"""What X-Ray traces: AWS calls and provider calls, the only libraries that reach the network."""


def trace_clients() -> None:
    """Patch botocore and httpx for X-Ray (when tracing is on), before the first client exists.

    Handlers build `Tracer(auto_patch=False)`: Powertools' default patches every library the
    X-Ray SDK knows, importing each one that is installed, at import time. The httpx patch swaps
    `httpx.Client` for an instrumented subclass, so it must precede the first provider client;
    patching twice is a no-op (aws_xray_sdk 2.15, `core/patcher.py`).
    """
    Tracer(auto_patch=False).patch(TRACED_LIBRARIES)


def count(metrics: Metrics, name: str, *, dimension: tuple[str, str] | None = None) -> None:
    """Add 1 to `name`, with one extra dimension when given."""
    if dimension is None:
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)
        return
    key, value = dimension
    with single_metric(
        name=name,
        unit=MetricUnit.Count,
        value=1,
        namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "agentsim"),
        default_dimensions=metrics.default_dimensions,
    ) as metric:
        metric.add_dimension(name=key, value=value)


def run_finished(metrics: Metrics, status: RunStatus) -> None:
    """Count a run that ended, by its final status."""
    count(metrics, RUNS_FINISHED, dimension=("status", status.value))


@contextmanager
def provider_errors(metrics: Metrics) -> Iterator[None]:
    """Count a provider error by class, then let it propagate (Step Functions matches on it)."""
    try:
        yield
    except ProviderError as exc:
        count(metrics, PROVIDER_ERRORS, dimension=("error", type(exc).__name__))
        raise
