"""The per-case outcome summary a run record keeps: k of n per case, compact enough that a
500-case run with the largest request still fits its record in one DynamoDB item."""

from __future__ import annotations

from support.records import START
from support.run_requests import bluejay_request

from agentsim.runs.envelope import parse_request
from agentsim.runs.outcomes import MAX_KEY, CaseOutcomes, Tally, short_key
from agentsim.runs.record import Change, Origin, RunRecord, RunStatus
from agentsim.runs.run_store import DynamoRunStore
from agentsim.runs.views import RunView


def test_attempts_are_grouped_under_their_case_key() -> None:
    outcomes = CaseOutcomes.of([("a", True), ("b", None), ("a", False), ("a", True)], 2)

    assert outcomes.cases == {
        "a": Tally(passed=2, failed=1, attempts=3),
        "b": Tally(passed=0, failed=0, attempts=1),
    }


def test_a_case_no_attempt_of_which_was_graded_has_no_result() -> None:
    assert CaseOutcomes.of([("a", None), ("b", True)]).results() == {"b": True}


def test_a_case_graded_fewer_times_than_min_passes_needs_every_graded_attempt() -> None:
    outcomes = CaseOutcomes.of([("a", True), ("a", None), ("b", True), ("b", False)], 3)

    assert outcomes.results() == {"a": True, "b": False}


def test_each_case_is_stored_as_one_compact_string() -> None:
    stored = CaseOutcomes.of([("a", True), ("a", False)], 2).model_dump(mode="json")

    assert stored == {"min_passes": 2, "cases": {"a": "1/1/2"}}
    assert CaseOutcomes.model_validate(stored).cases["a"] == Tally(passed=1, failed=1, attempts=2)


def test_a_long_case_key_is_shortened_to_a_prefix_and_a_digest() -> None:
    one, other = "x" * 300, "x" * 299 + "y"

    assert len(short_key(one)) == MAX_KEY
    assert short_key(one).startswith("x" * 100)
    assert short_key(one) != short_key(other)
    assert short_key("short") == "short"


def test_a_500_case_run_with_long_keys_and_the_largest_request_fits_its_item(
    runs: DynamoRunStore,
) -> None:
    request = parse_request(
        bluejay_request(simulation={"agent_id": "12", "description": "d" * 125_000})
    )
    runs.create(RunRecord.new("big", Origin.WEBHOOK, START, request=request))
    attempts = [(f"case {n:03d} " + "k" * 400, n % 3 != 0) for n in range(500) for _ in range(3)]
    outcomes = CaseOutcomes.of(attempts, 2)

    stored = runs.change("big", Change.move(RunStatus.COMPLETED, outcomes=outcomes))

    assert stored.outcomes is not None
    assert len(stored.outcomes.cases) == 500
    assert stored.outcomes.results() == outcomes.results()


def test_the_run_view_shows_each_case_attempts_and_result() -> None:
    record = RunRecord.new("r", Origin.WEBHOOK, START, request=parse_request(bluejay_request()))
    record.outcomes = CaseOutcomes.of([("a", True), ("a", False), ("a", True)], 2)

    view = RunView.of(record).model_dump(mode="json")

    assert (view["min_passes"], view["attempts"]) == (
        2,
        [{"case_key": "a", "attempts": 3, "passed": 2, "failed": 1, "result": True}],
    )
