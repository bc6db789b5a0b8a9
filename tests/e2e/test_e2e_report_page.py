"""The report page in a real browser (Debian's headless Chromium, over the DevTools protocol),
opened by the `report_url` of runs on the local stack: a regression of a series (a case that
flipped to failing) and a run whose transcript carries markup. Screenshots at 1280 and 390 px
wide go to test-artifacts/browser/."""

from __future__ import annotations

import struct
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from e2e_requests import bluejay, omnidimension, synthflow
from support.browser import Page, chromium, chromium_path
from support.report_records import HOSTILE

from agentsim_local.embedded import EmbeddedStack

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
FLIPPED_CASE = "Book an appointment"
FLIPPED_SUITE_CASE = "Confused caller"

pytestmark = pytest.mark.skipif(
    chromium_path() is None,
    reason="Debian's chromium is not installed: `make browser` installs it (apt-get, as root)",
)


def finished(stack: EmbeddedStack, request: dict[str, Any]) -> dict[str, Any]:
    record = stack.wait(stack.submit(request, trigger="webhook"), timeout=120)
    assert record["status"] == "COMPLETED", record
    return record


@pytest.fixture(scope="module")
def regressed(stack: EmbeddedStack) -> dict[str, Any]:
    """The second run of a series, in which a case that passed before fails."""
    assert stack.emulator is not None
    failing = stack.emulator.url + "/_emulator/failing-cases"
    series = f"report-page/{uuid.uuid4().hex[:8]}"
    gate = {"min_pass_rate": 0.0, "fail_on_new_failures": True}
    finished(stack, synthflow(series=series, gate=gate))
    httpx.put(failing, json={"names": [FLIPPED_CASE]}).raise_for_status()
    try:
        record = finished(stack, synthflow(series=series, gate=gate))
    finally:
        httpx.put(failing, json={"names": []}).raise_for_status()
    assert record["verdict"] == "REGRESSED", record
    return record


@pytest.fixture(scope="module")
def hostile(stack: EmbeddedStack) -> dict[str, Any]:
    """A run whose transcript holds a script tag (the caller's words, as the provider sends)."""
    scenario = {"name": "Hostile caller", "description": HOSTILE, "expected_result": "Calm."}
    request = omnidimension()
    request["simulation"]["scenarios"] = [scenario]
    return finished(stack, request)


@pytest.fixture(scope="module")
def browser() -> Iterator[Page]:
    with chromium() as page:
        yield page


@pytest.fixture
def page(browser: Page) -> Page:
    browser.errors.clear()
    return browser


def loaded(page: Page, url: str) -> tuple[int, list[str]]:
    """`url` opened in `page`: the answer's status and the console errors while it loaded."""
    status = page.open(url)
    return status, list(page.errors)


def png_width(path: Path) -> int:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return int(struct.unpack(">I", header[16:20])[0])


def test_the_report_page_loads_without_console_errors(
    page: Page, regressed: dict[str, Any]
) -> None:
    assert loaded(page, regressed["report_url"]) == (200, [])


def test_the_page_shows_the_verdict_the_flipped_case_the_chart_and_the_player(
    page: Page, regressed: dict[str, Any]
) -> None:
    page.open(regressed["report_url"])

    assert page.evaluate("document.querySelector('.badge').dataset.verdict") == "REGRESSED"
    first_row = page.evaluate("document.querySelector('table.cases tbody tr').innerText")
    assert FLIPPED_CASE in first_row and "NEWLY FAILING" in first_row.upper()
    assert page.evaluate("document.querySelectorAll('svg.chart circle.point').length") == 2
    assert (
        page.evaluate("document.querySelector('svg.chart circle.current').dataset.run")
        == (regressed["run_id"])
    )
    assert page.evaluate("!!document.querySelector('svg.chart circle.baseline')")
    assert page.evaluate("document.querySelector('audio').src").endswith("recording.wav")


def test_a_transcript_expands_on_click(page: Page, regressed: dict[str, Any]) -> None:
    page.open(regressed["report_url"])
    shown_before = page.evaluate("document.querySelector('ol.transcript').checkVisibility()")

    page.click("details.transcript summary")

    assert shown_before is False
    assert page.evaluate("document.querySelector('details.transcript').open") is True
    assert page.evaluate("document.querySelector('ol.transcript').checkVisibility()") is True


def test_a_hostile_transcript_stays_text(page: Page, hostile: dict[str, Any]) -> None:
    page.open(hostile["report_url"])
    page.click("details.transcript summary")

    shown = page.evaluate("document.querySelector('ol.transcript').innerText")
    assert "<script>window.pwned = 1</script>" in shown
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('script, img').length") == 0
    assert page.errors == []


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_at_desktop_and_phone_widths(
    page: Page, regressed: dict[str, Any], width: int
) -> None:
    page.open(regressed["report_url"])
    page.click("details.transcript summary")

    shot = page.screenshot(ARTIFACTS / f"report-{width}.png", width)

    assert png_width(shot) == width
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll


def test_an_altered_link_gets_the_401_page(page: Page, regressed: dict[str, Any]) -> None:
    url = regressed["report_url"]
    signature = url.rsplit("signature=", 1)[1]
    altered = url.replace(signature, signature[::-1])

    status = page.open(altered)

    assert status == 401
    assert "does not open a report" in page.evaluate("document.body.innerText")
    assert page.evaluate("document.querySelectorAll('table, svg').length") == 0


@pytest.fixture(scope="module")
def regressed_suite(stack: EmbeddedStack) -> dict[str, Any]:
    """The second run of a suite in which a Bluejay case that passed before fails."""
    assert stack.emulator is not None
    failing = stack.emulator.url + "/_emulator/failing-cases"
    name = f"report-suite-{uuid.uuid4().hex[:8]}"
    request = {
        "suite": {"name": name, "runs": [bluejay(), synthflow()]},
        "gate": {"min_pass_rate": 0.3, "fail_on_new_failures": True},
    }
    stack.wait_suite(stack.submit_suite(request, idempotency_key=uuid.uuid4().hex)[0], timeout=180)
    httpx.put(failing, json={"names": [FLIPPED_SUITE_CASE]}).raise_for_status()
    try:
        record = stack.wait_suite(
            stack.submit_suite(request, idempotency_key=uuid.uuid4().hex)[0], timeout=180
        )
    finally:
        httpx.put(failing, json={"names": []}).raise_for_status()
    assert record["verdict"] == "REGRESSED", record
    return record


def test_the_suite_page_shows_its_verdict_its_runs_and_the_regressed_run_first(
    page: Page, regressed_suite: dict[str, Any]
) -> None:
    assert loaded(page, regressed_suite["report_url"]) == (200, [])
    assert page.evaluate("document.querySelector('header .badge').dataset.verdict") == "REGRESSED"
    assert page.evaluate("document.querySelectorAll('article.run-report').length") == 2
    first = page.evaluate("document.querySelector('article.run-report').dataset.run")
    assert first == regressed_suite["runs"][0]["run_id"]  # the regressed Bluejay run
    table = page.evaluate("document.querySelector('table.cases').innerText")
    assert FLIPPED_SUITE_CASE in table
    shot = page.screenshot(ARTIFACTS / "suite-report-390.png", 390)
    assert png_width(shot) == 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
