"""Suites in DynamoDB: one item per suite in the run items table, every write conditional.

Key `pk` = `SUITE#<suite_id>`, `sk` = `SUITE`; `list_pk` (constant "SUITE") and `list_sk`
(`<created_at>#<suite_id>`) are the keys of the table's `suites-by-created` index, which lists
suites newest first (the index is sparse: no other item has `list_pk`). The children's runs are
records of their own in the runs table, so a 500-run suite item holds only their ids.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from agentsim.delivery.attempts import DeliveryAttempt
from agentsim.runs.codec import attribute, condition_failed, plain_item, sortable_time, to_item
from agentsim.runs.errors import RunError
from agentsim.runs.record import utcnow
from agentsim.runs.table_calls import append_to_list, read_item, string_key
from agentsim.runs.tokens import PROCESS_TOKEN_KEY, decode_token, encode_token
from agentsim.suites.record import SuiteRecord, SuiteStatus

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

SUITES_INDEX = "suites-by-created"
LIST_PARTITION = "SUITE"
SORT_KEY = "SUITE"
STORAGE_KEYS = ("pk", "sk", "list_pk", "list_sk")
PAGE_SCOPE = "suites"


class SuiteNotFound(RunError):
    def __init__(self, suite_id: str) -> None:
        self.suite_id = suite_id
        super().__init__(f"no suite {suite_id}")


class SuiteAlreadyFinished(RunError):
    def __init__(self, record: SuiteRecord) -> None:
        self.record = record
        super().__init__(f"suite {record.suite_id} already ended {record.status.value}")


@dataclass(frozen=True)
class SuitePage:
    suites: list[SuiteRecord]
    next_token: str | None


def suite_pk(suite_id: str) -> str:
    return f"SUITE#{suite_id}"


def _key(suite_id: str) -> dict[str, str]:
    return {"pk": suite_pk(suite_id), "sk": SORT_KEY}


@dataclass
class DynamoSuiteStore:
    client: DynamoDBClient
    table: str
    clock: Callable[[], datetime] = utcnow
    token_key: Callable[[], bytes] = field(default=lambda: PROCESS_TOKEN_KEY, repr=False)

    def create_or_get(self, record: SuiteRecord) -> tuple[SuiteRecord, bool]:
        """Store `record` unless its suite exists: (the suite as it stands, whether it is new)."""
        item = to_item(
            {
                **record.model_dump(mode="json", exclude_none=True),
                "pk": suite_pk(record.suite_id),
                "sk": SORT_KEY,
                "list_pk": LIST_PARTITION,
                "list_sk": f"{sortable_time(record.created_at)}#{record.suite_id}",
            }
        )
        try:
            self.client.put_item(
                TableName=self.table, Item=item, ConditionExpression="attribute_not_exists(pk)"
            )
        except ClientError as exc:
            if condition_failed(exc):
                return self.get(record.suite_id), False
            raise
        return record, True

    def find(self, suite_id: str) -> SuiteRecord | None:
        item = read_item(self.client, self.table, _key(suite_id))
        return None if item is None else _read(item)

    def get(self, suite_id: str) -> SuiteRecord:
        record = self.find(suite_id)
        if record is None:
            raise SuiteNotFound(suite_id)
        return record

    def change(
        self,
        suite_id: str,
        fields: Mapping[str, object],
        *,
        allowed: Collection[SuiteStatus],
        status: SuiteStatus | None = None,
    ) -> SuiteRecord:
        """Set `fields` (and move to `status`) if the suite is in an `allowed` status; a suite
        that ended raises SuiteAlreadyFinished with its record."""
        values: dict[str, object] = {**fields, "updated_at": self.clock()}
        if status is not None:
            values["status"] = status.value
        names = {f"#f{i}": name for i, name in enumerate(values)}
        attrs: dict[str, Any] = {f":f{i}": attribute(v) for i, v in enumerate(values.values())}
        attrs.update({f":a{i}": {"S": s.value} for i, s in enumerate(sorted(allowed))})
        names["#status"] = "status"
        condition = "attribute_exists(pk) AND #status IN ({})".format(
            ", ".join(f":a{i}" for i in range(len(allowed)))
        )
        try:
            answer = self.client.update_item(
                TableName=self.table,
                Key=string_key(_key(suite_id)),
                UpdateExpression="SET " + ", ".join(f"#f{i} = :f{i}" for i in range(len(values))),
                ConditionExpression=condition,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=attrs,
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            if not condition_failed(exc):
                raise
            current = self.get(suite_id)
            if current.terminal:
                raise SuiteAlreadyFinished(current) from None
            raise
        return _read(answer["Attributes"])

    def settle(
        self,
        suite_id: str,
        fields: Mapping[str, object],
        *,
        allowed: Collection[SuiteStatus],
        status: SuiteStatus,
    ) -> SuiteRecord:
        """`change`, for a step that may be retried after an earlier attempt (or another
        execution) ended the suite: the record as it stands either way."""
        try:
            return self.change(suite_id, fields, allowed=allowed, status=status)
        except SuiteAlreadyFinished as ended:
            return ended.record

    def add_delivery(self, suite_id: str, attempt: DeliveryAttempt) -> None:
        """Append `attempt` to the suite's `deliveries` (whatever its status: a finished
        suite's deliveries come after its end)."""
        if not append_to_list(self.client, self.table, _key(suite_id), "deliveries", [attempt]):
            raise SuiteNotFound(suite_id)

    def list_suites(self, *, limit: int, next_token: str | None = None) -> SuitePage:
        """Newest first; `next_token` continues where this page stopped."""
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": SUITES_INDEX,
            "KeyConditionExpression": "list_pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": LIST_PARTITION}},
            "ScanIndexForward": False,
            "Limit": limit,
        }
        expected: dict[str, str | None] = {
            "pk": None,
            "sk": SORT_KEY,
            "list_pk": LIST_PARTITION,
            "list_sk": None,
        }
        if next_token:
            kwargs["ExclusiveStartKey"] = decode_token(
                next_token, expected, scope=PAGE_SCOPE, token_key=self.token_key()
            )
        answer = self.client.query(**kwargs)
        last = answer.get("LastEvaluatedKey")
        token = None
        if last:
            token = encode_token(
                {k: last[k] for k in STORAGE_KEYS}, scope=PAGE_SCOPE, token_key=self.token_key()
            )
        return SuitePage([_read(item) for item in answer.get("Items", [])], token)


def _read(item: Mapping[str, Any]) -> SuiteRecord:
    plain = plain_item(item)
    for key in STORAGE_KEYS:
        plain.pop(key, None)
    return SuiteRecord.model_validate(plain)
