"""`agentsim status` and `agentsim runs` against a deployed stack (AWS in moto, the API a local
stand-in): the record alone as JSON, read again after a throttle, followed to its end, one line
for an unknown run; the stack's runs newest first, as the API pages them."""

from __future__ import annotations

import json

import pytest
from support.deployed_api import SigningApi, cli

from agentsim_local import webhook


def test_status_json_prints_the_record_alone(
    capsys: pytest.CaptureFixture[str], stack: dict[str, str], api: SigningApi
) -> None:
    api.put_run(run_id="run-7", provider="bluejay", status="COMPLETED", verdict="PASSED", polls=3)

    code, out, _ = cli(capsys, "status", "run-7", "--stack", "agentsim", "--json")

    assert code == 0
    assert json.loads(out) == {
        "run_id": "run-7",
        "provider": "bluejay",
        "status": "COMPLETED",
        "verdict": "PASSED",
        "polls": 3,
    }


def test_status_reads_again_after_the_api_throttled_the_read(
    capsys: pytest.CaptureFixture[str],
    stack: dict[str, str],
    api: SigningApi,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(webhook, "RETRY_DELAYS", (0.0, 0.0))
    api.put_run(run_id="run-9", provider="bluejay", status="RUNNING")
    api.throttled_reads = 2

    code, out, _ = cli(capsys, "status", "run-9", "--stack", "agentsim", "--json")

    assert code == 0
    assert json.loads(out)["status"] == "RUNNING"
    assert [r["method"] for r in api.requests] == ["GET", "GET", "GET"]


def test_status_of_an_unknown_run_is_one_line(
    capsys: pytest.CaptureFixture[str], stack: dict[str, str]
) -> None:
    code, _, err = cli(capsys, "status", "nope", "--stack", "agentsim")

    assert code == 1
    assert err.strip() == "agentsim: error: no run or suite nope in stack agentsim"


def test_status_watch_follows_the_run_to_its_end(
    capsys: pytest.CaptureFixture[str], stack: dict[str, str], api: SigningApi
) -> None:
    api.put_run_in_turn(
        {"run_id": "run-8", "provider": "synthflow", "trigger": "event", "status": "RUNNING",
         "progress": 40},
        {"run_id": "run-8", "provider": "synthflow", "status": "COMPLETED"},
    )  # fmt: skip

    code, out, err = cli(capsys, "status", "run-8", "--stack", "agentsim", "--watch", "--json")

    assert code == 0
    assert json.loads(out)["status"] == "COMPLETED"
    assert "RUNNING 40%" in err  # progress went to stderr (no TTY: one line per change)


def test_runs_prints_a_table_of_the_stack_runs(
    capsys: pytest.CaptureFixture[str], stack: dict[str, str], api: SigningApi
) -> None:
    api.put_run(run_id="run-a", provider="bluejay", trigger="webhook", status="COMPLETED", polls=4)
    api.put_run(run_id="run-b", provider="omnidimension", trigger="schedule", status="RUNNING")

    code, out, _ = cli(capsys, "runs", "--stack", "agentsim")

    assert code == 0
    assert "run-a" in out
    assert "run-b" in out
    assert "omnidimension" in out
    assert "schedule" in out


def test_runs_are_the_newest_first_as_the_api_lists_them_up_to_the_limit(
    capsys: pytest.CaptureFixture[str], stack: dict[str, str], api: SigningApi
) -> None:
    for index in range(150):  # two pages of the API's list
        api.put_run(run_id=f"run-{index:03}", provider="bluejay", status="COMPLETED")

    code, out, _ = cli(capsys, "runs", "--stack", "agentsim", "--limit", "120")

    assert code == 0
    listed = [word for word in out.split() if word.startswith("run-")]
    assert listed == [f"run-{index:03}" for index in range(149, 29, -1)]
    assert all(r["method"] == "GET" for r in api.requests)  # read through the API, signed
