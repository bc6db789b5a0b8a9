"""What each target is sent, from the finished (or started) event's detail alone: a run's
detail, or a suite's (`SuiteView.event_detail`: `suite_id` and no `run_id`), told apart here.

- notify: the detail itself, as compact JSON (the signed bytes);
- GitHub: a commit status (https://docs.github.com/en/rest/commits/statuses#create-a-commit-status):
  `state` pending, success, failure or error, `context` `agentsim/<series>`, a `description` of
  at most 140 characters, `target_url` the run's link; a suite's context is
  `agentsim/suite/<suite name>`, its link the suite's report;
- Slack: one incoming-webhook message (https://api.slack.com/messaging/webhooks) for a run or
  suite that failed or regressed: verdict, why, the newly failing cases (a suite's: per run)
  and the link, in `mrkdwn` with `&`, `<` and `>` escaped as Slack asks
  (https://api.slack.com/reference/surfaces/formatting).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from agentsim.delivery.attempts import Moment

MAX_DESCRIPTION = 140
MAX_LISTED_CASES = 20
ALERTED = frozenset({"FAILED", "REGRESSED"})
"""Verdicts (or a run's status, FAILED) that get a Slack message."""


def is_suite(detail: Mapping[str, Any]) -> bool:
    """A suite's detail names its suite and no run (a child run's names both)."""
    return not detail.get("run_id") and bool(detail.get("suite_id"))


def subject_id(detail: Mapping[str, Any]) -> str:
    """The run (or suite) a detail is about."""
    return str(detail.get("run_id") or detail.get("suite_id") or "")


def run_link(detail: Mapping[str, Any], api_url: str | None) -> str | None:
    """The run's (or suite's) report page when it has one, else its record in the API."""
    report = detail.get("report_url")
    if isinstance(report, str) and report:
        return report
    if not api_url:
        return None
    collection = "suites" if is_suite(detail) else "simulations"
    return f"{api_url.rstrip('/')}/{collection}/{subject_id(detail)}"


def notify_body(detail: Mapping[str, Any]) -> bytes:
    return json.dumps(detail, separators=(",", ":"), sort_keys=True).encode()


def github_state(detail: Mapping[str, Any]) -> str:
    """success (passed, or nothing to gate), failure (failed or regressed), error (not
    completed), as `agentsim start --wait` exits 0, 1 or 3."""
    if detail.get("status") != "COMPLETED":
        return "error"
    return "failure" if detail.get("verdict") in ALERTED else "success"


def _results(detail: Mapping[str, Any]) -> str:
    if is_suite(detail):
        totals = detail.get("totals") or {}
        if not totals.get("runs"):
            return ""
        cases = f", {totals.get('passed', 0)}/{totals['cases']} cases passed"
        return f"{totals['runs']} runs" + (cases if totals.get("cases") else "")
    results = detail.get("results") or {}
    if not results.get("total"):
        return ""
    return f"{results.get('passed', 0)}/{results['total']} passed"


def github_context(detail: Mapping[str, Any]) -> str:
    """`agentsim/<series>` for a run, `agentsim/suite/<suite name>` for a suite."""
    if is_suite(detail):
        return f"agentsim/suite/{detail.get('name') or subject_id(detail)}"
    return f"agentsim/{detail.get('series') or detail.get('provider') or 'run'}"


def _started(detail: Mapping[str, Any]) -> str:
    if is_suite(detail):
        return "running the suite"
    return f"running on {detail.get('provider') or 'the provider'}"


def github_status(moment: Moment, detail: Mapping[str, Any], link: str | None) -> dict[str, str]:
    if moment is Moment.STARTED:
        state, description = "pending", _started(detail)
    else:
        state = github_state(detail)
        head = str(detail.get("status") if state == "error" else detail.get("verdict"))
        reasons = detail.get("verdict_reasons") or []
        error = (detail.get("error") or {}).get("type") if state == "error" else None
        rest = "; ".join(w for w in (_results(detail), *reasons[:1], error) if w)
        description = f"{head}: {rest}" if rest else head
    body = {"state": state, "context": github_context(detail), "description": _clip(description)}
    if link:
        body["target_url"] = link
    return body


def slack_wanted(detail: Mapping[str, Any]) -> bool:
    return detail.get("verdict") in ALERTED or detail.get("status") == "FAILED"


def slack_message(detail: Mapping[str, Any], link: str | None) -> dict[str, str]:
    verdict = detail.get("verdict")
    said = verdict if verdict in ALERTED else detail.get("status")
    kind, named = "run", detail.get("series") or detail.get("provider") or ""
    if is_suite(detail):
        kind, named = "suite", detail.get("name") or ""
    lines = [f"*agentsim*: {kind} `{_escape(subject_id(detail))}` ({_escape(named)}) *{said}*"]
    if _results(detail):
        lines.append(_results(detail))
    lines += [f"Why: {_escape(reason)}" for reason in detail.get("verdict_reasons") or []]
    error = detail.get("error") or {}
    if error.get("type"):
        lines.append(f"Error: {_escape(str(error['type']))}: {_escape(str(error.get('message')))}")
    if is_suite(detail):
        lines += _suite_flipped(detail)
    else:
        flipped = list((detail.get("comparison") or {}).get("newly_failing") or [])
        if flipped:
            lines.append(f"Newly failing: {_cases(flipped, MAX_LISTED_CASES)}")
    if link:
        lines.append(f"<{_escape(link)}|Open the report>")
    return {"text": "\n".join(lines)}


def _suite_flipped(detail: Mapping[str, Any]) -> list[str]:
    """A line per run of the suite with newly failing cases, MAX_LISTED_CASES cases in all."""
    lines: list[str] = []
    room = MAX_LISTED_CASES
    flipped = [r for r in detail.get("runs") or [] if r.get("newly_failing")]
    for index, run in enumerate(flipped):
        if room <= 0:
            lines.append(f"and {len(flipped) - index} more runs with newly failing cases")
            break
        cases = list(run["newly_failing"])
        named = run.get("series") or run.get("provider") or ""
        run_id = _escape(str(run.get("run_id")))
        lines.append(f"Newly failing in `{run_id}` ({_escape(named)}): {_cases(cases, room)}")
        room -= len(cases)
    return lines


def _cases(cases: list[Any], most: int) -> str:
    shown = ", ".join(f"`{_escape(str(case))}`" for case in cases[:most])
    return shown + (f" and {len(cases) - most} more" if len(cases) > most else "")


def _clip(text: str) -> str:
    return text if len(text) <= MAX_DESCRIPTION else text[: MAX_DESCRIPTION - 1] + "…"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
