"""OmniDimension (backend.omnidim.io): raw client, neutral adapter, request and response models.

Names are imported on first use (`agentsim.lazy`): the request envelope needs only `models`.
"""

from typing import TYPE_CHECKING

from agentsim.lazy import exports

if TYPE_CHECKING:
    from agentsim.providers.omnidimension.adapter import OmniDimensionProvider
    from agentsim.providers.omnidimension.client import (
        DEFAULT_BASE_URL,
        OmniDimensionClient,
        omnidimension_message,
    )
    from agentsim.providers.omnidimension.models import (
        RunOptions,
        Scenario,
        SimulationSpec,
        SimulationUpdate,
        Voice,
    )
    from agentsim.providers.omnidimension.responses import (
        Analytics,
        BotRef,
        CallRecording,
        CallReport,
        DeletedSimulation,
        DisconnectResults,
        EnhancedPrompt,
        PromptSection,
        ScenarioRecord,
        Simulation,
        SimulationAnswer,
        SimulationPage,
        StartedSimulation,
        StoppedSimulation,
    )

__all__ = [
    "DEFAULT_BASE_URL",
    "Analytics",
    "BotRef",
    "CallRecording",
    "CallReport",
    "DeletedSimulation",
    "DisconnectResults",
    "EnhancedPrompt",
    "OmniDimensionClient",
    "OmniDimensionProvider",
    "PromptSection",
    "RunOptions",
    "Scenario",
    "ScenarioRecord",
    "Simulation",
    "SimulationAnswer",
    "SimulationPage",
    "SimulationSpec",
    "SimulationUpdate",
    "StartedSimulation",
    "StoppedSimulation",
    "Voice",
    "omnidimension_message",
]

__getattr__ = exports(
    __name__,
    {
        "adapter": ("OmniDimensionProvider",),
        "client": ("DEFAULT_BASE_URL", "OmniDimensionClient", "omnidimension_message"),
        "models": ("RunOptions", "Scenario", "SimulationSpec", "SimulationUpdate", "Voice"),
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
