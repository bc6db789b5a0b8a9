"""Where ministack differs from AWS in a way that matters to agentsim, and what the local
tooling does about it (each is listed in the README, and named by a test in
tests/e2e/test_e2e_ministack_gaps.py, which fails once ministack closes the gap).

- EventBridge Scheduler delivers a target's `Input` as written: the context attributes AWS
  fills in (`<aws.scheduler.scheduled-time>`, ...) stay literal, so every firing of the nightly
  schedule would carry the same text and map to one run id. Firing it locally, the tooling
  fills them in as AWS would (`scheduler_input`) in a one-time copy of the schedule.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

SCHEDULER_CONTEXT = (
    "<aws.scheduler.schedule-arn>",
    "<aws.scheduler.scheduled-time>",
    "<aws.scheduler.execution-id>",
    "<aws.scheduler.attempt-number>",
)
"""https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html"""


def scheduler_input(text: str, schedule_arn: str, scheduled_time: datetime) -> str:
    """A schedule target's `Input` with the context attributes AWS substitutes when it fires."""
    values = dict(
        zip(
            SCHEDULER_CONTEXT,
            (
                schedule_arn,
                scheduled_time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                f"local-{time.time_ns()}",
                "1",
            ),
            strict=True,
        )
    )
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text
