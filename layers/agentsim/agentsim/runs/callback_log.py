"""What providers called back about, in the run items table: which results of a run came back
(`RUN#<run_id>` / `CALLBACK#<result_id>`) and which deliveries were handled
(`DELIVERY#<provider>#<id>` / `DELIVERY`), so a delivery sent again changes nothing.

Both are written with `attribute_not_exists(pk)`, so recording twice is harmless; a run's
results are read back by key (one Query on its partition), never by scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from agentsim.runs.codec import condition_failed, to_item
from agentsim.runs.stored import run_pk
from agentsim.runs.table_calls import read_item

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

CALLBACK_PREFIX = "CALLBACK#"
DELIVERY_SK = "DELIVERY"


def delivery_pk(provider: str, delivery: str) -> str:
    return f"DELIVERY#{provider}#{delivery}"


@dataclass
class DynamoCallbackLog:
    """`CallbackLog` in the run items table."""

    client: DynamoDBClient
    table: str

    def record_result(self, run_id: str, result_id: str, at: datetime) -> None:
        """Result `result_id` of the run came back (again: nothing changes)."""
        item = {"pk": run_pk(run_id), "sk": CALLBACK_PREFIX + result_id, "at": at.isoformat()}
        self._put_once(item)

    def results(self, run_id: str) -> set[str]:
        """The ids of the run's results that came back."""
        found: set[str] = set()
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {
                ":pk": {"S": run_pk(run_id)},
                ":prefix": {"S": CALLBACK_PREFIX},
            },
            "ProjectionExpression": "sk",
            "ConsistentRead": True,
        }
        while True:
            answer = self.client.query(**kwargs)
            found.update(item["sk"]["S"].removeprefix(CALLBACK_PREFIX) for item in answer["Items"])
            last = answer.get("LastEvaluatedKey")
            if not last:
                return found
            kwargs["ExclusiveStartKey"] = last

    def seen(self, provider: str, delivery: str) -> bool:
        key = {"pk": delivery_pk(provider, delivery), "sk": DELIVERY_SK}
        return read_item(self.client, self.table, key) is not None

    def mark(self, provider: str, delivery: str, run_id: str | None, at: datetime) -> None:
        """Delivery `delivery` was handled (for `run_id`, if it named one of ours)."""
        item = {"pk": delivery_pk(provider, delivery), "sk": DELIVERY_SK, "at": at.isoformat()}
        if run_id is not None:
            item["run_id"] = run_id
        self._put_once(item)

    def _put_once(self, item: dict[str, str]) -> None:
        try:
            self.client.put_item(
                TableName=self.table,
                Item=to_item(item),
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ClientError as exc:
            if not condition_failed(exc):
                raise
