"""Provider emulator: OmniDimension, Bluejay and Synthflow on one local HTTP port, and beside
them the parts of GitHub's REST API the CI integration uses (issue comments, commit statuses).

from agentsim_local.emulator import EmulatorServer, EmulatorSettings

with EmulatorServer(settings=EmulatorSettings(call_seconds=0.5)) as server:
    server.base_urls["bluejay"]  # http://127.0.0.1:<port>
"""

from agentsim_local.emulator.faults import FaultSpec
from agentsim_local.emulator.server import EmulatorServer, serve
from agentsim_local.emulator.settings import PROVIDERS, EmulatorSettings, Provider

__all__ = ["PROVIDERS", "EmulatorServer", "EmulatorSettings", "FaultSpec", "Provider", "serve"]
