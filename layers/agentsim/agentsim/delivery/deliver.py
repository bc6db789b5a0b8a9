"""Deliver what a run's (or a suite's) start or end means to its targets: one attempt per due
target per call.

The delivery workflow calls this until nothing is pending, waiting (in a Wait state, no Lambda
sleeping) the seconds it answers. The run (or suite) record is the state: each attempt is
appended to its `deliveries` before the next decision, so a retried invocation never resends
what was delivered or given up. A target is given up at once when its URL is refused (the
address check is made again at every attempt), when it answers a 4xx that waiting will not
change, or when it is the start's pending status (best effort); else after an hour of attempts
(`backoff`).
Delivery is at least once: a receiver tells repeats by `X-Agentsim-Delivery`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from agentsim.delivery.attempts import DeliveryAttempt, Moment, Outcome, Target, attempts_of
from agentsim.delivery.backoff import next_attempt
from agentsim.delivery.outbound import LONGEST_POST_SECONDS, Outbound, Sent
from agentsim.delivery.sending import Send, Senders
from agentsim.runs.events import finished_detail
from agentsim.runs.record import RunRecord
from agentsim.suites.record import SuiteRecord

DUE_SLACK_SECONDS = 1.0
"""A target due within this much is tried now (the Wait state's seconds are whole)."""
ATTEMPT_SECONDS = LONGEST_POST_SECONDS + 5.0
"""The invocation time one more target needs: its POST at worst, its DNS lookup and its write.
With less left, the rest wait for the next call (one second later) instead of a timeout that
would cut an attempt short before it is stored."""


class DeliveryLog(Protocol):
    def get(self, run_id: str) -> RunRecord: ...

    def add_delivery(self, run_id: str, attempt: DeliveryAttempt) -> None:
        """Append one attempt to the run's `deliveries`."""


class SuiteDeliveryLog(Protocol):
    def get(self, suite_id: str) -> SuiteRecord: ...

    def add_delivery(self, suite_id: str, attempt: DeliveryAttempt) -> None:
        """Append one attempt to the suite's `deliveries`."""


@dataclass(frozen=True)
class Pending:
    """Whether anything is left to try, and in how many seconds."""

    pending: bool
    wait_seconds: int = 0

    def payload(self) -> dict[str, Any]:
        return {"pending": self.pending, "wait_seconds": self.wait_seconds}


@dataclass
class Deliverer:
    log: DeliveryLog
    outbound: Outbound
    senders: Callable[[], Senders]
    """The signing secret, GitHub token and Slack URL, read when a delivery needs them."""
    clock: Callable[[], datetime]
    report_url: Callable[[str], str | None] = lambda run_id: None
    """The run's report share link, for a start (the end's detail carries its own)."""


def deliver(
    deliverer: Deliverer,
    event_name: str,
    moment: Moment,
    run_id: str,
    detail: Mapping[str, Any] | None = None,
    time_left: Callable[[], float] = lambda: math.inf,
) -> Pending:
    """Try every due target of the run's `moment` (told by `detail`, else by its record), as
    long as `time_left` (the invocation's seconds) leaves room for one more attempt."""
    record = deliverer.log.get(run_id)
    told = detail if detail is not None else finished_detail(record, deliverer.report_url(run_id))
    sends = deliverer.senders().planned(event_name, moment, record.request or {}, told)
    add = functools.partial(deliverer.log.add_delivery, run_id)
    return _deliver_all(deliverer, sends, record.deliveries, add, moment, time_left)


def deliver_suite(
    deliverer: Deliverer,
    suites: SuiteDeliveryLog,
    event_name: str,
    moment: Moment,
    detail: Mapping[str, Any],
    time_left: Callable[[], float] = lambda: math.inf,
) -> Pending:
    """As `deliver`, for the suite `detail` tells of (its `SuiteView.event_detail`), to the
    suite's own targets, with the attempts stored on the suite."""
    suite_id = str(detail["suite_id"])
    record = suites.get(suite_id)
    sends = deliverer.senders().planned(event_name, moment, record.request, detail)
    add = functools.partial(suites.add_delivery, suite_id)
    return _deliver_all(deliverer, sends, record.deliveries, add, moment, time_left)


def _deliver_all(
    deliverer: Deliverer,
    sends: Mapping[Target, Send],
    deliveries: list[DeliveryAttempt],
    add: Callable[[DeliveryAttempt], None],
    moment: Moment,
    time_left: Callable[[], float],
) -> Pending:
    waits: list[float] = []
    for target, send in sends.items():
        if time_left() < ATTEMPT_SECONDS:
            waits.append(DUE_SLACK_SECONDS)
            break
        past = attempts_of(deliveries, target, moment)
        wait = _deliver_one(
            deliverer, past, add, moment, target, functools.partial(send, deliverer.outbound)
        )
        if wait is not None:
            waits.append(wait)
    if not waits:
        return Pending(False)
    return Pending(True, max(1, math.ceil(min(waits))))


def _deliver_one(
    deliverer: Deliverer,
    past: list[DeliveryAttempt],
    add: Callable[[DeliveryAttempt], None],
    moment: Moment,
    target: Target,
    send: Callable[[], Sent],
) -> float | None:
    """Try `target` if it is due: the seconds until it is due again, None when it is done."""
    now = deliverer.clock()
    if past and past[-1].outcome is not Outcome.RETRYING:
        return None
    if past:
        due = next_attempt(past[0].at, past[-1].at, len(past))
        if due is not None and (due - now).total_seconds() > DUE_SLACK_SECONDS:
            return (due - now).total_seconds()
    sent = send()
    again = None
    if not sent.ok and sent.retryable and moment is Moment.FINISHED:
        again = next_attempt(past[0].at if past else now, now, len(past) + 1)
    outcome = Outcome.DELIVERED if sent.ok else Outcome.RETRYING if again else Outcome.GAVE_UP
    attempt = DeliveryAttempt(
        target=target,
        moment=moment,
        attempt=len(past) + 1,
        at=now,
        outcome=outcome,
        status_code=sent.status_code,
        error=sent.error,
    )
    add(attempt)
    return None if again is None else (again - now).total_seconds()
