"""What a run's item holds in DynamoDB, and that every record reads back from it as it was
written: the handles of each provider as their own classes, the list index's keys beside them."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from support.records import new_record

from agentsim.providers.base import ProviderName
from agentsim.providers.bluejay import BluejayLaunched, BluejayPrepared
from agentsim.providers.omnidimension import OmniDimensionLaunched, OmniDimensionPrepared
from agentsim.providers.synthflow import (
    SynthflowCase,
    SynthflowSession,
    SynthflowSimulation,
    SynthflowSuite,
)
from agentsim.runs.codec import plain_item
from agentsim.runs.run_store import DynamoRunStore

AGENT = "1726005822670-239735712159542050"
HANDLES: dict[str, tuple[ProviderName, Any, Any]] = {
    "omnidimension": (
        ProviderName.OMNIDIMENSION,
        OmniDimensionPrepared(simulation_id="456", prepared="created", prepared_status="Draft"),
        OmniDimensionLaunched(simulation_id="456", prepared="created", launched_status="Pending"),
    ),
    "bluejay": (
        ProviderName.BLUEJAY,
        BluejayPrepared(simulation_id="123", prepared="updated"),
        BluejayLaunched(
            simulation_id="123", prepared="updated", run_id="789", result_ids=["1", "2"]
        ),
    ),
    "synthflow-case": (
        ProviderName.SYNTHFLOW,
        SynthflowCase(simulation_id="case-1", target_agent_id=AGENT, custom_variables={"a": [1]}),
        SynthflowSimulation(simulation_id="sim-1", run_id="session-1", target_agent_id=AGENT),
    ),
    "synthflow-suite": (
        ProviderName.SYNTHFLOW,
        SynthflowSuite(simulation_id="suite-1", target_agent_id=AGENT, case_ids=["c1", "c2"]),
        SynthflowSession(simulation_id="session-2", run_id="session-2", total_cases=2),
    ),
}


def stored_item(tables: dict[str, str], run_id: str) -> dict[str, Any]:
    client = boto3.client("dynamodb")
    item = client.get_item(TableName=tables["RunsTable"], Key={"run_id": {"S": run_id}})
    return plain_item(item["Item"])


@pytest.mark.parametrize("case", HANDLES, ids=list(HANDLES))
def test_a_runs_handles_read_back_as_their_providers_own(runs: DynamoRunStore, case: str) -> None:
    provider, prepared, launched = HANDLES[case]
    record = new_record("r1", provider=provider, prepared=prepared, handle=launched)

    runs.create(record)
    again = runs.get("r1")

    assert again == record
    assert (type(again.prepared), type(again.handle)) == (type(prepared), type(launched))


def test_the_item_is_the_records_json_with_the_list_keys(
    runs: DynamoRunStore, tables: dict[str, str]
) -> None:
    _, prepared, launched = HANDLES["bluejay"]
    runs.create(new_record("r1", prepared=prepared, handle=launched, labels={"team": "voice"}))

    item = stored_item(tables, "r1")

    assert (item["list_pk"], item["list_sk"]) == ("RUN", "2026-03-01T12:00:00.000000Z#r1")
    assert item["handle"] == {
        "provider": "bluejay",
        "simulation_id": "123",
        "kind": "simulation",
        "prepared": "updated",
        "run_id": "789",
        "result_ids": ["1", "2"],
        "found": False,
    }
    assert item["labels"] == {"team": "voice"}
    assert "list_pk" not in runs.get("r1").model_dump()


def test_a_handle_stored_with_its_fields_under_extra_reads_back_typed(
    runs: DynamoRunStore, tables: dict[str, str]
) -> None:
    # Given a run stored while handles kept their provider fields under `extra`
    runs.create(new_record("r1"))
    legacy = {
        "provider": {"S": "bluejay"},
        "simulation_id": {"S": "123"},
        "run_id": {"S": "789"},
        "kind": {"S": "simulation"},
        "extra": {"M": {"prepared": {"S": "created"}, "result_ids": {"L": [{"S": "1"}]}}},
    }
    boto3.client("dynamodb").update_item(
        TableName=tables["RunsTable"],
        Key={"run_id": {"S": "r1"}},
        UpdateExpression="SET handle = :h",
        ExpressionAttributeValues={":h": {"M": legacy}},
    )

    # Then it reads back as the provider's launched handle
    handle = runs.get("r1").handle
    assert isinstance(handle, BluejayLaunched)
    assert (handle.run_id, handle.result_ids, handle.prepared) == ("789", ["1"], "created")
