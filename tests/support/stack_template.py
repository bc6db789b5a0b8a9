"""template.yaml and its state machines' ASL, loaded once for the tests that read them statically
(no deploy): the resources by type, the run workflow's states, the suite workflow's states."""

from __future__ import annotations

import json
from typing import Any

from support.template_tables import REPO_ROOT, load_template

TEMPLATE = load_template()
RESOURCES: dict[str, Any] = TEMPLATE["Resources"]
ASL_PATH = REPO_ROOT / "statemachine" / "run_simulation.asl.json"
ASL_SOURCE = ASL_PATH.with_suffix(".yaml")
ASL_TEXT = ASL_PATH.read_text()
SUITE_ASL_PATH = REPO_ROOT / "statemachine" / "run_suite.asl.json"
SUITE_ASL_TEXT = SUITE_ASL_PATH.read_text()
ASL: dict[str, Any] = json.loads(ASL_TEXT)
STATES: dict[str, Any] = ASL["States"]


def of_type(kind: str) -> dict[str, Any]:
    """The template's resources of one `Type`, by logical id."""
    return {k: r for k, r in RESOURCES.items() if r["Type"] == kind}


def suite_states() -> dict[str, Any]:
    """Every state of the suite machine, the Map states' inner ones included."""
    found: dict[str, Any] = {}

    def collect(states: dict[str, Any]) -> None:
        for name, state in states.items():
            found[name] = state
            if state["Type"] == "Map":
                collect(state["ItemProcessor"]["States"])

    collect(json.loads(SUITE_ASL_TEXT)["States"])
    return found
