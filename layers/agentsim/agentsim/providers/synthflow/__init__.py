"""Synthflow: start simulation cases or suites, poll them, collect per-case verdicts.

Synthflow publishes no Python SDK; `SynthflowClient` follows the v2 API reference
(see /work/shared/providers.md section 3) and `SynthflowProvider` adapts it to the neutral
`SimulationProvider` contract. Names are imported on first use (`agentsim.lazy`): the request
envelope needs only `specs`.
"""

from typing import TYPE_CHECKING

from agentsim.lazy import exports

if TYPE_CHECKING:
    from agentsim.providers.synthflow.adapter import SynthflowProvider
    from agentsim.providers.synthflow.client import (
        DEFAULT_BASE_URL,
        REGIONAL_BASE_URLS,
        SynthflowClient,
    )
    from agentsim.providers.synthflow.models import (
        ErrorInfo,
        Evaluation,
        Page,
        Pagination,
        SimulationCase,
        SimulationReadOut,
        SimulationSessionReadOut,
        SimulationSuite,
        SuccessCriteriaAnalysis,
        SuiteExecution,
        TimelineEntry,
    )
    from agentsim.providers.synthflow.specs import RunOptions, SimulationSpec, session_id_for

__all__ = [
    "DEFAULT_BASE_URL",
    "REGIONAL_BASE_URLS",
    "ErrorInfo",
    "Evaluation",
    "Page",
    "Pagination",
    "RunOptions",
    "SimulationCase",
    "SimulationReadOut",
    "SimulationSessionReadOut",
    "SimulationSpec",
    "SimulationSuite",
    "SuccessCriteriaAnalysis",
    "SuiteExecution",
    "SynthflowClient",
    "SynthflowProvider",
    "TimelineEntry",
    "session_id_for",
]

__getattr__ = exports(
    __name__,
    {
        "adapter": ("SynthflowProvider",),
        "client": ("DEFAULT_BASE_URL", "REGIONAL_BASE_URLS", "SynthflowClient"),
        "models": (
            "ErrorInfo",
            "Evaluation",
            "Page",
            "Pagination",
            "SimulationCase",
            "SimulationReadOut",
            "SimulationSessionReadOut",
            "SimulationSuite",
            "SuccessCriteriaAnalysis",
            "SuiteExecution",
            "TimelineEntry",
        ),
        "specs": ("RunOptions", "SimulationSpec", "session_id_for"),
    },
)
