"""The suite workflow's ASL: each run started as a run workflow named after it, at most the
suite's concurrency per provider, with the permissions to do so, every outcome published and a
regression announced; read from the ASL and template.yaml without deploying."""

from __future__ import annotations

from support.stack_template import RESOURCES, suite_states


def test_the_suite_machine_starts_each_run_as_a_run_workflow_named_after_it() -> None:
    run_child = suite_states()["RunChild"]

    assert run_child["Resource"] == "arn:aws:states:::states:startExecution.sync:2"
    assert run_child["Arguments"]["StateMachineArn"] == "${RunSimulationArn}"
    assert run_child["Arguments"]["Name"] == "{% $states.input.run_id %}"
    assert run_child["Catch"][0]["Next"] == "ChildDone"  # a run that failed is the suite's verdict


def test_a_suite_runs_at_most_its_concurrency_per_provider() -> None:
    states = suite_states()

    assert states["RunProviders"]["Items"] == "{% $states.input.groups %}"
    assert states["RunChildren"]["MaxConcurrency"] == "{% $states.input.concurrency %}"


def test_the_suite_machine_may_invoke_its_step_and_start_runs() -> None:
    policies = RESOURCES["RunSuiteStateMachine"]["Properties"]["Policies"]

    assert {"LambdaInvokePolicy": {"FunctionName": {"Ref": "SuiteStepFunction"}}} in policies
    started = [
        p["StepFunctionsExecutionPolicy"] for p in policies if "StepFunctionsExecutionPolicy" in p
    ]
    assert started == [{"StateMachineName": {"Fn::GetAtt": ["RunSimulationStateMachine", "Name"]}}]


def test_every_suite_outcome_is_published_and_a_regression_announced() -> None:
    states = suite_states()

    assert states["Finish"]["Next"] == states["RecordFailure"]["Next"] == "PublishFinished"
    assert states["PublishFinished"]["Arguments"]["Entries"][0]["DetailType"] == "SuiteRunFinished"
    assert states["PublishRegression"]["Arguments"]["Entries"][0]["DetailType"] == (
        "RegressionDetected"
    )
