"""Register a run as the state machine's Register task does, for code that drives the workflow's
use cases in this process (the warm-poll benchmark, the workflow tests): no Step Functions
execution exists, so its ARN is one a state machine named `machine` would give it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from agentsim.runs.register import Registered, register
from agentsim.runs.services import Services

EXECUTION_ARN = "arn:aws:states:us-east-1:123456789012:execution:{machine}:{run_id}"
"""An execution's ARN, `arn:aws:states:<region>:<account>:execution:<machine>:<name>` (see
https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsstepfunctions.html)."""


def register_now(
    services: Services, run_id: str, *, machine: str, execution_input: Mapping[str, Any]
) -> Registered:
    """Register `run_id` as started now by an execution of `machine` with this input."""
    return register(
        services,
        run_id,
        execution_arn=EXECUTION_ARN.format(machine=machine, run_id=run_id),
        started_at=datetime.now(UTC),
        execution_input=execution_input,
    )
