"""The polls outside the workflow as template.yaml deploys them: WaitForEnd sends the first to
the poll queue the Watch function reads, everyone may do what the chain needs, the longest wait
is one SQS delay, and a lost chain is polled by the workflow after a heartbeat that outlasts a
poll's redeliveries; read without deploying."""

from __future__ import annotations

from typing import Any

from support.stack_template import RESOURCES, STATES, TEMPLATE

from agentsim.runs.pacing import MAX_DELAY_SECONDS, WATCH_HEARTBEAT_SECONDS
from agentsim_local.embedded.workarounds import THROTTLED_RETRY_SECONDS


def properties(name: str) -> dict[str, Any]:
    found: dict[str, Any] = RESOURCES[name]["Properties"]
    return found


def test_the_end_wait_sends_its_first_poll_to_the_queue_the_watch_function_reads() -> None:
    wait = STATES["WaitForEnd"]
    machine = properties("RunSimulationStateMachine")
    watch = properties("WatchFunction")
    (source,) = watch["Events"].values()

    assert wait["Resource"] == "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
    assert wait["Parameters"]["MessageBody"]["task_token.$"] == "$$.Task.Token"
    assert machine["DefinitionSubstitutions"]["PollQueueUrl"] == {"Ref": "PollQueue"}
    assert source["Type"] == "SQS" and source["Properties"]["BatchSize"] == 1
    assert source["Properties"]["Queue"] == {"Fn::GetAtt": ["PollQueue", "Arn"]}
    assert watch["Environment"]["Variables"]["POLL_QUEUE_URL"] == {"Ref": "PollQueue"}


def test_the_machine_and_the_watch_function_may_send_to_the_queue() -> None:
    queue = {"QueueName": {"Fn::GetAtt": ["PollQueue", "QueueName"]}}
    for name in ("RunSimulationStateMachine", "WatchFunction"):
        assert {"SQSSendMessagePolicy": queue} in properties(name)["Policies"], name


def test_the_watch_function_may_answer_the_runs_wait() -> None:
    callback = [
        p for p in properties("WatchFunction")["Policies"] if "StepFunctionsCallbackPolicy" in p
    ]

    assert callback == [
        {
            "StepFunctionsCallbackPolicy": {
                "StateMachineName": {"Fn::Sub": "${AWS::StackName}-run-simulation"}
            }
        }
    ]


def test_the_longest_wait_between_polls_is_one_sqs_delay() -> None:
    for name in ("PollMinSeconds", "PollMaxSeconds"):
        assert TEMPLATE["Parameters"][name]["MaxValue"] == MAX_DELAY_SECONDS == 900, name


def test_a_lost_chain_is_polled_by_the_workflow_after_a_heartbeat_outlasting_redeliveries() -> None:
    wait = STATES["WaitForEnd"]
    queue = properties("PollQueue")
    redeliveries = queue["RedrivePolicy"]["maxReceiveCount"] * queue["VisibilityTimeout"]
    (lost,) = [c for c in wait["Catch"] if c["ErrorEquals"] == ["States.HeartbeatTimeout"]]

    assert wait["HeartbeatSeconds"] == WATCH_HEARTBEAT_SECONDS
    assert MAX_DELAY_SECONDS + redeliveries < WATCH_HEARTBEAT_SECONDS
    assert (lost["Next"], lost["ResultPath"]) == ("Poll", "$.lost")
    assert (
        STATES["Poll"]["Next"] == "IsFinished" and STATES["IsFinished"]["Default"] == "WaitForEnd"
    )


def test_a_fault_the_chain_ends_the_wait_with_becomes_the_failure_record() -> None:
    (caught,) = [c for c in STATES["WaitForEnd"]["Catch"] if c["ErrorEquals"] == ["States.ALL"]]

    assert (caught["Next"], caught["ResultPath"]) == ("RecordFailure", "$.error")


def test_the_queue_outlasts_the_watch_function_and_keeps_what_fails_every_delivery() -> None:
    # https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html: a visibility
    # timeout of at least six times the function's timeout
    queue = properties("PollQueue")
    dead = properties("PollDeadLetterQueue")

    assert queue["VisibilityTimeout"] >= 6 * properties("WatchFunction")["Timeout"]
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {
        "Fn::GetAtt": ["PollDeadLetterQueue", "Arn"]
    }
    assert queue["SqsManagedSseEnabled"] is True and dead["SqsManagedSseEnabled"] is True
    alarm = properties("PollDeadLetterAlarm")
    assert alarm["Dimensions"][0]["Value"] == {"Fn::GetAtt": ["PollDeadLetterQueue", "QueueName"]}


def test_the_local_poll_queue_hands_a_throttled_poll_back_after_the_watch_functions_timeout() -> (
    None
):
    # the local stack's workaround may not go below what Lambda accepts of an SQS event source
    assert properties("WatchFunction")["Timeout"] == THROTTLED_RETRY_SECONDS
