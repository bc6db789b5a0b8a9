"""A function's services: the parts only some functions have are there when wired, and a
missing one fails naming itself instead of as an AttributeError on None deep in a use case."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from agentsim.runs.aws import EventBridgeEvents
from agentsim.runs.services import Services
from agentsim.runs.settings import StorageSettings
from agentsim.runs.wiring import build_services


@pytest.fixture
def storage_only() -> Iterator[Services]:
    """What a function with only the tables has (no executions, events, deliverer, links)."""
    with mock_aws():
        session = boto3.session.Session(region_name="us-east-1")
        settings = StorageSettings(runs_table="runs", run_items_table="items")
        yield build_services(settings, session)


def test_a_wired_part_is_what_require_gives(storage_only: Services) -> None:
    events = EventBridgeEvents(boto3.client("events", region_name="us-east-1"), "bus")
    storage_only.events = events

    assert storage_only.require_events() is events


def test_a_missing_part_is_a_runtime_error_naming_it(storage_only: Services) -> None:
    with pytest.raises(RuntimeError, match="no suite executions: see its settings"):
        storage_only.require_suite_executions()


def test_each_part_is_read_from_its_own_field(storage_only: Services) -> None:
    assert storage_only.require_suites() is storage_only.suites
    with pytest.raises(RuntimeError, match="no report links"):
        storage_only.require_links()
