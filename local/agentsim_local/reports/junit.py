"""JUnit XML for a CI's own test view: one `<testsuite>` per run, one `<testcase>` per case.

The shape is the one Jenkins' JUnit schema (junit-10.xsd) describes and GitLab's and GitHub's
JUnit readers take (GitLab: https://docs.gitlab.com/ci/testing/unit_test_reports/; on GitHub,
actions such as dorny/test-reporter read the same): `testsuites` > `testsuite` (name, tests,
failures, errors, skipped, time, timestamp without a zone, hostname, id, package) > `properties`
first, then the `testcase`s (name, classname, time), each with at most one `failure` or
`skipped` and a `system-out`. GitLab shows a testcase's `classname` as its suite and the
*content* of `failure` (not its `message`), and keeps only the first of several testcases with
one name: names are the cases' unique keys, the judge's reasoning is both the message and the
content.

`xml.etree.ElementTree` escapes markup; `cases.clean` has already dropped what XML 1.0 cannot
hold, so a transcript or a reasoning written by anyone cannot break the document.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agentsim_local.outcome import Exit, Outcome, gate_of
from agentsim_local.reports.cases import Case, Result, clean
from agentsim_local.run_view import RunView

MESSAGE_CHARS = 1000
"""A `message` attribute is one line; the whole reasoning is the element's content."""
OUTPUT_CHARS = 65_536
"""A case's `system-out` beyond this is cut (transcripts can be long; GitLab caps files)."""


def junit_document(
    runs: Sequence[tuple[Mapping[str, Any], Sequence[Case], Outcome]],
) -> ET.ElementTree[ET.Element]:
    """The JUnit document of one or more runs (record, cases, outcome)."""
    root = ET.Element("testsuites", name="agentsim")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    seconds = 0.0
    for index, (record, cases, outcome) in enumerate(runs):
        suite = _suite(root, index, record, cases, outcome)
        for name in totals:
            totals[name] += int(suite.get(name, "0"))
        seconds += float(suite.get("time", "0"))
    root.attrib.update({name: str(count) for name, count in totals.items()})
    root.set("time", _time(seconds))
    ET.indent(root)
    return ET.ElementTree(root)


def write_junit(
    path: Path, record: Mapping[str, Any], cases: Sequence[Case], outcome: Outcome
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    junit_document([(record, cases, outcome)]).write(path, encoding="utf-8", xml_declaration=True)


def _suite(
    root: ET.Element,
    index: int,
    record: Mapping[str, Any],
    cases: Sequence[Case],
    outcome: Outcome,
) -> ET.Element:
    view = RunView.of(record)
    provider = clean(view.provider)
    classname = f"agentsim.{provider}"
    suite = ET.SubElement(
        root,
        "testsuite",
        name=clean(f"agentsim {provider} run {view.run_id}"),
        id=str(index),
        package="agentsim",
        hostname=provider,
        timestamp=_timestamp(record),
        time=_time(view.duration_seconds),
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in _properties(record, cases):
        ET.SubElement(properties, "property", name=clean(name), value=clean(value))
    failures = skipped = errors = 0
    for case in cases:
        testcase = ET.SubElement(
            suite, "testcase", name=case.key, classname=classname, time=_time(case.duration_seconds)
        )
        if case.result is Result.FAILED:
            failures += 1
            failure = ET.SubElement(
                testcase,
                "failure",
                message=_one_line(case.why),
                type=case.verdict,
            )
            failure.text = case.why
        elif case.result is Result.NOT_GRADED:
            skipped += 1
            ET.SubElement(testcase, "skipped", message="not graded by the provider")
        output = _output(case)
        if output:
            ET.SubElement(testcase, "system-out").text = output
    tests = len(cases)
    if outcome.exit is Exit.UNFINISHED or (not cases and not outcome.passed):
        # The run itself is a test that did not pass: a run that ended without completing (or
        # failed its gate with no case to show why) must not read as an empty, green suite.
        kind = "error" if outcome.exit is Exit.UNFINISHED else "failure"
        tests += 1
        errors += kind == "error"
        failures += kind == "failure"
        run_case = ET.SubElement(suite, "testcase", name="(run)", classname=classname, time="0")
        problem = ET.SubElement(run_case, kind, message=_one_line(outcome.reason), type=view.status)
        problem.text = clean(outcome.reason)
    suite.attrib.update(
        tests=str(tests), failures=str(failures), errors=str(errors), skipped=str(skipped)
    )
    return suite


def _properties(record: Mapping[str, Any], cases: Sequence[Case]) -> list[tuple[str, str]]:
    view = RunView.of(record)
    listed = [
        ("provider", view.provider),
        ("run_id", view.run_id),
        ("status", view.status),
        ("verdict", view.verdict or "NONE"),
    ]
    for key, value in (gate_of(record) or {}).items():
        listed.append((f"gate.{key}", str(value)))
    for key in ("report_url", "simulation_id", "provider_run_id"):
        if record.get(key):
            listed.append((key, str(record[key])))
    for case in cases:
        if case.recording_url:
            listed.append((f"recording_url[{case.key}]", case.recording_url))
    return listed


def _output(case: Case) -> str:
    lines = []
    if case.recording_url:
        lines.append(f"recording: {case.recording_url}")
    if case.transcript_url:
        lines.append(f"transcript: {case.transcript_url}")
    if case.status:
        lines.append(f"provider status: {case.status}")
    if case.transcript:
        lines += ["", case.transcript]
    text = "\n".join(lines)
    if len(text) > OUTPUT_CHARS:
        text = text[:OUTPUT_CHARS] + "\n... (cut: the whole transcript is in the run's cases)"
    return text


def _one_line(text: str) -> str:
    line = " ".join(clean(text).split())
    return line if len(line) <= MESSAGE_CHARS else line[: MESSAGE_CHARS - 1] + "…"


def _time(seconds: float | None) -> str:
    return f"{max(0.0, seconds or 0.0):.3f}"


def _timestamp(record: Mapping[str, Any]) -> str:
    """When the run started, in UTC without a zone (the schema's ISO8601_DATETIME_PATTERN)."""
    for key in ("started_at", "created_at"):
        value = record.get(key)
        if isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                continue
            if moment.tzinfo is not None:
                moment = moment.astimezone(UTC)
            return moment.strftime("%Y-%m-%dT%H:%M:%S")
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")
