"""A composite action's steps run on this machine as a GitHub runner runs them: each `run:` step
in `bash --noprofile --norc -eo pipefail`, with the variables a runner sets (`GITHUB_OUTPUT` and
`GITHUB_STEP_SUMMARY` fresh for each step, `GITHUB_EVENT_PATH`, `RUNNER_TEMP`, ...), and the
`${{ }}` expressions the action uses (`inputs.*`, `steps.<id>.outputs.*`, `github.action_path`,
`github.token`) filled in. `uses:` steps (setup-python) are not run: the caller gives the
`agentsim` input instead. Anything else in an expression fails the test: the runner here is only
as wide as the action needs, and says so.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]


@dataclass
class StepRun:
    name: str
    returncode: int
    stdout: str
    stderr: str
    outputs: dict[str, str]


@dataclass
class ActionRun:
    steps: list[StepRun] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    step_summary: str = ""

    @property
    def returncode(self) -> int:
        """The job step's status: the first failing step's (composite steps stop there)."""
        return next((s.returncode for s in self.steps if s.returncode), 0)


def parse_github_output(text: str) -> dict[str, str]:
    """`$GITHUB_OUTPUT` as the runner reads it: `name=value` lines and `name<<DELIMITER` blocks."""
    outputs: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        heredoc = re.match(r"^([^=]+)<<(.+)$", line)
        if heredoc:
            name, delimiter = heredoc.groups()
            value = []
            for inner in lines:
                if inner == delimiter:
                    break
                value.append(inner)
            outputs[name] = "\n".join(value)
        elif "=" in line:
            name, value_text = line.split("=", 1)
            outputs[name] = value_text
    return outputs


def run_action(
    action_path: Path,
    inputs: dict[str, str],
    *,
    env: dict[str, str],
    workspace: Path,
    runner_temp: Path,
    github_token: str,
    timeout: float = 300,
) -> ActionRun:
    """Run the action at `action_path/action.yml` with `inputs` and the runner variables `env`
    (`github_token` is the job's `github.token`)."""
    action = yaml.safe_load((action_path / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    given = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    unknown = set(inputs) - set(given)
    assert not unknown, f"not inputs of the action: {unknown}"
    context: dict[str, Any] = {
        "token": github_token,
        "action_path": str(action_path),
        "steps": {},
    }
    given = {name: _expand(value, {**context, "inputs": {}}) for name, value in given.items()}
    context["inputs"] = {**given, **inputs}
    run = ActionRun()
    for index, step in enumerate(action["runs"]["steps"]):
        if "uses" in step:
            run.skipped.append(step["uses"])
            continue
        assert step.get("shell") == "bash", step
        assert "if" not in step, "conditions on run steps are not evaluated here"
        assert not EXPRESSION.search(step["run"]), "expressions belong in env:, not in scripts"
        output = runner_temp / f"output-{index}"
        summary = runner_temp / f"step-summary-{index}"
        output.write_text("")  # a runner gives every step files of its own
        summary.write_text("")
        step_env = {k: _expand(str(v), context) for k, v in (step.get("env") or {}).items()}
        script = runner_temp / f"step-{index}.sh"
        script.write_text(step["run"])
        done = subprocess.run(
            [*BASH, str(script)],
            env={
                **env,
                **step_env,
                "GITHUB_OUTPUT": str(output),
                "GITHUB_STEP_SUMMARY": str(summary),
                "GITHUB_ACTION_PATH": str(action_path),
            },
            cwd=workspace,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        outputs = parse_github_output(output.read_text())
        if step.get("id"):
            context["steps"][step["id"]] = {"outputs": outputs}
        run.steps.append(
            StepRun(step.get("name", ""), done.returncode, done.stdout, done.stderr, outputs)
        )
        run.step_summary += summary.read_text()
        if done.returncode:
            break
    run.outputs = {
        name: _expand(str(spec["value"]), context) for name, spec in action["outputs"].items()
    }
    return run


def _expand(text: str, context: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        expression = match.group(1)
        if expression == "github.token":
            return str(context["token"])
        if expression == "github.action_path":
            return str(context["action_path"])
        inputs = re.fullmatch(r"inputs\.([\w-]+)", expression)
        if inputs:
            return str(context["inputs"][inputs.group(1)])
        outputs = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression)
        if outputs:
            step = context["steps"].get(outputs.group(1), {"outputs": {}})
            return str(step["outputs"].get(outputs.group(2), ""))
        raise AssertionError(f"an expression this runner does not evaluate: {expression}")

    return EXPRESSION.sub(value, text)


def runner_env(
    *,
    home: Path,
    workspace: Path,
    runner_temp: Path,
    event_path: Path,
    event_name: str,
    api_url: str,
    repository: str,
) -> dict[str, str]:
    """What a runner's environment holds, and nothing of this machine's but PATH."""
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_API_URL": api_url,
        "GITHUB_SERVER_URL": api_url.rsplit("/api/", 1)[0],
        "GITHUB_REPOSITORY": repository,
        "GITHUB_EVENT_PATH": str(event_path),
        "GITHUB_EVENT_NAME": event_name,
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_SHA": "6dcb09b5b57875f334f61aebed695e2e4193db5e",
        "GITHUB_REF": "refs/pull/7/merge",
        "GITHUB_RUN_ID": "1",
        "RUNNER_TEMP": str(runner_temp),
        "RUNNER_OS": "Linux",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
