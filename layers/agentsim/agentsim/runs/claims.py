"""Launch claims and launch scopes, stored in the run items table beside each run's cases.

Why: no provider takes an idempotency key, so a launch whose answer was lost can only be
recognised by where and when it was made, and concurrent runs of one agent, suite or simulation
make launches that look alike. Two kinds of item keep every run on its own launch (`start`
applies them):
- a claim, `LAUNCH#<key>` / `CLAIM` (`run_id`, `claimed_at`), names the one run that follows a
  provider launch (`bluejay:run:789`). It is written with `attribute_not_exists(pk) OR
  run_id = :me` before the run follows the launch, whether the launch answered normally or was
  found after a lost answer; a retry of the same run gets it again, any other run is refused.
- a lease, `SCOPE#<scope>` / `LEASE` (`run_id`, `since`), names the one run launching in a
  scope (launches that could be mistaken for one another: one Bluejay simulation, one Synthflow
  suite). It is held from before the paid call until that launch is claimed, or provably never
  started; so while a holder looks for its lost launch, no other run's launch is in flight
  unclaimed, and an unclaimed candidate it finds is its own.
A lease passes on once its holder's launch is recorded, `QUARANTINE` after its holder ended (a
launch the holder may have left behind is by then older than any later run's search window), or
`LEASE_TTL` after the holder last renewed it (a live holder renews it on every attempt). A claim
on a key the provider reuses for every launch (an OmniDimension simulation) passes on once its
run ended. Every write is one conditional PutItem or DeleteItem, a compare-and-set on the item
read before, so a failure never leaves anything half written.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from agentsim.runs.codec import condition_failed, plain_item
from agentsim.runs.errors import LaunchBusy
from agentsim.runs.record import RunRecord, utcnow
from agentsim.runs.table_calls import read_item

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

logger = logging.getLogger(__name__)

CLAIM_SK = "CLAIM"
LEASE_SK = "LEASE"
QUARANTINE = timedelta(minutes=5)
"""Beyond a holder's last paid call (within one Start task, 120 s, of its last renewal) plus the
widest look-back of `launch_candidates` (60 s) plus as much provider clock drift."""
LEASE_TTL = timedelta(minutes=10)
"""Well beyond the longest gap between two attempts of one run (task timeout plus the Start
step's longest retry interval), so a live holder never loses its lease."""
WAIT_SECONDS = 20.0
"""How long `hold` waits for a busy scope before raising LaunchBusy (retried by the workflow)."""


def claim_pk(key: str) -> str:
    return f"LAUNCH#{key}"


def lease_pk(scope: str) -> str:
    return f"SCOPE#{scope}"


@dataclass
class DynamoLaunchClaims:
    """`LaunchClaims` in DynamoDB. `records` reads a run (the run store's `find`), to tell
    whether the run holding a lease or a reused claim has launched or ended."""

    client: DynamoDBClient
    table: str
    records: Callable[[str], RunRecord | None]
    clock: Callable[[], datetime] = utcnow
    sleep: Callable[[float], None] = field(default=time.sleep)
    wait_seconds: float = WAIT_SECONDS
    quarantine: timedelta = QUARANTINE
    lease_ttl: timedelta = LEASE_TTL

    # -- claims ------------------------------------------------------------------------------

    def claim(self, key: str, run_id: str, *, reusable: bool = False) -> bool:
        """Make `run_id` the one run following launch `key`; False when another run is.

        `reusable`: the provider reuses `key` for every launch, so a claim whose run ended is
        taken over (compare-and-set on that run).
        """
        item = {"pk": claim_pk(key), "sk": CLAIM_SK, "run_id": run_id, "claimed_at": self._now()}
        for _ in range(3):
            holder = self._put(item, "attribute_not_exists(pk) OR #owner = :me", {":me": run_id})
            if holder is None:
                return True
            owner = holder.get("run_id")
            if owner is None:
                continue  # deleted since: try again
            if not reusable or not self._ended(owner):
                return False
            if self._put(item, "#owner = :old", {":old": owner}) is None:
                logger.info("launch claim passed on", extra={"key": key, "from": owner})
                return True
        return False

    def unclaim(self, key: str, run_id: str) -> None:
        """Drop `run_id`'s claim on `key` (a claim taken ahead for a launch refused cleanly)."""
        self._delete(claim_pk(key), CLAIM_SK, run_id)

    def owner(self, key: str) -> str | None:
        item = read_item(self.client, self.table, {"pk": claim_pk(key), "sk": CLAIM_SK})
        owner = plain_item(item).get("run_id") if item else None
        return str(owner) if owner is not None else None

    # -- leases ------------------------------------------------------------------------------

    def hold(self, scope: str, run_id: str) -> None:
        """Hold `scope` for `run_id` (renewed if it already does), waiting up to `wait_seconds`
        for another holder to settle; LaunchBusy when it does not."""
        deadline = time.monotonic() + self.wait_seconds
        pause = 0.05
        lease: dict[str, Any] | None = None
        while True:
            item = {"pk": lease_pk(scope), "sk": LEASE_SK, "run_id": run_id, "since": self._now()}
            holder = lease.get("run_id") if lease else None
            since = lease.get("since") if lease else None
            if lease is None or holder == run_id:
                blocker = self._put(
                    item, "attribute_not_exists(pk) OR #owner = :me", {":me": run_id}
                )
            elif isinstance(holder, str) and isinstance(since, str) and self._stale(holder, since):
                cas = "#owner = :old AND #since = :since"
                blocker = self._put(item, cas, {":old": holder, ":since": since})
                if blocker is None:
                    logger.warning(
                        "launch scope taken over", extra={"scope": scope, "from": holder}
                    )
            else:
                if time.monotonic() >= deadline:
                    raise LaunchBusy(scope, str(holder))
                self.sleep(random.uniform(pause / 2, pause))  # noqa: S311 - jitter, not crypto
                pause = min(0.5, pause * 2)
                lease = self._lease(scope)  # a read: cheaper than a refused write
                continue
            if blocker is None:
                return
            lease = blocker or self._lease(scope)

    def _lease(self, scope: str) -> dict[str, Any] | None:
        item = read_item(self.client, self.table, {"pk": lease_pk(scope), "sk": LEASE_SK})
        return plain_item(item) if item else None

    def release(self, scope: str, run_id: str) -> None:
        """Let `scope` go, if `run_id` still holds it."""
        self._delete(lease_pk(scope), LEASE_SK, run_id)

    def _stale(self, holder: str, since: str) -> bool:
        record = self.records(holder)
        if record is None or record.handle is not None:
            return True
        age = self.clock() - datetime.fromisoformat(since)
        return age >= (self.quarantine if record.terminal else self.lease_ttl)

    # -- storage -----------------------------------------------------------------------------

    def _ended(self, run_id: str) -> bool:
        record = self.records(run_id)
        return record is None or record.terminal

    def _now(self) -> str:
        return self.clock().isoformat()

    def _put(
        self, item: dict[str, str], condition: str, values: dict[str, str]
    ) -> dict[str, Any] | None:
        """Write `item` if `condition` holds: None when written, else the item in the way."""
        names = {"#owner": "run_id"}
        if "#since" in condition:
            names["#since"] = "since"
        try:
            self.client.put_item(
                TableName=self.table,
                Item={name: {"S": value} for name, value in item.items()},
                ConditionExpression=condition,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues={name: {"S": v} for name, v in values.items()},
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            if not condition_failed(exc):
                raise
            old: Any = exc.response.get("Item")
            return plain_item(old) if isinstance(old, dict) else {}
        return None

    def _delete(self, pk: str, sk: str, run_id: str) -> None:
        try:
            self.client.delete_item(
                TableName=self.table,
                Key={"pk": {"S": pk}, "sk": {"S": sk}},
                ConditionExpression="#owner = :me",
                ExpressionAttributeNames={"#owner": "run_id"},
                ExpressionAttributeValues={":me": {"S": run_id}},
            )
        except ClientError as exc:
            if not condition_failed(exc):
                raise
