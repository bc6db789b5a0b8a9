"""The local AWS: agentsim's real SAM template deployed into a ministack server on this machine.

from agentsim_local.embedded import EmbeddedStack

with EmbeddedStack() as stack:
    run_id = stack.submit({"provider": "bluejay", "simulation_id": "..."})
    record = stack.wait(run_id)

Module map: `server` (the ministack process: start, health, stop), `package` (`sam build` +
`sam package`: artifacts into its S3, a packaged copy of the template), `deploy` (CreateStack,
the SAM transform applied by its CloudFormation), `stack` (`EmbeddedStack`: triggers and
reads), `rest_api` (HTTP to its API Gateway stage, signed webhooks), `schedules` (firing a
schedule now), `executions` (its Step Functions executions), `lambda_logs` (the functions' logs
into the log file), `workarounds` (the ministack differences from AWS the tooling makes up for),
`cfn_yaml` (CloudFormation short tags).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agentsim_local.embedded.rest_api import ApiResponse, EmbeddedStackError
    from agentsim_local.embedded.server import MinistackServer
    from agentsim_local.embedded.stack import EmbeddedStack

__all__ = ["ApiResponse", "EmbeddedStack", "EmbeddedStackError", "MinistackServer"]

_HOMES = {
    "ApiResponse": "rest_api",
    "EmbeddedStack": "stack",
    "EmbeddedStackError": "rest_api",
    "MinistackServer": "server",
}


def __getattr__(name: str) -> Any:
    """Import on first use: bad CLI input is reported before boto3 loads."""
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
