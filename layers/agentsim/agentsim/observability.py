"""Logging, tracing and metrics of every handler, set up in one place (Powertools).

- `observed` wraps a Lambda handler: Powertools Logger injects the Lambda context (and the
  correlation id, when the event carries one) and Tracer opens a segment per invocation.
  `Tracer(auto_patch=False)`: Powertools' default patches every library the X-Ray SDK knows,
  importing each one that is installed, at import time; `trace_clients` patches only botocore
  and httpx, the two that reach the network, once the first invocation builds its clients.
- Metrics are EMF documents printed as each one is counted (`single_metric`, namespace and
  service from POWERTOOLS_METRICS_NAMESPACE / POWERTOOLS_SERVICE_NAME), so no handler keeps a
  metric set to flush, and none warns "No application metrics to publish" when an invocation
  counted nothing. A per-value dimension (status, error class, trigger) stays on its metric.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.metrics import MetricUnit, single_metric

from agentsim.providers.errors import ProviderError

RUNS_STARTED = "RunsStarted"
RUNS_FINISHED = "RunsFinished"
PROVIDER_ERRORS = "ProviderErrors"
POLLS = "Polls"
INVALID_REQUESTS = "InvalidRequests"
RUNS_JUDGED = "RunsJudged"
REGRESSIONS = "Regressions"
TRACED_LIBRARIES = ("botocore", "httpx")
"""What X-Ray traces: AWS calls and provider calls, the only libraries that reach the network."""

LambdaHandler = Callable[[Any, Any], Any]


def logger() -> Logger:
    """The functions' logger: every Powertools Logger of one service shares one stdlib logger,
    its handler and its correlation id."""
    return Logger()


def tracer() -> Tracer:
    return Tracer(auto_patch=False)


def observed(handler: LambdaHandler, *, correlation_id_path: str | None = None) -> LambdaHandler:
    """`handler` with its invocation logged and traced (made when the handler module loads)."""
    traced = tracer().capture_lambda_handler(handler)
    injected: LambdaHandler = logger().inject_lambda_context(
        traced, correlation_id_path=correlation_id_path
    )
    return injected


def trace_clients() -> None:
    """Patch botocore and httpx for X-Ray (when tracing is on), before the first client exists.

    The httpx patch swaps `httpx.Client` for an instrumented subclass, so it must precede the
    first provider client; patching twice is a no-op (aws_xray_sdk 2.15, `core/patcher.py`).
    """
    tracer().patch(TRACED_LIBRARIES)


def count(name: str, *, dimension: tuple[str, str] | None = None) -> None:
    """Add 1 to `name`, with one extra dimension when given."""
    namespace = os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "agentsim")
    with single_metric(name=name, unit=MetricUnit.Count, value=1, namespace=namespace) as metric:
        if dimension is not None:
            metric.add_dimension(name=dimension[0], value=dimension[1])


def run_finished(status: str) -> None:
    """Count a run that ended, by its final status."""
    count(RUNS_FINISHED, dimension=("status", status))


def run_judged(verdict: str) -> None:
    """Count a completed run by its verdict, and a regression once more on its own metric (the
    one an alarm or a dashboard watches)."""
    count(RUNS_JUDGED, dimension=("verdict", verdict))
    if verdict == "REGRESSED":
        count(REGRESSIONS)


@contextmanager
def provider_errors() -> Iterator[None]:
    """Count a provider error by class, then let it propagate (Step Functions matches on it)."""
    try:
        yield
    except ProviderError as exc:
        provider_fault(exc)
        raise


def provider_fault(exc: BaseException) -> None:
    """Count `exc` by class if a provider raised it (one a use case handled itself)."""
    if isinstance(exc, ProviderError):
        count(PROVIDER_ERRORS, dimension=("error", type(exc).__name__))
