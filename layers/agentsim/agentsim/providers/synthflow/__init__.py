"""Synthflow: start simulation cases or suites, poll them, collect per-case verdicts.

Synthflow publishes no Python SDK; `SynthflowClient` follows its v2 API reference
(https://docs.synthflow.ai/api-reference/platform-api/simulations/) and `SynthflowProvider`
adapts it to the neutral `SimulationProvider` contract. Names are imported on first use
(`agentsim.lazy`): the request envelope needs only `requests`.
"""

from agentsim.lazy import exports

__getattr__, __all__ = exports(
    __name__,
    {
        "adapter": ("SynthflowProvider",),
        "client": ("DEFAULT_BASE_URL", "REGIONAL_BASE_URLS", "SynthflowClient"),
        "handles": (
            "SynthflowCase",
            "SynthflowSession",
            "SynthflowSimulation",
            "SynthflowSuite",
            "session_id_for",
        ),
        "requests": ("RunOptions", "SimulationSpec"),
        "responses": (
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
    },
)
