"""Where ministack differs from AWS in a way that matters to agentsim, and what the local
tooling does about it (each is listed in the README, and named by a test in
tests/e2e/test_e2e_local_aws.py, which fails once ministack closes the gap).

- EventBridge Scheduler delivers a target's `Input` as written: the context attributes AWS
  fills in (`<aws.scheduler.scheduled-time>`, ...) stay literal, so every firing of the nightly
  schedule would carry the same text and map to one run id. Firing it locally, the tooling
  fills them in as AWS would (`scheduler_input`) in a one-time copy of the schedule.
- An SQS event source mapping whose invocation is throttled gets its message back only once the
  queue's visibility timeout has passed, one receive spent; AWS retries a throttled batch within
  that time, backing off (https://docs.aws.amazon.com/lambda/latest/operatorguide/sqs-retries.html).
  Past the local concurrency limit a poll of a run would then wait the poll queue's 60 s, and
  five throttles in a row would dead-letter it. The tooling sets the poll queue as AWS behaves
  (`retry_throttled_polls_soon`): a visibility timeout of the Watch function's timeout, and
  more receives before the dead-letter queue.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

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


THROTTLED_RETRY_SECONDS = 10
"""The poll queue's visibility timeout locally: the Watch function's timeout (template.yaml)."""
THROTTLED_RECEIVES = 60
"""Receives of a poll before its dead-letter queue, locally (10 minutes of throttles)."""


def retry_throttled_polls_soon(sqs: Any, queue_url: str) -> None:
    """Let a throttled poll come back after `THROTTLED_RETRY_SECONDS`, as AWS retries it."""
    redrive = json.loads(
        sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["RedrivePolicy"])[
            "Attributes"
        ]["RedrivePolicy"]
    )
    redrive["maxReceiveCount"] = THROTTLED_RECEIVES
    sqs.set_queue_attributes(
        QueueUrl=queue_url,
        Attributes={
            "VisibilityTimeout": str(THROTTLED_RETRY_SECONDS),
            "RedrivePolicy": json.dumps(redrive),
        },
    )
