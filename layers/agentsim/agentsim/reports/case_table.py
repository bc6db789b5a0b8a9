"""The case table of a report: one row per case (or call) with its result, the judge's
reasoning, its transcript collapsed in a `<details>` (readable with scripts off), an `<audio>`
player for its recording and its attempt number when its case was attempted more than once.
Flipped cases come first, then flaky ones, then the rest in call order."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ConfigDict

from agentsim.providers.base import CaseResult, CaseVerdict, JsonObject
from agentsim.reports.markup import element, joined, link, text, web_url
from agentsim.runs.comparison import Comparison

RESULT_CLASSES = {CaseVerdict.PASSED: "good", CaseVerdict.FAILED: "bad", CaseVerdict.NONE: ""}
TRANSCRIPT_FIELDS = ("content", "message", "text", "transcript", "value")
ROLE_FIELDS = ("role", "speaker", "sender_type", "type", "event")


class ReportCase(CaseResult):
    """A stored case as the page reads it: its position in the run; its raw provider payload is
    never read (it is dropped on the way in, so nothing can render it)."""

    model_config = ConfigDict(extra="ignore")

    number: int = 0
    verdict: CaseVerdict = CaseVerdict.NONE


def report_cases(items: Sequence[Mapping[str, Any]]) -> list[ReportCase]:
    return [
        ReportCase.model_validate({k: v for k, v in item.items() if k != "raw"}) for item in items
    ]


def _rank(case: ReportCase, comparison: Comparison | None) -> tuple[int, int]:
    if comparison is None:
        return (3, case.number)
    if case.key in comparison.newly_failing or case.key in comparison.newly_passing:
        return (0, case.number)
    if case.key in {f.case_key for f in comparison.flaky}:
        return (1, case.number)
    return (2, case.number)


def _tag(case: ReportCase, comparison: Comparison | None) -> str:
    if comparison is None:
        return ""
    if case.key in comparison.newly_failing:
        return element("span", "newly failing", class_="tag bad")
    if case.key in comparison.newly_passing:
        return element("span", "newly passing", class_="tag good")
    if case.key in {f.case_key for f in comparison.flaky}:
        return element("span", "flaky", class_="tag flaky")
    return ""


def _line(entry: JsonObject) -> str:
    """One transcript entry as `role: words`, or its JSON when it has no such fields."""
    role = next((entry[f] for f in ROLE_FIELDS if isinstance(entry.get(f), str)), None)
    words = next((entry[f] for f in TRANSCRIPT_FIELDS if isinstance(entry.get(f), str)), None)
    if words is None:
        return element("li", element("code", text(json.dumps(entry, default=str))))
    said = element("b", text(role) + ": ") if role else ""
    return element("li", said + text(words))


def transcript_part(case: ReportCase) -> str:
    """The transcript, collapsed; a link to it when only its URL is known."""
    parts = []
    if case.transcript:
        lines = element("ol", joined(_line(e) for e in case.transcript), class_="transcript")
        summary = element("summary", f"Transcript ({len(case.transcript)} turns)")
        parts.append(element("details", summary + lines, class_="transcript"))
    if case.transcript_url:
        parts.append(element("p", link("transcript file", case.transcript_url)))
    return joined(parts)


def recording_part(case: ReportCase) -> str:
    url = web_url(case.recording_url)
    if url is None:
        return ""
    player = element("audio", link("recording", url), controls=True, preload="none", src=url)
    return element("div", player, class_="recording")


def case_row(case: ReportCase, comparison: Comparison | None, attempt: str) -> str:
    result = element(
        "span", text(case.verdict.value), class_=f"result {RESULT_CLASSES[case.verdict]}"
    )
    title = element("div", text(case.name or case.key), class_="case-name") + _tag(case, comparison)
    ids = element("div", element("code", text(case.case_id)), class_="ids")
    details = (
        element("p", text(case.reasoning or "No reasoning given."), class_="reasoning")
        + transcript_part(case)
        + recording_part(case)
    )
    status = text(case.status or "")
    return element(
        "tr",
        element("td", title + ids + (element("div", attempt, class_="attempt") if attempt else ""))
        + element("td", result + element("div", status, class_="status"))
        + element("td", details),
        data_case=case.key,
    )


def case_table(cases: Sequence[ReportCase], comparison: Comparison | None) -> str:
    if not cases:
        return element("section", element("h2", "Cases") + element("p", "No case results."))
    tries = Counter(case.key for case in cases)
    seen: Counter[str] = Counter()
    rows = []
    for case in sorted(cases, key=lambda c: c.number):
        seen[case.key] += 1
        attempt = f"attempt {seen[case.key]} of {tries[case.key]}" if tries[case.key] > 1 else ""
        rows.append((_rank(case, comparison), case_row(case, comparison, attempt)))
    head = element(
        "thead",
        element("tr", element("th", "Case") + element("th", "Result") + element("th", "Why")),
    )
    body = element("tbody", joined(row for _, row in sorted(rows, key=lambda r: r[0])))
    return element(
        "section", element("h2", "Cases") + element("table", head + body, class_="cases")
    )
