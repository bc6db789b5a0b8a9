"""The CI integration end to end, as a user finds it: `agentsim start --wait` (and `local run`)
against the real template in a local AWS with the provider emulator, its exit status, JUnit
file and summary; a SIGTERM or a timeout stopping the run on the provider; `report`, `status
--wait` and `runs` on what it left.

The stack is the one the CI modules share (tests/cli/conftest.py); each run it starts is a
Bluejay run of the sample request (`support.ci_local.REQUEST`).
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from junitparser import Failure
from support.ci_local import AGENTSIM, REQUEST, aws, cli_env, only_suite
from support.waiting import wait_until

from agentsim_local.cli import main
from agentsim_local.commands.local import local_run
from agentsim_local.embedded import EmbeddedStack
from agentsim_local.embedded.local_settings import fast_emulator_settings
from agentsim_local.reports import Reports

pytestmark = pytest.mark.e2e

FAILING_CASE = "Impatient caller [emulator:fail]"


@dataclass(frozen=True)
class Finished:
    returncode: int
    stdout: str
    stderr: str
    junit: Path
    summary: Path

    @property
    def record(self) -> dict[str, Any]:
        record: dict[str, Any] = json.loads(self.stdout)
        return record


@pytest.fixture(scope="module")
def failing_start(stack: EmbeddedStack, tmp_path_factory: pytest.TempPathFactory) -> Finished:
    """`agentsim start --wait --junit --summary --json` of a request whose gate fails."""
    out = tmp_path_factory.mktemp("failing-start")
    junit, summary = out / "j.xml", out / "s.md"
    done = subprocess.run(
        [
            AGENTSIM,
            "start",
            str(REQUEST),
            *aws(stack),
            "--gate",
            "min_pass_rate=0.9",
            "--wait",
            "--timeout",
            "120",
            "--json",
            "--junit",
            str(junit),
            "--summary",
            str(summary),
        ],
        capture_output=True,
        text=True,
        env=cli_env(),
        timeout=180,
        check=False,
    )
    return Finished(done.returncode, done.stdout, done.stderr, junit, summary)


def test_start_wait_of_a_failing_request_exits_1(failing_start: Finished) -> None:
    assert failing_start.returncode == 1, failing_start.stderr[-2000:]
    assert failing_start.record["status"] == "COMPLETED"
    assert failing_start.record["verdict"] == "FAILED"


def test_start_wait_json_prints_only_the_final_record(failing_start: Finished) -> None:
    record = json.loads(failing_start.stdout)  # the whole of stdout is one JSON document

    assert record["results"] == {"total": 3, "passed": 2, "failed": 1, "pass_rate": 2 / 3}


def test_start_wait_says_why_it_failed_in_one_line_on_stderr(failing_start: Finished) -> None:
    run_id = failing_start.record["run_id"]

    assert (
        f"agentsim: run {run_id}: FAILED: 2 of 3 graded cases passed (67 %), gate min_pass_rate 0.9"
    ) in failing_start.stderr.splitlines()
    assert "Traceback" not in failing_start.stderr


def test_start_wait_writes_a_junit_file_a_junit_reader_reads(failing_start: Finished) -> None:
    suite = only_suite(failing_start.junit)

    assert (suite.tests, suite.failures) == (3, 1)
    failed = next(case for case in suite if case.name == FAILING_CASE)
    (failure,) = failed.result
    assert isinstance(failure, Failure)
    assert failure.text == "The agent did not achieve: Caller calmed down and refund explained."
    properties = {p.name: p.value for p in suite.properties()}
    assert properties["run_id"] == failing_start.record["run_id"]


def test_start_wait_writes_the_summary(failing_start: Finished) -> None:
    text = failing_start.summary.read_text()

    assert text.startswith("### ❌ agentsim bluejay: FAILED")
    assert "| Case | Result | Why |" in text
    assert "❌ failed | The agent did not achieve" in text


def test_report_writes_the_reports_of_the_finished_run(
    failing_start: Finished, stack: EmbeddedStack, tmp_path: Path
) -> None:
    run_id = failing_start.record["run_id"]

    code = main(["report", run_id, *aws(stack), "--junit", str(tmp_path / "again.xml")])

    assert code == 0
    again = only_suite(tmp_path / "again.xml")
    first = only_suite(failing_start.junit)
    assert [(c.name, c.is_passed) for c in again] == [(c.name, c.is_passed) for c in first]


def test_status_wait_exits_by_the_verdict_of_the_run(
    failing_start: Finished, stack: EmbeddedStack, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["status", failing_start.record["run_id"], *aws(stack), "--wait", "--json"])

    assert code == 1
    assert json.loads(capsys.readouterr().out)["verdict"] == "FAILED"


def test_runs_lists_by_the_apis_filters_as_json(
    failing_start: Finished, stack: EmbeddedStack, capsys: pytest.CaptureFixture[str]
) -> None:
    run_id = failing_start.record["run_id"]
    filters = ["--label", "team:voice", "--label", "suite:regression", "--status", "COMPLETED"]

    main(["runs", *aws(stack), *filters, "--since", "1h", "--json"])
    matching = [r["run_id"] for r in json.loads(capsys.readouterr().out)]
    main(["runs", *aws(stack), "--provider", "synthflow", "--json"])
    other_provider = [r["run_id"] for r in json.loads(capsys.readouterr().out)]

    assert run_id in matching
    assert run_id not in other_provider


def test_local_run_of_a_failing_request_exits_1_with_its_reports(
    stack: EmbeddedStack, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junit, summary = tmp_path / "j.xml", tmp_path / "s.md"

    code = local_run(
        str(REQUEST),
        stack=stack,
        as_json=True,
        timeout=120,
        gate=["min_pass_rate=0.9"],
        reports=Reports(junit=junit, summary=summary),
    )

    assert code == 1
    assert json.loads(capsys.readouterr().out)["verdict"] == "FAILED"
    assert only_suite(junit).failures == 1
    assert summary.read_text().startswith("### ❌ agentsim bluejay: FAILED")


@pytest.fixture
def long_calls(stack: EmbeddedStack) -> Iterator[None]:
    """Emulated calls of a minute: a run that is still RUNNING when it is stopped."""
    assert stack.emulator is not None
    stack.emulator.configure(call_seconds=60)
    try:
        yield
    finally:
        stack.emulator.settings = fast_emulator_settings()


def stop_calls(stack: EmbeddedStack) -> list[dict[str, Any]]:
    assert stack.emulator is not None
    return [c for c in stack.emulator.calls.list("bluejay") if c["path"] == "/v1/end-conversations"]


def wait_until_running(stack: EmbeddedStack, run_id: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        record = stack.get_run(run_id)
        if record and record["status"] == "RUNNING" and record.get("provider_run_id"):
            return
        time.sleep(0.25)
    raise AssertionError(f"run {run_id} never ran: {stack.get_run(run_id)}")


def test_sigterm_while_waiting_exits_within_5s_and_stops_the_run_on_the_provider(
    stack: EmbeddedStack, long_calls: None
) -> None:
    before = len(stop_calls(stack))
    waiting = subprocess.Popen(
        [AGENTSIM, "start", str(REQUEST), *aws(stack), "--wait", "--timeout", "300"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(),
    )
    try:
        assert waiting.stderr is not None
        started = next(line for line in waiting.stderr if " started; waiting" in line)
        run_id = started.split()[2]  # "agentsim: run <id> started; waiting up to ..."
        wait_until_running(stack, run_id)

        waiting.send_signal(signal.SIGTERM)
        signalled = time.monotonic()
        _, err = waiting.communicate(timeout=10)
        took = time.monotonic() - signalled
    finally:
        if waiting.poll() is None:
            waiting.kill()
            waiting.communicate()

    # the command exits within its stop budget (STOP_SECONDS, 4 s) whatever the load ...
    assert waiting.returncode == 128 + signal.SIGTERM, err
    assert took < 5
    assert f"agentsim: SIGTERM received: stopping run {run_id}" in err
    # ... and the stop it sent ends the calls on the provider and the run STOPPED (on a loaded
    # machine the API may answer after the command has given up waiting for it)
    wait_until(lambda: len(stop_calls(stack)), lambda n: n == before + 1, timeout=30)
    assert wait_until(lambda: stack.get_run(run_id) or {}, _stopped, timeout=30)


def _stopped(record: dict[str, Any]) -> bool:
    return record.get("status") == "STOPPED"


def test_a_run_past_its_timeout_is_stopped_and_exits_3(
    stack: EmbeddedStack, long_calls: None, capsys: pytest.CaptureFixture[str]
) -> None:
    before = len(stop_calls(stack))

    code = main(["start", str(REQUEST), *aws(stack), "--wait", "--timeout", "4", "--json"])

    record = json.loads(capsys.readouterr().out)
    assert code == 3
    assert record["status"] == "STOPPED"
    assert len(stop_calls(stack)) == before + 1
