"""Run ids: deterministic where a repeat must find the first run, random otherwise."""

from __future__ import annotations

import re

from agentsim.runs import ids

EXECUTION_NAME = re.compile(r"^[A-Za-z0-9_-]{1,80}$")


def test_same_idempotency_key_gives_the_same_run_id() -> None:
    assert ids.run_id_for_key("deploy-42") == ids.run_id_for_key("deploy-42")
    assert ids.run_id_for_key("deploy-42") != ids.run_id_for_key("deploy-43")


def test_body_key_ignores_key_order_and_whitespace() -> None:
    a = ids.run_id_for_body({"provider": "bluejay", "simulation_id": "1"}, "1700000000")
    b = ids.run_id_for_body({"simulation_id": "1", "provider": "bluejay"}, "1700000000")

    assert a == b


def test_same_body_signed_again_later_is_a_new_run() -> None:
    body = {"provider": "bluejay", "simulation_id": "1"}

    assert ids.run_id_for_body(body, "1700000000") != ids.run_id_for_body(body, "1700000600")


def test_schedule_firing_has_one_run_id_per_scheduled_time() -> None:
    first = ids.run_id_for_schedule("nightly", "2026-01-01T03:00:00Z")

    assert first == ids.run_id_for_schedule("nightly", "2026-01-01T03:00:00Z")
    assert first != ids.run_id_for_schedule("nightly", "2026-01-02T03:00:00Z")
    assert first != ids.run_id_for_schedule("weekly", "2026-01-01T03:00:00Z")


def test_event_redelivery_has_the_same_run_id() -> None:
    assert ids.run_id_for_event("evt-1") == ids.run_id_for_event("evt-1")


def test_every_kind_of_id_is_a_valid_execution_name() -> None:
    for run_id in (
        ids.run_id_for_key("k" * 128),
        ids.run_id_for_body({"a": 1}, "1"),
        ids.run_id_for_schedule("s", "t"),
        ids.run_id_for_event("e"),
    ):
        assert EXECUTION_NAME.match(run_id)
