"""The DynamoDB calls every store makes the same way, whatever it keeps.

A read is strongly consistent (a status or a claim just written must be seen by the next step);
an append to a list writes only to an item that exists, so a delivery attempt for a record that
was never stored fails instead of creating a stub item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from agentsim.runs.codec import attribute, condition_failed

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient


def string_key(key: Mapping[str, str]) -> dict[str, Any]:
    return {name: {"S": value} for name, value in key.items()}


def read_item(client: DynamoDBClient, table: str, key: Mapping[str, str]) -> dict[str, Any] | None:
    """The item under `key` as DynamoDB holds it, or None."""
    answer = client.get_item(TableName=table, Key=string_key(key), ConsistentRead=True)
    item = answer.get("Item")
    return None if item is None else dict(item)


def append_to_list(
    client: DynamoDBClient,
    table: str,
    key: Mapping[str, str],
    list_name: str,
    values: Sequence[Any],
) -> bool:
    """Append `values` to the item's list `list_name` (started when absent); False if no item has
    `key`."""
    try:
        client.update_item(
            TableName=table,
            Key=string_key(key),
            UpdateExpression="SET #l = list_append(if_not_exists(#l, :none), :more)",
            ConditionExpression=" AND ".join(f"attribute_exists({name})" for name in key),
            ExpressionAttributeNames={"#l": list_name},
            ExpressionAttributeValues={":none": {"L": []}, ":more": attribute(list(values))},
        )
    except ClientError as exc:
        if condition_failed(exc):
            return False
        raise
    return True
