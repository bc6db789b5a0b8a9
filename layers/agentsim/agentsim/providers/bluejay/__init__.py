"""Bluejay (api.getbluejay.ai): raw client, neutral adapter, request and response models.

Names are imported on first use (`agentsim.lazy`): the request envelope needs only `requests`.
"""

from agentsim.lazy import exports

__getattr__, __all__ = exports(
    __name__,
    {
        "adapter": ("BluejayProvider",),
        "client": ("DEFAULT_BASE_URL", "BluejayClient"),
        "handles": ("BluejayLaunched", "BluejayPrepared"),
        "requests": (
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
