"""Synthflow: start simulation cases or suites, poll them, collect per-case verdicts.

Synthflow publishes no Python SDK; `SynthflowClient` follows the v2 API reference
(see /work/shared/providers.md section 3) and `SynthflowProvider` adapts it to the neutral
`SimulationProvider` contract.
"""

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
