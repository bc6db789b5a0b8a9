"""`agentsim local run` end to end: the real template in a local AWS, the provider emulator.

Deploying takes a while, so one stack serves every in-process test of this module; the
console-script path (a fresh deployment in a subprocess) is tested once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from agentsim_local.cli import main
from agentsim_local.commands.local import local_run, local_runs
from agentsim_local.demo import PLAN, REQUESTS, demo
from agentsim_local.embedded import EmbeddedStack
from agentsim_local.embedded.stack import Trigger
from agentsim_local.errors import CliError
from agentsim_local.expectations import Expectation, expectation_path
from agentsim_local.local_stack import open_stack
from agentsim_local.reports import Reports
from agentsim_local.run_view import RunView

pytestmark = pytest.mark.e2e

PROVIDER_REQUESTS = ["omnidimension", "bluejay", "synthflow", "synthflow-case"]


@pytest.fixture(scope="module")
def stack() -> Iterator[EmbeddedStack]:
    with open_stack() as deployed:
        yield deployed


def run_json(
    capsys: pytest.CaptureFixture[str], stack: EmbeddedStack, path: Path, trigger: Trigger
) -> tuple[int, dict[str, object]]:
    code = local_run(str(path), trigger=trigger, as_json=True, timeout=120, stack=stack)
    record = json.loads(capsys.readouterr().out)
    assert isinstance(record, dict)
    return code, record


@pytest.mark.parametrize("name", PROVIDER_REQUESTS)
def test_webhook_run_ends_as_its_expectation_says(
    capsys: pytest.CaptureFixture[str], stack: EmbeddedStack, name: str
) -> None:
    path = REQUESTS / f"{name}.json"

    code, record = run_json(capsys, stack, path, "webhook")

    view = RunView.of(record)
    assert Expectation.load(expectation_path(path)).mismatches(view) == []
    assert record["trigger"] == "webhook"
    assert code == (0 if view.verdict != "FAILED" else 1)


@pytest.mark.parametrize("trigger", ["schedule", "event"])
def test_each_trigger_starts_and_finishes_a_run(
    capsys: pytest.CaptureFixture[str], stack: EmbeddedStack, trigger: Trigger
) -> None:
    path = REQUESTS / "bluejay.json"

    code, record = run_json(capsys, stack, path, trigger)

    assert record["trigger"] == trigger
    assert record["provider"] == "bluejay"
    assert Expectation.load(expectation_path(path)).mismatches(RunView.of(record)) == []
    assert code == 0


def test_human_output_is_the_record_as_a_table(
    capsys: pytest.CaptureFixture[str], stack: EmbeddedStack
) -> None:
    code = local_run(str(REQUESTS / "synthflow-case.json"), stack=stack, timeout=120)

    out, err = capsys.readouterr()
    assert code == 0
    assert "COMPLETED" in out
    assert "synthflow" in out
    assert "synthflow/webhook" in err  # progress goes to stderr


def test_an_invalid_envelope_is_refused_naming_the_field(
    stack: EmbeddedStack, tmp_path: Path
) -> None:
    path = tmp_path / "bad-gate.json"
    path.write_text(
        json.dumps({"provider": "bluejay", "simulation_id": "1", "gate": {"min_pass_rate": 2}})
    )

    with pytest.raises(CliError, match="min_pass_rate") as refused:
        local_run(str(path), stack=stack, timeout=30)

    assert "\n" not in str(refused.value)


def test_demo_runs_meet_their_expectations_in_a_shared_stack(
    capsys: pytest.CaptureFixture[str], stack: EmbeddedStack
) -> None:
    code = demo(stack=stack, timeout=120)

    out = capsys.readouterr().out
    assert code == 0, out
    assert "Wall time:" in out
    for run in PLAN:
        assert run.label in out


def test_api_gateway_serves_the_template_stage(stack: EmbeddedStack) -> None:
    body = (REQUESTS / "bluejay.json").read_bytes()
    headers = {"Content-Type": "application/json", **stack.signed_headers(body)}

    response = httpx.post(f"{stack.api_url}simulations", content=body, headers=headers, timeout=60)

    assert response.status_code == 202, response.text
    run_id = response.json()["run_id"]
    # template.yaml's AgentsimApi has StageName: v1; API Gateway's Location carries it
    assert response.headers["Location"] == f"/v1/simulations/{run_id}"
    assert stack.wait(run_id, timeout=120)["status"] == "COMPLETED"


def test_deployed_commands_work_against_the_local_stack(
    capsys: pytest.CaptureFixture[str], stack: EmbeddedStack
) -> None:
    # the stack's ApiUrl output, reached through the endpoint: no --api-url needed
    aws = ["--stack", stack.stack_name, "--endpoint-url", stack.endpoint_url]
    assert main(["start", str(REQUESTS / "bluejay.json"), *aws]) == 0
    run_id = capsys.readouterr().out.strip()

    assert main(["status", run_id, *aws, "--watch", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["run_id"] == run_id
    assert record["status"] == "COMPLETED"

    assert main(["runs", *aws]) == 0
    assert run_id in capsys.readouterr().out


def test_console_script_prints_pure_json_on_stdout() -> None:
    env = {**os.environ, "AWS_DEFAULT_REGION": "us-east-1"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "agentsim_local.cli",
            "local",
            "run",
            str(REQUESTS / "synthflow-case.json"),
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
        check=False,
    )

    assert done.returncode == 0, done.stderr[-2000:]
    record = json.loads(done.stdout)
    assert record["status"] == "COMPLETED"
    assert "Traceback" not in done.stderr


def test_several_requests_run_in_order_and_the_follow_up_compares_with_the_first(
    capsys: pytest.CaptureFixture[str], stack: EmbeddedStack, tmp_path: Path
) -> None:
    request = json.loads((REQUESTS / "bluejay.json").read_text())
    request["series"] = f"follow-up-{tmp_path.name}"
    path = tmp_path / "bluejay.json"
    path.write_text(json.dumps(request))

    code = local_runs([str(path), str(path)], as_json=True, timeout=120, stack=stack)

    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert code == 0
    assert first["comparison"] is None
    assert second["comparison"]["baseline_run_id"] == first["run_id"]


def test_a_case_failing_the_second_time_regresses_the_run_and_exits_1(
    capsys: pytest.CaptureFixture[str], stack: EmbeddedStack, tmp_path: Path
) -> None:
    request = json.loads((REQUESTS / "bluejay.json").read_text())
    request["series"] = f"regression-{tmp_path.name}"
    request["gate"] = {"min_pass_rate": 0.3, "fail_on_new_failures": True}
    path = tmp_path / "bluejay.json"
    path.write_text(json.dumps(request))
    assert stack.emulator is not None
    failing = stack.emulator.url + "/_emulator/failing-cases"
    assert run_json(capsys, stack, path, "webhook")[0] == 0

    httpx.put(failing, json={"names": ["Polite caller"]}).raise_for_status()
    try:
        code, record = run_json(capsys, stack, path, "webhook")
    finally:
        httpx.put(failing, json={"names": []}).raise_for_status()

    assert (code, record["verdict"]) == (1, "REGRESSED")
    assert record["comparison"]["newly_failing"] == ["Polite caller"]


def test_a_suite_file_runs_whole_with_a_junit_testsuite_per_run(
    capsys: pytest.CaptureFixture[str], stack: EmbeddedStack, tmp_path: Path
) -> None:
    junit = tmp_path / "junit.xml"
    path = REQUESTS / "regression-suite.json"

    code = local_run(
        str(path), as_json=True, timeout=180, stack=stack, reports=Reports(junit=junit)
    )

    record = json.loads(capsys.readouterr().out)
    assert code == 0, record
    assert (record["status"], record["verdict"]) == ("COMPLETED", "PASSED")
    assert [run["provider"] for run in record["runs"]] == ["bluejay", "synthflow", "omnidimension"]
    suites = ET.parse(junit).getroot().findall("testsuite")
    assert len(suites) == 3
