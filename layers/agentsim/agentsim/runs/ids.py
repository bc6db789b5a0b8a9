"""Run ids. A run id is also the Step Functions execution name, so a deterministic id makes a
repeated trigger harmless: the same id finds the same record and the same execution.

- Webhook with `Idempotency-Key`: uuid5 of the key (one run per key, forever).
- Webhook without one: uuid5 of the canonical body and the signed timestamp, so a retried
  delivery of the same signed request maps to the same run while the same body sent again
  later (a new signature) starts a new run; within the idempotency window the body's claim
  names its first run instead (`webhook.py`).
- Schedule: uuid5 of the schedule name and the scheduled time (one run per firing).
- Event: uuid5 of the EventBridge event id (EventBridge redelivers with the same id).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://agentsim/runs")


def _derived(kind: str, *parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join((kind, *parts))))


def canonical_json(data: Any) -> bytes:
    """Key order and whitespace removed, so equal JSON documents give equal bytes."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def body_digest(data: Any) -> str:
    return hashlib.sha256(canonical_json(data)).hexdigest()


def run_id_for_key(idempotency_key: str) -> str:
    return _derived("idempotency-key", idempotency_key)


def run_id_for_body(data: Any, timestamp: str) -> str:
    return _derived("body", body_digest(data), timestamp)


def run_id_for_schedule(schedule: str, scheduled_time: str) -> str:
    return _derived("schedule", schedule, scheduled_time)


def run_id_for_event(event_id: str) -> str:
    return _derived("event", event_id)


def suite_id_for(kind: str, *parts: str) -> str:
    """A suite's id from what identifies its trigger (`kind`: one of the run id kinds above);
    never equal to a run's id for the same trigger."""
    return _derived(f"suite-{kind}", *parts)


def child_run_id(suite_id: str, index: int) -> str:
    """The run id of a suite's run at `index`: one run per position, however often the suite
    is submitted or its workflow retried."""
    return _derived("suite-child", suite_id, str(index))
