"""The run store against DynamoDB (moto), with the tables created from template.yaml: conditional
writes, history lines for status moves, and newest-first pages."""

from __future__ import annotations

from datetime import timedelta

import boto3
import pytest
from support.records import START
from support.records import new_record as record
from support.template_tables import load_template, table_resources

from agentsim.providers.base import ProviderName
from agentsim.runs.errors import InvalidPageToken, RunAlreadyFinished, RunNotFound
from agentsim.runs.item_store import DynamoItemStore
from agentsim.runs.record import ACTIVE, Change, RunStatus
from agentsim.runs.run_list import RunQuery
from agentsim.runs.run_store import DynamoRunStore
from agentsim.runs.tokens import encode_token


def test_tables_come_from_the_template(tables: dict[str, str]) -> None:
    declared = table_resources(load_template())
    runs = boto3.client("dynamodb").describe_table(TableName=tables["RunsTable"])["Table"]

    assert set(tables) == set(declared) == {"RunsTable", "RunItemsTable", "IdempotencyTable"}
    assert runs["KeySchema"] == declared["RunsTable"]["KeySchema"]
    assert [i["IndexName"] for i in runs["GlobalSecondaryIndexes"]] == ["by-created", "by-series"]


def test_template_tables_are_on_demand_with_recovery_and_encryption() -> None:
    for props in table_resources(load_template()).values():
        assert props["BillingMode"] == "PAY_PER_REQUEST"
        assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
        assert props["SSESpecification"]["SSEEnabled"] is True


def test_created_run_reads_back_equal(runs: DynamoRunStore) -> None:
    original = record("r1", labels={"team": "voice"})

    assert runs.create(original) is True
    assert runs.get("r1") == original


def test_many_runs_read_back_in_the_order_asked_past_one_batch(runs: DynamoRunStore) -> None:
    ids = [f"r{n:03d}" for n in range(130)]  # a BatchGetItem call takes 100 keys
    for run_id in ids:
        runs.create(record(run_id))
    asked = list(reversed(ids))

    assert [r.run_id for r in runs.get_many(asked)] == asked


def test_many_runs_with_one_unknown_is_not_found_naming_it(runs: DynamoRunStore) -> None:
    runs.create(record("r1"))

    with pytest.raises(RunNotFound, match="nope"):
        runs.get_many(["r1", "nope"])


def test_second_create_of_a_run_id_writes_nothing(runs: DynamoRunStore) -> None:
    runs.create(record("r1", labels={"first": "yes"}))

    assert runs.create(record("r1", labels={"second": "yes"})) is False
    assert runs.get("r1").labels == {"first": "yes"}


def test_missing_run_is_not_found(runs: DynamoRunStore) -> None:
    assert runs.find("nope") is None
    with pytest.raises(RunNotFound):
        runs.get("nope")


def test_status_moves_forward_and_is_recorded_in_history(
    runs: DynamoRunStore, items: DynamoItemStore
) -> None:
    runs.create(record("r1"))

    runs.change("r1", Change.move(RunStatus.RUNNING, allowed={RunStatus.PENDING}))
    done = runs.change("r1", Change.move(RunStatus.COMPLETED, progress=100))

    assert (done.status, done.progress) == (RunStatus.COMPLETED, 100)
    assert [h["status"] for h in items.history("r1")] == ["PENDING", "RUNNING", "COMPLETED"]


def test_late_write_cannot_overwrite_a_terminal_run(runs: DynamoRunStore) -> None:
    runs.create(record("r1"))
    runs.change("r1", Change.move(RunStatus.STOPPED))

    with pytest.raises(RunAlreadyFinished) as refused:
        runs.change("r1", Change.within({RunStatus.RUNNING}, progress=50))

    assert refused.value.current == "STOPPED"
    assert runs.get("r1").progress == 0


def test_poll_count_only_grows(runs: DynamoRunStore) -> None:
    runs.create(record("r1"))
    runs.change("r1", Change.move(RunStatus.RUNNING))
    runs.change("r1", Change.within({RunStatus.RUNNING}, poll_count=5, progress=40))

    with pytest.raises(Exception, match="RUNNING"):
        runs.change("r1", Change.within({RunStatus.RUNNING}, poll_count=4, progress=10))

    stored = runs.get("r1")
    assert (stored.poll_count, stored.progress) == (5, 40)


def test_none_removes_an_attribute(runs: DynamoRunStore) -> None:
    runs.create(record("r1"))
    runs.change("r1", Change.within(ACTIVE, provider_message="queued"))

    runs.change("r1", Change.within(ACTIVE, provider_message=None))

    assert runs.get("r1").provider_message is None


def test_change_of_a_missing_run_is_not_found(runs: DynamoRunStore) -> None:
    with pytest.raises(RunNotFound):
        runs.change("ghost", Change.within(ACTIVE, progress=1))


def test_list_is_newest_first(runs: DynamoRunStore) -> None:
    for minute in (5, 1, 3):
        runs.create(record(f"r{minute}", minutes=minute))

    page = runs.list_runs(RunQuery())

    assert [r.run_id for r in page.runs] == ["r5", "r3", "r1"]
    assert page.next_token is None


def test_list_filters_by_provider_status_label_and_since(runs: DynamoRunStore) -> None:
    runs.create(record("old", minutes=0, labels={"team": "voice"}))
    runs.create(record("other", minutes=2, provider=ProviderName.SYNTHFLOW))
    runs.create(record("match", minutes=3, labels={"team": "voice", "env": "prod"}))
    runs.create(record("done", minutes=4, labels={"team": "voice"}))
    runs.change("done", Change.move(RunStatus.FAILED))

    def ids(**filters: object) -> list[str]:
        return [r.run_id for r in runs.list_runs(RunQuery.model_validate(filters)).runs]

    assert ids(provider="synthflow") == ["other"]
    assert ids(status="FAILED") == ["done"]
    assert ids(labels={"team": "voice", "env": "prod"}) == ["match"]
    assert ids(since=START + timedelta(minutes=1), provider="bluejay") == ["done", "match"]


def test_pages_follow_each_other_without_gaps_or_repeats(runs: DynamoRunStore) -> None:
    for minute in range(7):
        runs.create(record(f"r{minute}", minutes=minute))

    seen: list[str] = []
    token = None
    while True:
        page = runs.list_runs(RunQuery(limit=3, next_token=token))
        seen += [r.run_id for r in page.runs]
        if page.next_token is None:
            break
        token = page.next_token

    assert seen == [f"r{m}" for m in range(6, -1, -1)]


def test_sparse_filter_still_fills_the_page(runs: DynamoRunStore) -> None:
    for minute in range(30):
        labels = {"keep": "yes"} if minute % 10 == 0 else {}
        runs.create(record(f"r{minute:02d}", minutes=minute, labels=labels))

    page = runs.list_runs(RunQuery(labels={"keep": "yes"}, limit=2))

    assert [r.run_id for r in page.runs] == ["r20", "r10"]
    assert page.next_token is not None
    rest = runs.list_runs(RunQuery(labels={"keep": "yes"}, limit=2, next_token=page.next_token))
    assert [r.run_id for r in rest.runs] == ["r00"]


@pytest.mark.parametrize(
    "token",
    ["not-base64-$$$", encode_token({"run_id": {"S": "x"}}), encode_token({"a": 1}), "e30"],
    ids=["not-base64", "signed-foreign-key", "signed-foreign-shape", "unsigned-json"],
)
def test_foreign_page_token_is_refused(runs: DynamoRunStore, token: str) -> None:
    with pytest.raises(InvalidPageToken):
        runs.list_runs(RunQuery(next_token=token))
