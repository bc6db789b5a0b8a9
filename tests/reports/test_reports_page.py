"""The report page is a pure function of the run, its cases and its series: one document with
no script and no outside asset, every third-party text escaped."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

from support.report_records import T0, case, cases, regressed_run

from agentsim.reports.page import refused_page, report_page
from agentsim.reports.parts import badge
from agentsim.reports.trend import TrendPoint
from agentsim.runs.record import RunStatus, Verdict


class Tags(HTMLParser):
    """Every start tag of a document, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(page)
    return parser.tags


def trend() -> list[TrendPoint]:
    return [
        TrendPoint("run-0", T0 - timedelta(days=2), 1.0),
        TrendPoint("run-1", T0 - timedelta(days=1), 2 / 3),
        TrendPoint("run-2", T0, 1 / 3),
    ]


def page() -> str:
    return report_page(regressed_run(), cases(), trend())


def test_a_hostile_transcript_is_text_not_markup() -> None:
    html = page()

    assert "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in html
    assert [t for t, _ in tags(html)].count("script") == 0
    assert not any(t == "img" for t, _ in tags(html))


def test_the_page_loads_nothing_from_outside() -> None:
    sources = [a.get("src") for _, a in tags(page()) if a.get("src")]

    assert sources == ["https://media.example/1.wav"]  # the recording, played on request only
    assert [a["href"] for t, a in tags(page()) if t == "link"] == ["data:,"]
    assert "script-src" not in page() and "default-src 'none'" in page()


def test_the_badge_shows_the_verdict_of_a_completed_run() -> None:
    assert 'data-verdict="REGRESSED"' in badge(regressed_run())
    assert "bad" in badge(regressed_run())
    assert 'data-verdict="TIMED_OUT"' in badge(regressed_run(status=RunStatus.TIMED_OUT))
    assert "good" in badge(regressed_run(verdict=Verdict.PASSED, comparison=None))


def test_flipped_cases_come_first_then_flaky_ones() -> None:
    rows = re.findall(r'<tr data-case="([^"]+)"', page())

    assert rows == ["Polite caller", "Angry caller", "Booking"]


def test_the_gate_says_why_the_run_regressed() -> None:
    html = page()

    assert "min_pass_rate: 0.3" in html
    assert "newly failing since run-1: Polite caller" in html


def test_only_web_urls_become_players_or_links() -> None:
    html = page()

    assert "javascript:" not in html
    assert html.count("<audio") == 1


def test_the_trend_marks_the_baseline_and_this_run() -> None:
    circles = {a["data-run"]: a["class"] for t, a in tags(page()) if t == "circle"}

    assert circles == {"run-0": "point", "run-1": "point baseline", "run-2": "point current"}


def test_repeated_attempts_of_a_case_are_numbered() -> None:
    repeated = [case(1, "Booking", "PASSED"), case(2, "Booking", "FAILED")]

    html = report_page(regressed_run(comparison=None), repeated, [])

    assert "attempt 1 of 2" in html and "attempt 2 of 2" in html
    assert "No graded run in this series yet." in html


def test_nothing_of_the_raw_provider_payload_is_shown() -> None:
    assert "sk-should-never-show" not in page()


def test_a_refused_link_shows_why_and_nothing_else() -> None:
    html = refused_page("the link has expired")

    assert "the link has expired" in html
    assert "run-" not in html


def test_a_synthflow_transcript_reads_as_who_said_what() -> None:
    turn = {"sender_type": "agent", "type": "message", "value": "Hello, how can I help?"}
    synthflow_case = case(1, "Book an appointment", "PASSED", transcript=[turn])

    html = report_page(regressed_run(), [synthflow_case], trend())

    assert "<b>agent: </b>Hello, how can I help?" in html
    assert "sender_type" not in html
