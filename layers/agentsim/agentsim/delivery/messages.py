"""What each target is sent, from the finished (or started) event's detail alone, so a suite's
detail can be delivered the same way as a run's.

- notify: the detail itself, as compact JSON (the signed bytes);
- GitHub: a commit status (https://docs.github.com/en/rest/commits/statuses#create-a-commit-status):
  `state` pending, success, failure or error, `context` `agentsim/<series>`, a `description` of
  at most 140 characters, `target_url` the run's link;
- Slack: one incoming-webhook message (https://api.slack.com/messaging/webhooks) for a run that
  failed or regressed: verdict, why, the newly failing cases and the link, in `mrkdwn` with
  `&`, `<` and `>` escaped as Slack asks (https://api.slack.com/reference/surfaces/formatting).
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


def subject_id(detail: Mapping[str, Any]) -> str:
    """The run (or suite run) a detail is about."""
    return str(detail.get("run_id") or detail.get("suite_run_id") or "")


def run_link(detail: Mapping[str, Any], api_url: str | None) -> str | None:
    """The run's report page when it has one, else its record in the stack's API."""
    report = detail.get("report_url")
    if isinstance(report, str) and report:
        return report
    if not api_url:
        return None
    return f"{api_url.rstrip('/')}/simulations/{subject_id(detail)}"


def notify_body(detail: Mapping[str, Any]) -> bytes:
    return json.dumps(detail, separators=(",", ":"), sort_keys=True).encode()


def github_state(detail: Mapping[str, Any]) -> str:
    """success (passed, or nothing to gate), failure (failed or regressed), error (not
    completed), as `agentsim start --wait` exits 0, 1 or 3."""
    if detail.get("status") != "COMPLETED":
        return "error"
    return "failure" if detail.get("verdict") in ALERTED else "success"


def _results(detail: Mapping[str, Any]) -> str:
    results = detail.get("results") or {}
    if not results.get("total"):
        return ""
    return f"{results.get('passed', 0)}/{results['total']} passed"


def github_status(moment: Moment, detail: Mapping[str, Any], link: str | None) -> dict[str, str]:
    series = detail.get("series") or detail.get("provider") or "run"
    if moment is Moment.STARTED:
        state, description = "pending", f"running on {detail.get('provider') or 'the provider'}"
    else:
        state = github_state(detail)
        head = str(detail.get("status") if state == "error" else detail.get("verdict"))
        reasons = detail.get("verdict_reasons") or []
        error = (detail.get("error") or {}).get("type") if state == "error" else None
        rest = "; ".join(w for w in (_results(detail), *reasons[:1], error) if w)
        description = f"{head}: {rest}" if rest else head
    body = {"state": state, "context": f"agentsim/{series}", "description": _clip(description)}
    if link:
        body["target_url"] = link
    return body


def slack_wanted(detail: Mapping[str, Any]) -> bool:
    return detail.get("verdict") in ALERTED or detail.get("status") == "FAILED"


def slack_message(detail: Mapping[str, Any], link: str | None) -> dict[str, str]:
    verdict = detail.get("verdict")
    said = verdict if verdict in ALERTED else detail.get("status")
    series = detail.get("series") or detail.get("provider") or ""
    lines = [f"*agentsim*: run `{_escape(subject_id(detail))}` ({_escape(series)}) *{said}*"]
    if _results(detail):
        lines.append(_results(detail))
    lines += [f"Why: {_escape(reason)}" for reason in detail.get("verdict_reasons") or []]
    error = detail.get("error") or {}
    if error.get("type"):
        lines.append(f"Error: {_escape(str(error['type']))}: {_escape(str(error.get('message')))}")
    flipped = list((detail.get("comparison") or {}).get("newly_failing") or [])
    if flipped:
        shown = ", ".join(f"`{_escape(str(case))}`" for case in flipped[:MAX_LISTED_CASES])
        more = (
            f" and {len(flipped) - MAX_LISTED_CASES} more"
            if len(flipped) > MAX_LISTED_CASES
            else ""
        )
        lines.append(f"Newly failing: {shown}{more}")
    if link:
        lines.append(f"<{_escape(link)}|Open the report>")
    return {"text": "\n".join(lines)}


def _clip(text: str) -> str:
    return text if len(text) <= MAX_DESCRIPTION else text[: MAX_DESCRIPTION - 1] + "…"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
