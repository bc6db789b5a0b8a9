"""The Markdown summary (for the job page and the PR comment), the step summary it is appended
to, and the GitHub step outputs: what they say, and that third-party text cannot inject
markup, mentions or other outputs."""

from __future__ import annotations

import argparse
from pathlib import Path

from support.actions_runner import parse_github_output
from support.ci_records import RUN_ID, case, cases, record

from agentsim_local.outcome import judge
from agentsim_local.reports import Reports
from agentsim_local.reports.cases import cases_of
from agentsim_local.reports.summary import summary_markdown


def markdown(**overrides: object) -> str:
    run = record(**overrides)
    return summary_markdown(run, cases_of(cases()), judge(run))


def test_the_headline_says_the_verdict_and_why() -> None:
    text = markdown()

    assert text.splitlines()[0] == "### ❌ agentsim bluejay: FAILED"
    assert "**FAILED: 2 of 3 graded cases passed (67 %), gate min\\_pass\\_rate 0.9**" in text


def test_the_gate_row_names_the_rule_and_the_pass_rate() -> None:
    assert "| Gate | min\\_pass\\_rate 0.9; pass rate 67 % (2 of 3 graded) |" in markdown()


def test_without_a_gate_every_graded_case_must_pass() -> None:
    text = markdown(verdict="PASSED", request={"provider": "bluejay"})

    assert "| Gate | not set: every graded case must pass" in text


def test_each_case_is_a_row_with_its_result_and_why() -> None:
    text = markdown()

    assert "| Case | Result | Why |" in text
    assert (
        "| Impatient caller ([recording](http://127.0.0.1:43315/_emulator/media/bluejay/"
        "results/90003/audio.wav)) | ❌ failed | The agent did not achieve: Caller calmed down "
        "and refund explained. |"
    ) in text


def test_the_report_link_is_shown_when_the_record_has_one() -> None:
    text = markdown(report_url="https://reports.example/runs/1")

    assert "| Report | [open the report](https://reports.example/runs/1) |" in text


def test_no_report_row_without_a_report_url() -> None:
    assert "| Report |" not in markdown()


def test_the_comparison_with_the_baseline_is_shown_when_the_record_has_one() -> None:
    text = markdown(comparison={"baseline_run_id": "run-0", "pass_rate_delta": -0.33})

    assert "#### Compared with the baseline" in text
    assert "| baseline\\_run\\_id | run-0 |" in text
    assert "| pass\\_rate\\_delta | -0.33 |" in text


def test_provider_text_cannot_inject_markup_links_or_mentions() -> None:
    hostile = '<img src="https://x.example/p.gif"> | [click](javascript:alert(1)) @octocat\nnew row'
    run = record()
    items = [case(1, "**Bold** `name`", "FAILED", hostile)]

    text = summary_markdown(run, cases_of(items), judge(run))

    row = next(line for line in text.splitlines() if line.startswith("| \\*\\*Bold"))
    assert "<img" not in row
    assert "&lt;img" in row
    assert "\\| \\[click\\](javascript:alert(1))" in row
    assert "@\u200boctocat" in row
    assert "new row" in row  # the line break stayed inside the cell


def test_a_recording_url_that_is_not_http_makes_no_link() -> None:
    run = record()
    items = [case(1, "Caller", "PASSED", "ok", recording_url="javascript:alert(1)")]

    text = summary_markdown(run, cases_of(items), judge(run))

    assert "recording" not in text


def test_a_url_cannot_end_its_link_early() -> None:
    run = record()
    items = [case(1, "Caller", "PASSED", "ok", recording_url="https://x.example/a) [b](c")]

    text = summary_markdown(run, cases_of(items), judge(run))

    assert "[recording](https://x.example/a%29%20%5Bb%5D%28c)" in text


def test_the_summary_is_appended_to_the_github_step_summary(tmp_path: Path) -> None:
    step_summary = tmp_path / "step-summary.md"
    step_summary.write_text("earlier step\n")
    reports = Reports.from_args(
        argparse.Namespace(), env={"GITHUB_STEP_SUMMARY": str(step_summary)}
    )

    reports.write(record(), judge(record()), cases)

    text = step_summary.read_text()
    assert text.startswith("earlier step\n### ❌ agentsim bluejay: FAILED")


def test_cases_are_not_read_when_no_report_needs_them(tmp_path: Path) -> None:
    reports = Reports(github_output=tmp_path / "out")

    def unread() -> list[dict[str, object]]:
        raise AssertionError("cases read")

    reports.write(record(), judge(record()), unread)

    assert (tmp_path / "out").exists()


def test_step_outputs_name_the_run_and_a_value_cannot_forge_another(tmp_path: Path) -> None:
    path = tmp_path / "github-output"

    Reports(github_output=path).write(
        record(report_url="https://r.example/1\nverdict=PASSED"), judge(record()), list
    )

    outputs = parse_github_output(path.read_text())
    assert outputs["run-id"] == RUN_ID
    assert outputs["verdict"] == "FAILED"
    assert outputs["status"] == "COMPLETED"
    assert outputs["report-url"] == "https://r.example/1\nverdict=PASSED"


def test_a_repeated_case_shows_how_many_of_its_attempts_passed() -> None:
    attempts = [
        {"case_key": "Polite caller", "attempts": 3, "passed": 2, "failed": 1, "result": True},
        {"case_key": "Confused caller", "attempts": 3, "passed": 1, "failed": 2, "result": False},
    ]

    text = markdown(attempts=attempts, min_passes=2)

    assert "#### Attempts (a case passes with 2 passing)" in text
    assert "| Polite caller | 2 of 3 | ✅ passed |" in text
    assert "| Confused caller | 1 of 3 | ❌ failed |" in text


def test_a_run_attempting_each_case_once_has_no_attempts_table() -> None:
    once = [{"case_key": "Polite caller", "attempts": 1, "passed": 1, "failed": 0, "result": True}]

    assert "Attempts" not in markdown(attempts=once, min_passes=1)
