"""A run's execution history stays under Step Functions' 25,000-event limit in the worst case.

The worst case is computed from the ASL and the template, never assumed: every task retried as
often as its retriers allow and still succeeding, as many rounds of the workflow's own loop as
can fit (the polls follow a run outside the workflow, so a round is a chain of them lost and
noticed when WaitForEnd's heartbeat passes, or a callback wait timing out; `MaxPolls`, at its
largest allowed value, bounds them too), and the longest way out (Finish failing after its
retries, caught, recorded, published). Event counts per state follow the Step Functions
history of a Standard workflow:
https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
"""

from __future__ import annotations

import json
from typing import Any

from support.template_tables import REPO_ROOT, load_template

HISTORY_LIMIT = 25_000
ASL: dict[str, Any] = json.loads(
    (REPO_ROOT / "statemachine" / "run_simulation.asl.json").read_text()
)
STATES: dict[str, Any] = ASL["States"]
MAX_POLLS = load_template()["Parameters"]["MaxPolls"]
LOOP = ("WaitForEnd", "Poll", "IsFinished")
CALLBACK_LOOP = ("WaitForCallback", "Poll", "IsFinished")
EXECUTION_EVENTS = 2  # ExecutionStarted, ExecutionSucceeded / ExecutionFailed


def retries(state: dict[str, Any]) -> int:
    """Attempts after the first that the state's retriers allow (each retrier counts apart)."""
    return sum(int(r.get("MaxAttempts", 3)) for r in state.get("Retry", []))


def events(name: str, *, fails: bool = False) -> int:
    """History events of one visit to a state, its retries exhausted.

    A task: Entered, then Scheduled/Started/Failed per failed attempt, then Scheduled/Started/
    Succeeded and Exited (or, when it fails for good and is caught, Exited after the last Failed).
    Wait, Choice, Succeed: Entered and Exited. Fail: Entered (the execution event is counted apart).
    """
    state = STATES[name]
    kind = state["Type"]
    if kind == "Task" and state["Resource"].endswith(".waitForTaskToken"):
        # Entered, Scheduled, Started, Submitted, then Succeeded or TimedOut (caught), Exited;
        # a send that failed is Scheduled, Started, Failed.
        return 6 + 3 * retries(state)
    if kind == "Task":
        failed_attempts = retries(state) + (1 if fails else 0)
        return 2 + 3 * failed_attempts + (0 if fails else 3)
    if kind == "Fail":
        return 1
    return 2


def worst_exit() -> int:
    """The longest way from the end of the loop to the end of the execution."""
    finished_ok = (
        events("Finish")
        + events("PublishFinished")
        + events("DidComplete")
        + events("PublishRegression")
        + events("Completed")
    )
    finish_caught = (
        events("Finish", fails=True)
        + events("RecordFailure")
        + events("PublishFinished")
        + events("DidComplete")
        + events("NotCompleted")
    )
    timed_out = (
        events("TimeOut") + events("PublishFinished") + events("DidComplete") + events("Completed")
    )
    return max(finished_ok, finish_caught, timed_out)


def callback_rounds() -> int:
    """Rounds through WaitForCallback one execution can make: each either times out (its
    TimeoutSeconds) or is woken once the run's results are all in, which leaves the loop for
    Finish; one more for a wait that fails at once."""
    return ASL["TimeoutSeconds"] // STATES["WaitForCallback"]["TimeoutSeconds"] + 2


def lost_chain_rounds() -> int:
    """Chains of polls one execution can lose: each is noticed when WaitForEnd's heartbeat
    passes (then the workflow polls once itself and starts a new chain)."""
    return ASL["TimeoutSeconds"] // STATES["WaitForEnd"]["HeartbeatSeconds"] + 1


def worst_case(polls: int) -> int:
    head = events("Register") + events("AnnounceStart") + events("Start")
    loop = sum(events(name) for name in LOOP)
    callback_loop = sum(events(name) for name in CALLBACK_LOOP)
    rounds = min(polls, lost_chain_rounds() + callback_rounds())
    last_wait = events("WaitForEnd") + events("IsFinished")
    return EXECUTION_EVENTS + head + rounds * max(loop, callback_loop) + last_wait + worst_exit()


def test_the_workflows_own_loop_is_a_lost_end_wait_its_poll_and_choice() -> None:
    (lost,) = [
        c for c in STATES["WaitForEnd"]["Catch"] if "States.HeartbeatTimeout" in c["ErrorEquals"]
    ]

    assert lost["Next"] == "Poll"
    assert STATES["Poll"]["Next"] == "IsFinished"
    assert STATES["IsFinished"]["Default"] == "WaitForEnd"


def test_one_round_of_the_loop_costs_13_events_without_retries() -> None:
    plain = 6 + sum(2 + (3 if STATES[name]["Type"] == "Task" else 0) for name in LOOP[1:])

    assert plain == 13
    retried = 3 * (retries(STATES["WaitForEnd"]) + retries(STATES["Poll"]))
    assert sum(events(name) for name in LOOP) == plain + retried


def test_a_woken_callback_wait_finishes_and_one_timed_out_or_failed_polls() -> None:
    wait = STATES["WaitForCallback"]

    assert wait["Next"] == "Finish"  # woken: every expected result is in
    assert wait["Catch"] == [
        {"ErrorEquals": ["States.ALL"], "ResultPath": "$.wake", "Next": "Poll"}
    ]
    assert wait["ResultPath"] == "$.wake"  # the poll step's count and history go on unchanged


def test_the_largest_allowed_max_polls_stays_under_the_history_limit() -> None:
    assert worst_case(MAX_POLLS["MaxValue"]) <= HISTORY_LIMIT


def test_the_default_max_polls_is_within_the_allowed_range() -> None:
    assert MAX_POLLS["MinValue"] <= MAX_POLLS["Default"] <= MAX_POLLS["MaxValue"]
