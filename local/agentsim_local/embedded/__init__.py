"""Embedded AWS: agentsim's real SAM template deployed into moto and run in this process.

from agentsim_local.embedded import EmbeddedStack

with EmbeddedStack() as stack:
    run_id = stack.submit({"provider": "bluejay", "simulation_id": "..."})
    record = stack.wait(run_id)

Module map: `aws` (moto server + environment), `patches` (what moto needs changed),
`lambda_runtime` (handlers in-process), `template` (SAM -> CloudFormation for moto),
`cfn_models` (resource types moto lacks), `deploy`, `api_events` (API Gateway proxy events),
`stack` (`EmbeddedStack`).

Where moto 5.2.5 falls short, the tooling works around it; the template is deployed as written:
- Lambda runs in Docker in moto: handlers run in this process instead (`lambda_runtime`), one
  invocation at a time (os.environ is process-wide), errors as Lambda error payloads.
- Step Functions executes only with `execute_state_machine`, and CloudFormation puts the state
  machine in the non-executing backend; DefinitionSubstitutions are ignored by moto (`patches`,
  `template`).
- No CloudFormation model for Secrets Manager secrets or Scheduler schedules (`cfn_models`);
  function Layers/Architectures/TracingConfig/Tags, layer names, and `Ref` of layers and event
  buses are lost or wrong (`patches`).
- API Gateway methods cannot be built from the OpenAPI body: Deployment/Stage dropped, the
  RestApi kept empty, routes served as proxy events to the API function (`template`,
  `api_events`). Alarms and other types moto lacks are dropped when nothing references them.
- EventBridge cannot deliver to Lambda: matching rules' Lambda targets are invoked on a thread
  (`patches`). Scheduler never fires: `EmbeddedStack.fire_schedule` delivers the schedule's
  target and input itself, placeholders such as `<aws.scheduler.scheduled-time>` filled in.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agentsim_local.embedded.api_events import ApiResponse
    from agentsim_local.embedded.aws import EmbeddedAws
    from agentsim_local.embedded.stack import EmbeddedStack, EmbeddedStackError

__all__ = ["ApiResponse", "EmbeddedAws", "EmbeddedStack", "EmbeddedStackError"]

_HOMES = {
    "ApiResponse": "api_events",
    "EmbeddedAws": "aws",
    "EmbeddedStack": "stack",
    "EmbeddedStackError": "stack",
}


def __getattr__(name: str) -> Any:
    """Import on first use: `api_events` (used by the local API) must not load moto and the SAM
    translator, which `aws` and `stack` do."""
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
