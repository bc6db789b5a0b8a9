"""Bluejay (api.getbluejay.ai): raw client, neutral adapter, request and response models.

Names are imported on first use (`agentsim.lazy`): the request envelope needs only `models`.
"""

from typing import TYPE_CHECKING

from agentsim.lazy import exports

if TYPE_CHECKING:
    from agentsim.providers.bluejay.adapter import BluejayProvider
    from agentsim.providers.bluejay.client import DEFAULT_BASE_URL, BluejayClient
    from agentsim.providers.bluejay.models import (
        DigitalHumansSettings,
        EndConversations,
        QueueSimulationRun,
        RunOptions,
        SimulationSpec,
        update_body,
    )
    from agentsim.providers.bluejay.responses import (
        CreatedSimulation,
        DeletedSimulation,
        DigitalHuman,
        DigitalHumans,
        EndedConversations,
        Evaluation,
        QueuedRun,
        RunResults,
        RunSummary,
        Simulation,
        SimulationList,
        SimulationResult,
        SimulationRunRecord,
        SimulationRuns,
        SimulationSummary,
        SingleResult,
    )

__all__ = [
    "DEFAULT_BASE_URL",
    "BluejayClient",
    "BluejayProvider",
    "CreatedSimulation",
    "DeletedSimulation",
    "DigitalHuman",
    "DigitalHumans",
    "DigitalHumansSettings",
    "EndConversations",
    "EndedConversations",
    "Evaluation",
    "QueueSimulationRun",
    "QueuedRun",
    "RunOptions",
    "RunResults",
    "RunSummary",
    "Simulation",
    "SimulationList",
    "SimulationResult",
    "SimulationRunRecord",
    "SimulationRuns",
    "SimulationSpec",
    "SimulationSummary",
    "SingleResult",
    "update_body",
]

__getattr__ = exports(
    __name__,
    {
        "adapter": ("BluejayProvider",),
        "client": ("DEFAULT_BASE_URL", "BluejayClient"),
        "models": (
            "DigitalHumansSettings",
            "EndConversations",
            "QueueSimulationRun",
            "RunOptions",
            "SimulationSpec",
            "update_body",
        ),
        "responses": (
            "CreatedSimulation",
            "DeletedSimulation",
            "DigitalHuman",
            "DigitalHumans",
            "EndedConversations",
            "Evaluation",
            "QueuedRun",
            "RunResults",
            "RunSummary",
            "Simulation",
            "SimulationList",
            "SimulationResult",
            "SimulationRunRecord",
            "SimulationRuns",
            "SimulationSummary",
            "SingleResult",
        ),
    },
)
