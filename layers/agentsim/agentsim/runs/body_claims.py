"""Which run a webhook body started, in the idempotency table, for the idempotency window.

One item per body digest, `id` = `body:<sha256 of the canonical body>`, naming its run and when
the claim expires (`expiration`, epoch seconds: the table's TTL attribute, so DynamoDB deletes
it later). Written with one conditional PutItem: no claim yet, or one that expired. A body sent
again within the window (a resend, signed anew) thus finds its first run at once, even while
that run is still being stored: the claim names the run before anything else is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from agentsim.runs.codec import condition_failed

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient


@dataclass
class DynamoBodyClaims:
    """`BodyClaims` in the idempotency table (key `id`, TTL attribute `expiration`)."""

    client: DynamoDBClient
    table: str
    window: timedelta

    def claim(self, digest: str, run_id: str, *, at: datetime) -> str:
        try:
            self.client.put_item(
                TableName=self.table,
                Item={
                    "id": {"S": f"body:{digest}"},
                    "run_id": {"S": run_id},
                    "expiration": {"N": _epoch(at + self.window)},
                },
                ConditionExpression="attribute_not_exists(id) OR expiration <= :now",
                ExpressionAttributeValues={":now": {"N": _epoch(at)}},
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            if not condition_failed(exc):
                raise
            held: Any = exc.response.get("Item") or {}
            holder = held.get("run_id", {}).get("S")
            return str(holder) if holder else run_id
        return run_id


def _epoch(moment: datetime) -> str:
    return str(int(moment.timestamp()))
