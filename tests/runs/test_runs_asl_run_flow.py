"""The run workflow's ASL as template.yaml deploys it: a bounded Standard machine whose every
placeholder is substituted, whose tasks end in the failure record, whose outcomes are published
on the bus, and whose callback wait matches the layer's safety net; read without deploying."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.stack_template import ASL, ASL_PATH, RESOURCES, STATES, SUITE_ASL_PATH
from support.template_tables import REPO_ROOT

from agentsim.runs.pacing import CALLBACK_SAFETY_SECONDS


@pytest.mark.parametrize(
    ("resource", "asl_path"),
    [
        ("RunSimulationStateMachine", ASL_PATH),
        ("RunSuiteStateMachine", SUITE_ASL_PATH),
    ],
)
def test_state_machine_is_standard_and_every_placeholder_is_substituted(
    resource: str, asl_path: Path
) -> None:
    machine = RESOURCES[resource]["Properties"]
    placeholders = set(re.findall(r"\$\{(\w+)\}", asl_path.read_text()))

    assert machine["Type"] == "STANDARD"
    assert (REPO_ROOT / machine["DefinitionUri"]) == asl_path
    assert placeholders == set(machine["DefinitionSubstitutions"])


def test_every_lambda_the_machine_invokes_may_be_invoked() -> None:
    machine = RESOURCES["RunSimulationStateMachine"]["Properties"]
    invokable = {
        p["LambdaInvokePolicy"]["FunctionName"]["Ref"]
        for p in machine["Policies"]
        if "LambdaInvokePolicy" in p
    }
    substituted = {
        v["Fn::GetAtt"][0] for v in machine["DefinitionSubstitutions"].values() if "Fn::GetAtt" in v
    }

    assert substituted == invokable


def test_machine_and_loop_are_bounded() -> None:
    choice = STATES["IsFinished"]

    assert ASL["TimeoutSeconds"] > 24 * 3600  # beyond the longest run's own deadline
    assert STATES["WaitForEnd"]["Parameters"]["DelaySeconds.$"] == "$.poll.wait_seconds"
    assert any(
        c.get("NumericGreaterThanEqualsPath") == "$.run.max_polls" for c in choice["Choices"]
    )


@pytest.mark.parametrize("state", ["Register", "Start", "Poll", "Finish", "TimeOut"])
def test_task_failures_end_in_the_failure_record(state: str) -> None:
    assert STATES[state]["Catch"] == [
        {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "RecordFailure"}
    ]


def test_every_outcome_is_published_through_the_events_integration() -> None:
    publish = STATES["PublishFinished"]

    assert publish["Resource"] == "arn:aws:states:::events:putEvents"
    assert publish["Parameters"]["Entries"][0]["DetailType"] == "SimulationRunFinished"
    for state in ("Finish", "TimeOut", "RecordFailure"):
        assert STATES[state]["Next"] == "PublishFinished"


def test_a_regressed_run_is_also_announced_as_regression_detected() -> None:
    (regressed,) = [
        c for c in STATES["DidComplete"]["Choices"] if c.get("StringEquals") == "REGRESSED"
    ]
    publish = STATES[regressed["Next"]]

    assert regressed["Variable"] == "$.outcome.detail.verdict"
    (entry,) = publish["Parameters"]["Entries"]
    assert (entry["DetailType"], entry["Detail.$"]) == ("RegressionDetected", "$.outcome.detail")
    assert publish["Next"] == "Completed"


def test_the_callback_wait_times_out_after_the_safety_net_the_layer_assumes() -> None:
    wait = STATES["WaitForCallback"]

    assert wait["Resource"] == "arn:aws:states:::lambda:invoke.waitForTaskToken"
    assert wait["TimeoutSeconds"] == CALLBACK_SAFETY_SECONDS
    assert wait["Parameters"]["Payload"]["task_token.$"] == "$$.Task.Token"


def test_only_a_poll_that_asks_for_it_waits_for_a_callback() -> None:
    (choice,) = [c for c in STATES["IsFinished"]["Choices"] if c.get("Next") == "WaitForCallback"]

    assert (choice["Variable"], choice["BooleanEquals"]) == ("$.poll.callback", True)
    assert STATES["IsFinished"]["Default"] == "WaitForEnd"
    assert STATES["Poll"]["Parameters"]["Payload"]["history.$"] == "$.poll.history"
