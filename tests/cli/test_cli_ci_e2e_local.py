"""The GitHub Action end to end: its steps run as a runner runs them, against the real template
in a local AWS with the provider emulator and the emulated GitHub API, on a pull request whose
gate first fails, then passes: the job's outcome, its outputs, its step summary and JUnit file,
and one comment of its own, edited the second time.

The stack is the one the CI modules share (tests/cli/conftest.py); each run it starts is a
Bluejay run of the sample request (`support.ci_local.REQUEST`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from support.actions_runner import ActionRun, run_action, runner_env
from support.ci_local import AGENTSIM, REQUEST, only_suite

from agentsim_local.embedded import EmbeddedStack
from agentsim_local.embedded.stack import REPO_ROOT
from agentsim_local.github import marker

pytestmark = pytest.mark.e2e

REPOSITORY = "octo-org/voice-agent"
TOKEN = "ghs_action_token"


@dataclass(frozen=True)
class ActionRuns:
    first: ActionRun
    comments_after_first: list[dict[str, Any]]
    second: ActionRun
    comments_after_second: list[dict[str, Any]]
    junit: Path


def pr_comments(stack: EmbeddedStack) -> list[dict[str, Any]]:
    assert stack.emulator is not None
    answer = httpx.get(
        f"{stack.emulator.github_api_url}/repos/{REPOSITORY}/issues/7/comments",
        headers={"Authorization": "Bearer reader"},
    )
    comments: list[dict[str, Any]] = answer.json()
    return comments


@pytest.fixture(scope="module")
def action_runs(stack: EmbeddedStack, tmp_path_factory: pytest.TempPathFactory) -> ActionRuns:
    """The action run twice on pull request 7: a gate that fails (0.9), then one that passes."""
    assert stack.emulator is not None
    root = tmp_path_factory.mktemp("action")
    workspace, runner_temp, home = root / "workspace", root / "runner-temp", root / "home"
    for folder in (workspace, runner_temp, home):
        folder.mkdir()
    event = root / "event.json"
    event.write_text(
        json.dumps({"action": "synchronize", "number": 7, "pull_request": {"number": 7}})
    )
    env = runner_env(
        home=home,
        workspace=workspace,
        runner_temp=runner_temp,
        event_path=event,
        event_name="pull_request",
        api_url=stack.emulator.github_api_url,
        repository=REPOSITORY,
    )
    # someone else's comment on the pull request, which the action must leave alone
    httpx.post(
        f"{stack.emulator.github_api_url}/repos/{REPOSITORY}/issues/7/comments",
        json={"body": "Looks good; waiting for the simulation."},
        headers={"Authorization": "Bearer reviewer"},
    )
    inputs = {
        "request": str(REQUEST),
        "stack": stack.stack_name,
        "endpoint-url": stack.endpoint_url,
        "timeout": "120",
        "agentsim": AGENTSIM,
    }

    def run(min_pass_rate: str) -> ActionRun:
        return run_action(
            REPO_ROOT,
            {**inputs, "min-pass-rate": min_pass_rate},
            env=env,
            workspace=workspace,
            runner_temp=runner_temp,
            github_token=TOKEN,
        )

    first = run("0.9")
    after_first = pr_comments(stack)
    second = run("0.5")
    return ActionRuns(
        first, after_first, second, pr_comments(stack), workspace / "agentsim-junit.xml"
    )


def ours(comments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c for c in comments if marker(str(REQUEST)) in c["body"]]


def test_the_action_fails_the_job_when_the_gate_fails(action_runs: ActionRuns) -> None:
    first = action_runs.first

    assert first.returncode == 1, [s.stderr[-1500:] for s in first.steps]
    assert first.outputs["exit-code"] == "1"
    assert first.outputs["verdict"] == "FAILED"
    assert "::error title=agentsim::" in first.steps[-1].stdout


def test_the_action_posts_its_comment_even_when_the_gate_fails(action_runs: ActionRuns) -> None:
    (comment,) = ours(action_runs.comments_after_first)

    assert "### ❌ agentsim bluejay: FAILED" in comment["body"]


def test_the_action_edits_its_comment_the_second_time(action_runs: ActionRuns) -> None:
    (first,) = ours(action_runs.comments_after_first)
    (second,) = ours(action_runs.comments_after_second)

    assert second["id"] == first["id"]
    assert "### ✅ agentsim bluejay: PASSED" in second["body"]
    assert len(action_runs.comments_after_second) == 2  # ours and the reviewer's, untouched
    assert "updated comment" in action_runs.second.steps[2].stdout


def test_the_action_passes_the_job_when_the_gate_passes(action_runs: ActionRuns) -> None:
    assert action_runs.second.returncode == 0
    assert action_runs.second.outputs["verdict"] == "PASSED"


def test_the_action_outputs_the_run_id(action_runs: ActionRuns, stack: EmbeddedStack) -> None:
    run_id = action_runs.second.outputs["run-id"]

    assert stack.get_run(run_id)["verdict"] == "PASSED"  # type: ignore[index]
    assert run_id != action_runs.first.outputs["run-id"]


def test_the_action_writes_the_step_summary_and_the_junit_file(action_runs: ActionRuns) -> None:
    assert action_runs.second.step_summary.startswith("### ✅ agentsim bluejay: PASSED")
    assert action_runs.second.outputs["junit"] == "agentsim-junit.xml"
    assert only_suite(action_runs.junit).tests == 3


def test_the_action_sets_up_python_only_as_its_one_foreign_step(action_runs: ActionRuns) -> None:
    assert action_runs.first.skipped == ["actions/setup-python@v5"]
