"""The summary parts of a report, each a pure function of the run record: its verdict badge,
its gate and why it held or failed, and its comparison with the baseline (flipped cases first,
then flaky ones). A suite page shows each child with the same parts."""

from __future__ import annotations

from agentsim.reports.markup import element, joined, percent, text
from agentsim.runs.comparison import Comparison
from agentsim.runs.gate import Gate
from agentsim.runs.record import RunRecord, RunStatus, Verdict

BADGE_CLASSES = {
    Verdict.PASSED: "good",
    Verdict.FAILED: "bad",
    Verdict.REGRESSED: "bad",
    Verdict.NONE: "neutral",
}


def badge(record: RunRecord) -> str:
    """The verdict of a completed run, else its status (a run that did not complete is bad)."""
    if record.status is RunStatus.COMPLETED:
        label, tone = record.verdict.value, BADGE_CLASSES[record.verdict]
    else:
        label = record.status.value
        tone = "neutral" if not record.status.terminal else "bad"
    return element("span", text(label), class_=f"badge {tone}", data_verdict=label)


def gate_of(record: RunRecord) -> Gate | None:
    stored = (record.request or {}).get("gate")
    return None if stored is None else Gate.model_validate(stored)


def gate_section(record: RunRecord) -> str:
    """The gate's rules and the verdict's reasons (or that it held)."""
    gate = gate_of(record)
    rules = (
        [f"{name}: {text(value)}" for name, value in gate.model_dump(exclude_defaults=True).items()]
        if gate is not None
        else []
    )
    rule_text = ", ".join(rules) if rules else "no gate: every graded case must pass"
    reasons = record.verdict_reasons or []
    if reasons:
        why = element("ul", joined(element("li", text(r)) for r in reasons), class_="reasons")
    elif record.status is RunStatus.COMPLETED and record.verdict is Verdict.PASSED:
        why = element("p", "The gate held.")
    elif record.error is not None:
        why = element("p", text(f"{record.error.type}: {record.error.message}"), class_="reasons")
    else:
        why = element("p", "Nothing was graded." if record.verdict is Verdict.NONE else "")
    rate = record.results.pass_rate if record.results else None
    summary = element("p", f"Gate: {rule_text}. Pass rate: {percent(rate)}.")
    return element("section", element("h2", "Gate") + summary + why, class_="gate")


def comparison_section(comparison: Comparison | None) -> str:
    """What changed since the baseline: flipped cases first, then flaky ones, then the rest."""
    if comparison is None:
        return element("section", element("h2", "Comparison") + element("p", "No baseline yet."))
    delta = comparison.pass_rate_delta
    head = element(
        "p",
        f"Baseline {element('code', text(comparison.baseline_run_id))}: "
        f"{percent(comparison.baseline_pass_rate)} → {percent(comparison.pass_rate)}"
        + ("" if delta is None else f" ({delta * 100:+.0f} points)"),
    )
    groups = [
        ("Newly failing", comparison.newly_failing, "flip bad"),
        ("Newly passing", comparison.newly_passing, "flip good"),
        (
            "Flaky",
            [f"{f.case_key} (flake rate {percent(f.flake_rate)})" for f in comparison.flaky],
            "flaky",
        ),
        ("Missing since the baseline", comparison.missing, "other"),
        ("New since the baseline", comparison.new, "other"),
    ]
    lists = joined(
        element("h3", text(title)) + element("ul", joined(element("li", text(k)) for k in keys))
        for title, keys, _ in groups
        if keys
    )
    kinds = " ".join(tone for _, keys, tone in groups if keys)
    return element(
        "section",
        element("h2", "Comparison") + head + (lists or element("p", "No case changed.")),
        class_="comparison",
        data_kinds=kinds or None,
    )
