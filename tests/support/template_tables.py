"""DynamoDB tables created from template.yaml itself, so tests use the deployed schema.

Reads every `AWS::DynamoDB::Table` of the SAM template (CloudFormation short tags parsed by
cfn-lint's loader) and creates it through boto3 (moto in tests): keys, attribute definitions,
global secondary indexes, billing mode and time to live, exactly as declared.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cfnlint.decode import cfn_yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = REPO_ROOT / "template.yaml"


def load_template(path: Path = TEMPLATE) -> dict[str, Any]:
    """The template as plain JSON-like data (`!Ref X` -> `{"Ref": "X"}`)."""
    loaded = cfn_yaml.loads(path.read_text(encoding="utf-8"))
    plain: dict[str, Any] = json.loads(json.dumps(loaded))
    return plain


def table_resources(template: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Logical id -> Properties of each DynamoDB table the template declares."""
    return {
        logical_id: resource.get("Properties", {})
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == "AWS::DynamoDB::Table"
    }


def create_tables(
    dynamodb: Any, names: Mapping[str, str], template: Mapping[str, Any] | None = None
) -> dict[str, str]:
    """Create every table of the template under `names[logical_id]`; logical id -> name."""
    tables = table_resources(template or load_template())
    missing = set(tables) - set(names)
    if missing:
        raise KeyError(f"no test name for template tables {sorted(missing)}")
    for logical_id, props in tables.items():
        kwargs: dict[str, Any] = {
            "TableName": names[logical_id],
            "AttributeDefinitions": props["AttributeDefinitions"],
            "KeySchema": props["KeySchema"],
            "BillingMode": props.get("BillingMode", "PROVISIONED"),
        }
        if props.get("GlobalSecondaryIndexes"):
            kwargs["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
        if kwargs["BillingMode"] == "PROVISIONED":
            kwargs["ProvisionedThroughput"] = props["ProvisionedThroughput"]
        dynamodb.create_table(**kwargs)
        ttl = props.get("TimeToLiveSpecification")
        if ttl:
            dynamodb.update_time_to_live(TableName=names[logical_id], TimeToLiveSpecification=ttl)
    return {logical_id: names[logical_id] for logical_id in tables}
