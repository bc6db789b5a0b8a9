"""The runs repository against DynamoDB (moto), with the tables created from template.yaml."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

import boto3
import pytest
from support.template_tables import load_template, table_resources

from agentsim.providers.base import CaseResult, CaseVerdict, ProviderName
from agentsim.runs.errors import InvalidPageToken, RunAlreadyFinished, RunNotFound
from agentsim.runs.record import ACTIVE, RunRecord, RunStatus, Trigger
from agentsim.runs.repository import RunQuery, RunRepository, encode_token

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def repository(tables: dict[str, str]) -> RunRepository:
    ticks = count()
    return RunRepository(
        boto3.client("dynamodb"),
        tables["RunsTable"],
        tables["RunItemsTable"],
        clock=lambda: START + timedelta(seconds=next(ticks)),
    )


def record(
    run_id: str,
    *,
    minutes: int = 0,
    provider: ProviderName = ProviderName.BLUEJAY,
    labels: dict[str, str] | None = None,
) -> RunRecord:
    created = START + timedelta(minutes=minutes)
    return RunRecord(
        run_id=run_id,
        provider=provider,
        trigger=Trigger.WEBHOOK,
        labels=labels or {},
        created_at=created,
        updated_at=created,
    )


def test_tables_come_from_the_template(tables: dict[str, str]) -> None:
    declared = table_resources(load_template())
    runs = boto3.client("dynamodb").describe_table(TableName=tables["RunsTable"])["Table"]

    assert set(tables) == set(declared) == {"RunsTable", "RunItemsTable", "IdempotencyTable"}
    assert runs["KeySchema"] == declared["RunsTable"]["KeySchema"]
    assert [i["IndexName"] for i in runs["GlobalSecondaryIndexes"]] == ["by-created"]


def test_template_tables_are_on_demand_with_recovery_and_encryption() -> None:
    for props in table_resources(load_template()).values():
        assert props["BillingMode"] == "PAY_PER_REQUEST"
        assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
        assert props["SSESpecification"]["SSEEnabled"] is True


def test_created_run_reads_back_equal(repository: RunRepository) -> None:
    original = record("r1", labels={"team": "voice"})

    assert repository.create(original) is True
    assert repository.get("r1") == original


def test_second_create_of_a_run_id_writes_nothing(repository: RunRepository) -> None:
    repository.create(record("r1", labels={"first": "yes"}))

    assert repository.create(record("r1", labels={"second": "yes"})) is False
    assert repository.get("r1").labels == {"first": "yes"}


def test_missing_run_is_not_found(repository: RunRepository) -> None:
    assert repository.find("nope") is None
    with pytest.raises(RunNotFound):
        repository.get("nope")


def test_status_moves_forward_and_is_recorded_in_history(repository: RunRepository) -> None:
    repository.create(record("r1"))

    repository.change("r1", {}, allowed={RunStatus.PENDING}, status=RunStatus.RUNNING)
    done = repository.change("r1", {"progress": 100}, allowed=ACTIVE, status=RunStatus.COMPLETED)

    assert (done.status, done.progress) == (RunStatus.COMPLETED, 100)
    assert [h["status"] for h in repository.history("r1")] == ["PENDING", "RUNNING", "COMPLETED"]


def test_late_write_cannot_overwrite_a_terminal_run(repository: RunRepository) -> None:
    repository.create(record("r1"))
    repository.change("r1", {}, allowed=ACTIVE, status=RunStatus.STOPPED)

    with pytest.raises(RunAlreadyFinished) as refused:
        repository.change("r1", {"progress": 50}, allowed={RunStatus.RUNNING})

    assert refused.value.current == "STOPPED"
    assert repository.get("r1").progress == 0


def test_poll_count_only_grows(repository: RunRepository) -> None:
    repository.create(record("r1"))
    repository.change("r1", {}, allowed=ACTIVE, status=RunStatus.RUNNING)
    repository.change("r1", {"progress": 40}, allowed={RunStatus.RUNNING}, poll_count=5)

    with pytest.raises(Exception, match="RUNNING"):
        repository.change("r1", {"progress": 10}, allowed={RunStatus.RUNNING}, poll_count=4)

    stored = repository.get("r1")
    assert (stored.poll_count, stored.progress) == (5, 40)


def test_none_removes_an_attribute(repository: RunRepository) -> None:
    repository.create(record("r1"))
    repository.change("r1", {"provider_message": "queued"}, allowed=ACTIVE)

    repository.change("r1", {"provider_message": None}, allowed=ACTIVE)

    assert repository.get("r1").provider_message is None


def test_change_of_a_missing_run_is_not_found(repository: RunRepository) -> None:
    with pytest.raises(RunNotFound):
        repository.change("ghost", {"progress": 1}, allowed=ACTIVE)


def test_cases_are_items_of_their_own(repository: RunRepository, tables: dict[str, str]) -> None:
    cases = [
        CaseResult(case_id=f"c{i}", verdict=CaseVerdict.PASSED, transcript=[{"role": "agent"}])
        for i in range(60)
    ]

    assert repository.put_cases("r1", cases) == 60

    stored = repository.cases("r1")
    assert [c["case_id"] for c in stored] == [f"c{i}" for i in range(60)]
    assert stored[0]["sk"] == "CASE#00001"
    runs = boto3.client("dynamodb").scan(TableName=tables["RunsTable"])["Items"]
    assert runs == []  # no case item lands in the runs table


def test_storing_cases_again_overwrites_instead_of_duplicating(repository: RunRepository) -> None:
    case = CaseResult(case_id="c1", verdict=CaseVerdict.FAILED)
    repository.put_cases("r1", [case])

    repository.put_cases("r1", [case])

    assert len(repository.cases("r1")) == 1


def test_oversized_case_is_trimmed_below_the_item_limit(repository: RunRepository) -> None:
    huge = [{"role": "caller", "text": "x" * 1000} for _ in range(500)]
    case = CaseResult(case_id="c1", verdict=CaseVerdict.PASSED, transcript=huge, raw={"t": huge})

    repository.put_cases("r1", [case])

    stored = repository.cases("r1")[0]
    assert stored["trimmed"] == ["raw", "transcript"]
    assert stored["verdict"] == "PASSED"


def test_list_is_newest_first(repository: RunRepository) -> None:
    for minute in (5, 1, 3):
        repository.create(record(f"r{minute}", minutes=minute))

    page = repository.list_runs(RunQuery())

    assert [r.run_id for r in page.runs] == ["r5", "r3", "r1"]
    assert page.next_token is None


def test_list_filters_by_provider_status_label_and_since(repository: RunRepository) -> None:
    repository.create(record("old", minutes=0, labels={"team": "voice"}))
    repository.create(record("other", minutes=2, provider=ProviderName.SYNTHFLOW))
    repository.create(record("match", minutes=3, labels={"team": "voice", "env": "prod"}))
    repository.create(record("done", minutes=4, labels={"team": "voice"}))
    repository.change("done", {}, allowed=ACTIVE, status=RunStatus.FAILED)

    def ids(**filters: object) -> list[str]:
        return [r.run_id for r in repository.list_runs(RunQuery.model_validate(filters)).runs]

    assert ids(provider="synthflow") == ["other"]
    assert ids(status="FAILED") == ["done"]
    assert ids(labels={"team": "voice", "env": "prod"}) == ["match"]
    assert ids(since=START + timedelta(minutes=1), provider="bluejay") == ["done", "match"]


def test_pages_follow_each_other_without_gaps_or_repeats(repository: RunRepository) -> None:
    for minute in range(7):
        repository.create(record(f"r{minute}", minutes=minute))

    seen: list[str] = []
    token = None
    while True:
        page = repository.list_runs(RunQuery(limit=3, next_token=token))
        seen += [r.run_id for r in page.runs]
        if page.next_token is None:
            break
        token = page.next_token

    assert seen == [f"r{m}" for m in range(6, -1, -1)]


def test_sparse_filter_still_fills_the_page(repository: RunRepository) -> None:
    for minute in range(30):
        labels = {"keep": "yes"} if minute % 10 == 0 else {}
        repository.create(record(f"r{minute:02d}", minutes=minute, labels=labels))

    page = repository.list_runs(RunQuery(labels={"keep": "yes"}, limit=2))

    assert [r.run_id for r in page.runs] == ["r20", "r10"]
    assert page.next_token is not None
    rest = repository.list_runs(
        RunQuery(labels={"keep": "yes"}, limit=2, next_token=page.next_token)
    )
    assert [r.run_id for r in rest.runs] == ["r00"]


@pytest.mark.parametrize(
    "token",
    ["not-base64-$$$", encode_token({"run_id": {"S": "x"}}), encode_token({"a": 1}), "e30"],
)
def test_foreign_page_token_is_refused(repository: RunRepository, token: str) -> None:
    with pytest.raises(InvalidPageToken):
        repository.list_runs(RunQuery(next_token=token))
