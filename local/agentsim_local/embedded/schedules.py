"""Firing a Scheduler schedule now: a one-time `at()` copy of it, due now, deleted once fired.

A firing carries its context attributes filled in as AWS fills them (`workarounds`), and may
carry another request in place of the schedule's own.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from agentsim.runs import ids
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


class Firings:
    """Firings of the stack's schedules, each a one-time copy of its own; the run id of each."""

    def __init__(self, scheduler: Callable[[], Any]) -> None:
        self._scheduler = scheduler
        self._lock = threading.Lock()
        self._count = 0
        self._last: datetime | None = None

    def fire(
        self,
        schedule_name: str,
        scheduled_time: datetime | None = None,
        request: Mapping[str, Any] | None = None,
    ) -> str:
        """Fire `schedule_name` for `scheduled_time` (default now); its run's id (named after
        the schedule and the scheduled time)."""
        when = (scheduled_time or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
        with self._lock:
            self._count += 1
            firing = f"{schedule_name[:40]}-now-{time.time_ns() % 10**9}-{self._count}"
        fire_copy(
            self._scheduler(),
            schedule_name,
            firing_name=firing,
            scheduled_time=when,
            request=request,
        )
        return ids.run_id_for_schedule(schedule_name, when.strftime("%Y-%m-%dT%H:%M:%SZ"))

    def fire_with(self, schedule_name: str, request: Mapping[str, Any]) -> str:
        """A firing carrying `request` in place of the schedule's own. Each call is a firing of
        its own: scheduled times are whole seconds, so one in the same second as the previous
        is given the next second (one run per firing)."""
        when = datetime.now(UTC).replace(microsecond=0)
        with self._lock:
            if self._last is not None and when <= self._last:
                when = self._last + timedelta(seconds=1)
            self._last = when
        return self.fire(schedule_name, when, request)
