"""DynamoSuiteStore on the template's run items table (moto): one item per suite, written once,
changed only while open, listed newest first by its index with signed page tokens."""

from __future__ import annotations

import boto3
import pytest
from support.records import START
from support.suite_records import suite_record

from agentsim.runs.errors import InvalidPageToken
from agentsim.suites.record import SuiteStatus
from agentsim.suites.store import DynamoSuiteStore, SuiteAlreadyFinished, SuiteNotFound

OPEN = (SuiteStatus.PENDING, SuiteStatus.RUNNING)


@pytest.fixture
def store(tables: dict[str, str]) -> DynamoSuiteStore:
    return DynamoSuiteStore(boto3.client("dynamodb"), tables["RunItemsTable"], clock=lambda: START)


def test_create_or_get_stores_a_new_suite(store: DynamoSuiteStore) -> None:
    record, created = store.create_or_get(suite_record("s-1"))

    assert created is True
    assert store.get("s-1") == record


def test_create_or_get_twice_keeps_the_first_suite(store: DynamoSuiteStore) -> None:
    store.create_or_get(suite_record("s-1", name="first"))

    again, created = store.create_or_get(suite_record("s-1", name="second"))

    assert created is False
    assert again.name == store.get("s-1").name == "first"


def test_an_unknown_suite_is_not_found(store: DynamoSuiteStore) -> None:
    assert store.find("nope") is None
    with pytest.raises(SuiteNotFound):
        store.get("nope")


def test_change_moves_an_open_suite_and_sets_its_fields(store: DynamoSuiteStore) -> None:
    store.create_or_get(suite_record("s-1"))

    changed = store.change(
        "s-1", {"execution_arn": "arn:x"}, allowed=OPEN, status=SuiteStatus.RUNNING
    )

    assert (changed.status, changed.execution_arn) == (SuiteStatus.RUNNING, "arn:x")
    assert store.get("s-1") == changed


def test_change_of_an_ended_suite_raises_suite_already_finished_with_it(
    store: DynamoSuiteStore,
) -> None:
    store.create_or_get(suite_record("s-1", status=SuiteStatus.COMPLETED))

    with pytest.raises(SuiteAlreadyFinished) as ended:
        store.change("s-1", {"execution_arn": "arn:x"}, allowed=OPEN, status=SuiteStatus.FAILED)

    assert ended.value.record.status is SuiteStatus.COMPLETED
    assert store.get("s-1").execution_arn is None


def test_change_of_an_unknown_suite_is_not_found(store: DynamoSuiteStore) -> None:
    with pytest.raises(SuiteNotFound):
        store.change("nope", {}, allowed=OPEN, status=SuiteStatus.RUNNING)


def test_list_is_newest_first(store: DynamoSuiteStore) -> None:
    for minutes in (0, 2, 1):
        store.create_or_get(suite_record(f"s-{minutes}", minutes=minutes))

    page = store.list_suites(limit=10)

    assert [s.suite_id for s in page.suites] == ["s-2", "s-1", "s-0"]
    assert page.next_token is None


def test_list_pages_continue_with_next_token(store: DynamoSuiteStore) -> None:
    for minutes in range(5):
        store.create_or_get(suite_record(f"s-{minutes}", minutes=minutes))

    seen: list[str] = []
    token: str | None = None
    for _ in range(5):
        page = store.list_suites(limit=2, next_token=token)
        seen += [s.suite_id for s in page.suites]
        token = page.next_token
        if token is None:
            break

    assert seen == ["s-4", "s-3", "s-2", "s-1", "s-0"]


def test_list_holds_only_suites(store: DynamoSuiteStore, tables: dict[str, str]) -> None:
    boto3.client("dynamodb").put_item(
        TableName=tables["RunItemsTable"],
        Item={"pk": {"S": "RUN#r-1"}, "sk": {"S": "CASE#1"}},
    )
    store.create_or_get(suite_record("s-1"))

    assert [s.suite_id for s in store.list_suites(limit=10).suites] == ["s-1"]


def test_a_tampered_page_token_is_refused(store: DynamoSuiteStore) -> None:
    for minutes in range(3):
        store.create_or_get(suite_record(f"s-{minutes}", minutes=minutes))
    token = store.list_suites(limit=1).next_token
    assert token is not None
    payload, _, signature = token.partition(".")
    tampered = f"{payload[:-1]}{'A' if payload[-1] != 'A' else 'B'}.{signature}"

    with pytest.raises(InvalidPageToken):
        store.list_suites(limit=1, next_token=tampered)


def test_a_page_token_of_another_key_is_refused(store: DynamoSuiteStore) -> None:
    for minutes in range(3):
        store.create_or_get(suite_record(f"s-{minutes}", minutes=minutes))
    token = store.list_suites(limit=1).next_token
    assert token is not None
    other = DynamoSuiteStore(store.client, store.table, token_key=lambda: b"k" * 32)

    with pytest.raises(InvalidPageToken):
        other.list_suites(limit=1, next_token=token)
