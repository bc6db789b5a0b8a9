"""What GitHub and Slack are sent, from the finished (or started) event's detail alone (a run's;
the commit status of a suite's end beside a run's)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from delivery_world import GITHUB_STATES
from support import suite_details

from agentsim.delivery import messages
from agentsim.delivery.attempts import Moment

REPORT = "https://api.example/v1/simulations/run-1/report?expires=1&signature=ab12"


def detail(**changes: Any) -> dict[str, Any]:
    """A REGRESSED run's detail, as `agentsim.runs.events.finished_detail` builds it."""
    return {
        "run_id": "run-1",
        "provider": "synthflow",
        "status": "COMPLETED",
        "verdict": "REGRESSED",
        "series": "nightly/support",
        "results": {"passed": 1, "failed": 2, "total": 3, "pass_rate": 0.33},
        "verdict_reasons": ["newly failing since run-0: book, cancel"],
        "comparison": {"newly_failing": ["book", "cancel"], "newly_passing": []},
        "error": None,
        "report_url": REPORT,
        **changes,
    }


def test_the_start_is_a_pending_status_in_the_series_context() -> None:
    status = messages.github_status(Moment.STARTED, detail(status="RUNNING"), REPORT)

    assert status == {
        "state": "pending",
        "context": "agentsim/nightly/support",
        "description": "running on synthflow",
        "target_url": REPORT,
    }


Detail = Callable[..., dict[str, Any]]
KINDS = [
    pytest.param(detail, REPORT, id="run"),
    pytest.param(suite_details.detail, suite_details.REPORT, id="suite"),
]
"""A run's finished detail and a suite's, each with the report it links."""


@pytest.mark.parametrize(("finished", "report"), KINDS)
@pytest.mark.parametrize(("changes", "state"), GITHUB_STATES)
def test_the_end_is_success_failure_or_error_as_the_cli_exits(
    finished: Detail, report: str, changes: dict[str, Any], state: str
) -> None:
    assert messages.github_status(Moment.FINISHED, finished(**changes), report)["state"] == state


@pytest.mark.parametrize(
    ("finished", "report", "context", "description"),
    [
        (detail, REPORT, "agentsim/nightly/support", "REGRESSED: 1/3 passed; newly failing"),
        (
            suite_details.detail,
            suite_details.REPORT,
            "agentsim/suite/nightly",
            "REGRESSED: 2 runs, 2/4 cases passed",
        ),
    ],
    ids=["run", "suite"],
)
def test_the_end_status_has_its_context_links_the_report_and_says_the_verdict_and_counts(
    finished: Detail, report: str, context: str, description: str
) -> None:
    link = messages.run_link(finished(), None)

    status = messages.github_status(Moment.FINISHED, finished(), link)

    assert status["context"] == context
    assert status["target_url"] == report
    assert status["description"].startswith(description)


def test_an_error_status_names_the_error_class() -> None:
    failed = detail(status="FAILED", verdict="NONE", results=None, verdict_reasons=[])
    failed["error"] = {"type": "ProviderRejected", "message": "agent 12 not found"}

    assert messages.github_status(Moment.FINISHED, failed, None)["description"] == (
        "FAILED: ProviderRejected"
    )


def test_a_long_description_is_clipped_to_githubs_140_characters() -> None:
    long = detail(verdict_reasons=["x" * 500])

    description = messages.github_status(Moment.FINISHED, long, REPORT)["description"]

    assert len(description) == 140 and description.endswith("…")


def test_a_run_without_a_report_links_its_record_in_the_api() -> None:
    assert messages.run_link(detail(report_url=None), "https://api.example/v1/") == (
        "https://api.example/v1/simulations/run-1"
    )


def test_the_slack_message_names_the_verdict_the_flipped_cases_and_the_link() -> None:
    text = messages.slack_message(detail(), REPORT)["text"]

    assert "*REGRESSED*" in text and "run `run-1`" in text and "1/3 passed" in text
    assert "Newly failing: `book`, `cancel`" in text
    assert text.endswith(f"<{REPORT.replace('&', '&amp;')}|Open the report>")


def test_a_failed_run_says_its_error_in_slack() -> None:
    failed = detail(status="FAILED", verdict="NONE", comparison=None, verdict_reasons=[])
    failed["error"] = {"type": "ProviderRejected", "message": "agent <12> not found"}

    text = messages.slack_message(failed, REPORT)["text"]

    assert "*FAILED*" in text
    assert "Error: ProviderRejected: agent &lt;12&gt; not found" in text


def test_slack_markup_in_the_callers_words_is_escaped() -> None:
    text = messages.slack_message(detail(series="<!channel> & co"), None)["text"]

    assert "&lt;!channel&gt; &amp; co" in text and "<!channel>" not in text


def test_only_the_first_twenty_flipped_cases_are_listed() -> None:
    many = detail(comparison={"newly_failing": [f"case-{i}" for i in range(25)]})

    text = messages.slack_message(many, REPORT)["text"]

    assert "`case-19`" in text and "`case-20`" not in text and "and 5 more" in text


@pytest.mark.parametrize(
    ("changes", "wanted"),
    [
        ({"verdict": "REGRESSED"}, True),
        ({"verdict": "FAILED"}, True),
        ({"status": "FAILED", "verdict": "NONE"}, True),
        ({"verdict": "PASSED"}, False),
        ({"status": "TIMED_OUT", "verdict": "NONE"}, False),
    ],
)
def test_slack_is_told_of_failed_and_regressed_runs_only(
    changes: dict[str, Any], wanted: bool
) -> None:
    assert messages.slack_wanted(detail(**changes)) is wanted
