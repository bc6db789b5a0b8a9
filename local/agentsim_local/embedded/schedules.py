"""Firing a Scheduler schedule now: a one-time `at()` copy of it, due now, deleted once fired.

A firing carries its context attributes filled in as AWS fills them (`workarounds`), and may
carry another request in place of the schedule's own.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from agentsim_local.embedded.workarounds import scheduler_input

COPIED_TARGET_FIELDS = frozenset({"Arn", "RoleArn", "Input", "RetryPolicy", "DeadLetterConfig"})


def fire_copy(
    scheduler: Any,
    schedule_name: str,
    *,
    firing_name: str,
    scheduled_time: datetime,
    request: Mapping[str, Any] | None = None,
) -> None:
    """Create `firing_name`, a copy of the schedule's target due now, for `scheduled_time`."""
    schedule = scheduler.get_schedule(Name=schedule_name)
    target = {k: v for k, v in schedule["Target"].items() if k in COPIED_TARGET_FIELDS}
    text = scheduler_input(str(target.get("Input", "{}")), schedule["Arn"], scheduled_time)
    if request is not None:
        payload = json.loads(text)
        payload["request"] = dict(request)
        text = json.dumps(payload)
    target["Input"] = text
    now = datetime.now(UTC)
    scheduler.create_schedule(
        Name=firing_name,
        ScheduleExpression=f"at({now:%Y-%m-%dT%H:%M:%S})",
        ScheduleExpressionTimezone="UTC",
        FlexibleTimeWindow={"Mode": "OFF"},
        Target=target,
        ActionAfterCompletion="DELETE",
        State="ENABLED",
    )
