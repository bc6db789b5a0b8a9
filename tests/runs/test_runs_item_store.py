"""The item store against DynamoDB (moto): a run's cases, one item each, and its history."""

from __future__ import annotations

import boto3

from agentsim.providers.base import CaseResult, CaseVerdict
from agentsim.runs.item_store import DynamoItemStore


def test_cases_are_items_of_their_own(items: DynamoItemStore, tables: dict[str, str]) -> None:
    cases = [
        CaseResult(case_id=f"c{i}", verdict=CaseVerdict.PASSED, transcript=[{"role": "agent"}])
        for i in range(60)
    ]

    assert items.put_cases("r1", cases) == 60

    stored = items.cases("r1")
    assert [(c["number"], c["case_id"]) for c in stored] == [(i + 1, f"c{i}") for i in range(60)]
    assert not {"pk", "sk"} & set(stored[0])  # the table's keys stay in the table
    runs = boto3.client("dynamodb").scan(TableName=tables["RunsTable"])["Items"]
    assert runs == []  # no case item lands in the runs table


def test_storing_cases_again_overwrites_instead_of_duplicating(items: DynamoItemStore) -> None:
    case = CaseResult(case_id="c1", verdict=CaseVerdict.FAILED)
    items.put_cases("r1", [case])

    items.put_cases("r1", [case])

    assert len(items.cases("r1")) == 1


def test_oversized_case_is_trimmed_below_the_item_limit(items: DynamoItemStore) -> None:
    huge = [{"role": "caller", "text": "x" * 1000} for _ in range(500)]
    case = CaseResult(case_id="c1", verdict=CaseVerdict.PASSED, transcript=huge, raw={"t": huge})

    items.put_cases("r1", [case])

    stored = items.cases("r1")[0]
    assert stored["trimmed"] == ["raw", "transcript"]
    assert stored["verdict"] == "PASSED"
