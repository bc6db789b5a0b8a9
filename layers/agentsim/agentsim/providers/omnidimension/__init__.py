"""OmniDimension (backend.omnidim.io): raw client, neutral adapter, request and response models.

Names are imported on first use (`agentsim.lazy`): the request envelope needs only `requests`.
"""

from agentsim.lazy import exports

__getattr__, __all__ = exports(
    __name__,
    {
        "adapter": ("OmniDimensionProvider",),
        "client": ("DEFAULT_BASE_URL", "OmniDimensionClient", "omnidimension_message"),
        "handles": ("OmniDimensionLaunched", "OmniDimensionPrepared"),
        "requests": ("RunOptions", "Scenario", "SimulationSpec", "SimulationUpdate", "Voice"),
        "responses": (
            "Analytics",
            "BotRef",
            "CallRecording",
            "CallReport",
            "DeletedSimulation",
            "DisconnectResults",
            "EnhancedPrompt",
            "PromptSection",
            "ScenarioRecord",
            "Simulation",
            "SimulationAnswer",
            "SimulationPage",
            "StartedSimulation",
            "StoppedSimulation",
        ),
    },
)
