"""The JUnit report: one testsuite per run, one testcase per case named by its key, read back
with a JUnit reader (junitparser) as CI test views read it, in the order and with the
attributes of the JUnit schema GitLab's and GitHub's readers follow."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from junitparser import Failure, JUnitXml, Skipped, TestSuite
from support.ci_records import RUN_ID, case, cases, record

from agentsim_local.outcome import judge
from agentsim_local.reports.cases import cases_of
from agentsim_local.reports.junit import write_junit

SCHEMA_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")


def written(tmp_path: Path, run: dict[str, Any], items: list[dict[str, Any]]) -> TestSuite:
    path = tmp_path / "junit.xml"
    write_junit(path, run, cases_of(items), judge(run))
    suites = list(JUnitXml.fromfile(str(path)))
    assert len(suites) == 1
    suite: TestSuite = suites[0]
    return suite


def test_each_case_is_a_testcase_named_by_its_name(tmp_path: Path) -> None:
    suite = written(tmp_path, record(), cases())

    assert [c.name for c in suite] == ["Polite caller", "Confused caller", "Impatient caller"]
    assert {c.classname for c in suite} == {"agentsim.bluejay"}


def test_a_case_key_is_the_testcase_name_when_the_stack_gives_one(tmp_path: Path) -> None:
    items = [case(1, "Polite caller", "PASSED", "ok", case_key="support/polite")]

    suite = written(tmp_path, record(verdict="PASSED"), items)

    assert [c.name for c in suite] == ["support/polite"]


def test_a_case_without_name_is_named_by_its_id(tmp_path: Path) -> None:
    suite = written(tmp_path, record(verdict="PASSED"), [case(1, "", "PASSED", "ok")])

    assert [c.name for c in suite] == ["90001"]


def test_cases_of_one_name_get_distinct_testcase_names(tmp_path: Path) -> None:
    items = [case(n, "Book a cleaning", "PASSED", "ok") for n in (1, 2, 3)]

    suite = written(tmp_path, record(verdict="PASSED"), items)

    assert [c.name for c in suite] == [
        "Book a cleaning",
        "Book a cleaning (2)",
        "Book a cleaning (3)",
    ]


def test_a_failed_case_carries_the_judges_reasoning(tmp_path: Path) -> None:
    suite = written(tmp_path, record(), cases())

    failed = next(c for c in suite if c.name == "Impatient caller")
    (failure,) = failed.result
    assert isinstance(failure, Failure)
    reasoning = "The agent did not achieve: Caller calmed down and refund explained."
    assert failure.message == reasoning
    assert failure.text == reasoning


def test_passed_cases_carry_no_result(tmp_path: Path) -> None:
    suite = written(tmp_path, record(), cases())

    assert [c.is_passed for c in suite] == [True, True, False]


def test_an_ungraded_case_is_skipped(tmp_path: Path) -> None:
    items = [case(1, "Book a cleaning", "NONE", "")]

    suite = written(tmp_path, record(verdict="NONE", request={}), items)

    (result,) = next(iter(suite)).result
    assert isinstance(result, Skipped)


def test_the_suite_counts_its_tests_failures_and_skips(tmp_path: Path) -> None:
    items = [*cases(), case(4, "Silent caller", "NONE", "")]

    suite = written(tmp_path, record(), items)

    assert (suite.tests, suite.failures, suite.errors, suite.skipped) == (4, 1, 0, 1)


def test_the_properties_carry_provider_run_id_and_recording_urls(tmp_path: Path) -> None:
    suite = written(tmp_path, record(report_url="https://reports.example/r/1"), cases())

    properties = {p.name: p.value for p in suite.properties()}
    assert properties["provider"] == "bluejay"
    assert properties["run_id"] == RUN_ID
    assert properties["gate.min_pass_rate"] == "0.9"
    assert properties["report_url"] == "https://reports.example/r/1"
    assert properties["recording_url[Impatient caller]"].endswith("/90003/audio.wav")


def test_a_case_output_carries_its_recording_and_transcript(tmp_path: Path) -> None:
    items = [
        case(1, "Polite caller", "PASSED", "ok", transcript=[{"role": "agent", "content": "Hi"}])
    ]

    suite = written(tmp_path, record(verdict="PASSED"), items)

    output = next(iter(suite)).system_out
    assert (
        "recording: http://127.0.0.1:43315/_emulator/media/bluejay/results/90001/audio.wav"
        in output
    )
    assert output.endswith("agent: Hi")


def test_markup_and_control_characters_in_provider_text_keep_the_xml_valid(
    tmp_path: Path,
) -> None:
    hostile = "Caller said \"</failure><testcase name='x'/>\" & left\x00\x1b[31m \ud800"
    items = [
        case(
            1,
            "<b>Angry</b> & co",
            "FAILED",
            hostile,
            transcript=[{"role": "user", "content": "]]>"}],
        )
    ]

    suite = written(tmp_path, record(), items)

    (testcase,) = list(suite)
    assert testcase.name == "<b>Angry</b> & co"
    (failure,) = testcase.result
    assert (
        failure.text
        == "Caller said \"</failure><testcase name='x'/>\" & left\ufffd\ufffd[31m \ufffd"
    )
    assert "user: ]]>" in testcase.system_out


def test_a_run_that_did_not_complete_is_an_error_not_an_empty_green_suite(
    tmp_path: Path,
) -> None:
    run = record(status="TIMED_OUT", verdict="NONE", results=None)

    suite = written(tmp_path, run, [])

    (testcase,) = list(suite)
    assert testcase.name == "(run)"
    assert testcase.is_error
    assert (suite.tests, suite.errors) == (1, 1)


def test_the_document_follows_the_junit_schema(tmp_path: Path) -> None:
    path = tmp_path / "junit.xml"
    write_junit(path, record(), cases_of(cases()), judge(record()))

    root = ET.parse(path).getroot()
    assert root.tag == "testsuites"
    (suite,) = root
    assert {
        "name",
        "tests",
        "failures",
        "errors",
        "skipped",
        "time",
        "timestamp",
        "hostname",
    } <= set(suite.attrib)
    assert SCHEMA_TIMESTAMP.match(suite.attrib["timestamp"])  # the schema's: no time zone
    assert suite.attrib["timestamp"] == "2026-12-02T06:05:56"
    tags = [child.tag for child in suite]
    assert tags == ["properties", "testcase", "testcase", "testcase"]  # properties first
    for testcase in suite.iter("testcase"):
        assert {"name", "classname", "time"} <= set(testcase.attrib)
        assert [child.tag for child in testcase][-1:] in (["system-out"], [])
    assert root.attrib["tests"] == "3"
    assert root.attrib["failures"] == "1"
