"""A run as Markdown, for a CI job's summary page and a pull request comment: the verdict and
why, the gate, the comparison with the baseline (when the record has one), each repeated
case's passing attempts (k of n), a `Case | Result | Why` table and the report link (when the
record has one).

Every piece of third-party text goes through `inline`: HTML and Markdown markup are escaped,
line breaks are joined (a table row stays one row), and `@` is kept from mentioning anyone (a
provider's reasoning quoting `@someone` would otherwise notify them from a PR comment). Links
are made only of http(s) URLs, percent-encoded so they cannot end the link early.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from agentsim_local.outcome import Exit, Outcome, gate_of
from agentsim_local.reports.cases import Case, Result, clean
from agentsim_local.run_view import RunView

WHY_CHARS = 300
"""A reasoning longer than this is cut in the table (the JUnit report has all of it)."""
MAX_ROWS = 200
"""Cases beyond this are counted, not listed (a PR comment holds at most 65,536 characters)."""

HEADLINE = {Exit.PASSED: "✅", Exit.FAILED: "❌", Exit.UNFINISHED: "⚠️"}
RESULT = {
    Result.PASSED: "✅ passed",
    Result.FAILED: "❌ failed",
    Result.NOT_GRADED: "⚪ not graded",
}
URL_SAFE = ":/?#@!$&'*+,;=%~"
"""Kept as they are in a link's URL; anything else (spaces, brackets, `|`) percent-encoded."""
_MARKUP = re.compile(r"([\\`*_{}\[\]#|~])")
"""Markdown's markup characters, escaped (no `[` means no link or image: parentheses are kept)."""


def inline(text: Any, *, limit: int | None = None) -> str:
    """`text` as literal Markdown on one line (safe in a table cell)."""
    value = " ".join(clean(text).split("\n")).strip()
    if limit is not None and len(value) > limit:
        value = value[: limit - 1].rstrip() + "…"
    value = html.escape(value, quote=False)
    value = _MARKUP.sub(r"\\\1", value)
    return value.replace("@", "@\u200b")


def link(label: str, url: str | None) -> str:
    """A Markdown link to an http(s) `url`, or nothing."""
    if not url or not re.match(r"https?://", url, re.IGNORECASE):
        return ""
    return f"[{label}]({quote(url, safe=URL_SAFE)})"


def summary_markdown(record: Mapping[str, Any], cases: Sequence[Case], outcome: Outcome) -> str:
    view = RunView.of(record)
    state = view.verdict if view.status == "COMPLETED" and view.verdict else view.status
    lines = [
        f"### {HEADLINE[outcome.exit]} agentsim {inline(view.provider)}: {inline(state)}",
        "",
        f"**{inline(outcome.reason)}**",
        "",
        "| | |",
        "|---|---|",
        f"| Run | {inline(view.run_id)} ({inline(view.provider)}, {inline(view.trigger)}) |",
        f"| Status | {inline(view.status)} |",
        f"| Verdict | {inline(view.verdict or 'NONE')} |",
        f"| Gate | {_gate(record)} |",
    ]
    if view.error:
        lines.append(f"| Error | {inline(view.error, limit=WHY_CHARS)} |")
    report = link("open the report", _str(record.get("report_url")))
    if report:
        lines.append(f"| Report | {report} |")
    lines += _comparison(record.get("comparison"))
    lines += _attempts(record)
    lines += _cases(cases)
    return "\n".join(lines) + "\n"


def _gate(record: Mapping[str, Any]) -> str:
    gate = gate_of(record)
    rule = (
        ", ".join(f"{inline(k)} {inline(v)}" for k, v in gate.items())
        if gate
        else "not set: every graded case must pass"
    )
    results = record.get("results")
    if isinstance(results, Mapping):
        passed, failed = results.get("passed"), results.get("failed")
        if isinstance(passed, int) and isinstance(failed, int) and passed + failed:
            graded = passed + failed
            rule += f"; pass rate {100 * passed / graded:.0f} % ({passed} of {graded} graded)"
    return rule


def _comparison(comparison: Any) -> list[str]:
    """The run against its baseline, field by field, whatever fields the record carries."""
    if comparison is None or comparison == {}:
        return []
    rows = comparison.items() if isinstance(comparison, Mapping) else [("comparison", comparison)]
    lines = ["", "#### Compared with the baseline", "", "| | |", "|---|---|"]
    for key, value in rows:
        shown = value if isinstance(value, str) else json.dumps(value, default=str)
        lines.append(f"| {inline(key)} | {inline(shown, limit=WHY_CHARS)} |")
    return lines


def _attempts(record: Mapping[str, Any]) -> list[str]:
    """Repeated cases (`repeat`): how many of each case's attempts passed, k of n."""
    attempts = record.get("attempts")
    if not isinstance(attempts, list):
        return []
    repeated = [a for a in attempts if isinstance(a, Mapping) and _int(a.get("attempts")) > 1]
    if not repeated:
        return []
    needs = _int(record.get("min_passes")) or 1
    lines = ["", f"#### Attempts (a case passes with {needs} passing)", ""]
    lines += ["| Case | Passed attempts | Result |", "|---|---|---|"]
    for case in repeated[:MAX_ROWS]:
        passed = case.get("result")
        result = Result.NOT_GRADED if not isinstance(passed, bool) else Result.FAILED
        shown = RESULT[Result.PASSED if passed is True else result]
        count = f"{_int(case.get('passed'))} of {_int(case.get('attempts'))}"
        lines.append(f"| {inline(case.get('case_key'))} | {count} | {shown} |")
    return lines


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _cases(cases: Sequence[Case]) -> list[str]:
    if not cases:
        return ["", "_No case results._"]
    lines = ["", "| Case | Result | Why |", "|---|---|---|"]
    for case in cases[:MAX_ROWS]:
        recording = link("recording", case.recording_url)
        name = inline(case.key) + (f" ({recording})" if recording else "")
        why = inline(case.why, limit=WHY_CHARS)
        lines.append(f"| {name} | {RESULT[case.result]} | {why} |")
    if len(cases) > MAX_ROWS:
        lines += ["", f"_… and {len(cases) - MAX_ROWS} more cases: see the JUnit report._"]
    return lines


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
