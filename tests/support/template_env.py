"""The environment template.yaml gives each function, for importing handlers as Lambda would.

A function reads its settings when it is imported, so a test that imports one must give it what
the template does: the Globals' variables and the function's own, a parameter at its default and
a resource (a table, the secret, the state machine) as a placeholder named after it, also
inside a `!Sub`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from support.template_tables import load_template


def _value(value: Any, parameters: Mapping[str, Any]) -> str:
    if isinstance(value, dict) and "Ref" in value:
        name = value["Ref"]
        if name in parameters:
            return str(parameters[name].get("Default", ""))
        return f"test-{name}"
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        return f"test-{'.'.join(value['Fn::GetAtt'])}"
    if isinstance(value, dict) and isinstance(value.get("Fn::Sub"), str):
        return re.sub(
            r"\$\{([^}]+)\}", lambda m: _value({"Ref": m.group(1)}, parameters), value["Fn::Sub"]
        )
    return str(value)


def function_environment(
    function: str, template: Mapping[str, Any] | None = None
) -> dict[str, str]:
    """The variables of the function whose code is `functions/<function>/`."""
    template = template or load_template()
    parameters = template.get("Parameters", {})
    functions = {
        str(resource["Properties"]["CodeUri"]).strip("/").rsplit("/", 1)[-1]: resource
        for resource in template["Resources"].values()
        if resource["Type"] == "AWS::Serverless::Function"
    }
    variables = {
        **template["Globals"]["Function"]["Environment"]["Variables"],
        **functions[function]["Properties"].get("Environment", {}).get("Variables", {}),
    }
    return {name: _value(value, parameters) for name, value in variables.items()}


def every_function_environment() -> dict[str, str]:
    """The union of every function's variables (to import all handlers in one process)."""
    template = load_template()
    merged: dict[str, str] = {}
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            name = str(resource["Properties"]["CodeUri"]).strip("/").rsplit("/", 1)[-1]
            merged.update(function_environment(name, template))
    return merged
