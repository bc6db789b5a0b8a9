"""Load a CloudFormation/SAM YAML template, turning short tags (`!Ref`, `!GetAtt`, ...) into
their long JSON form, as `sam build` does before handing the template to the SAM translator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_SHORT_TAGS = (
    "Base64",
    "Cidr",
    "FindInMap",
    "GetAZs",
    "ImportValue",
    "Join",
    "Select",
    "Split",
    "Sub",
    "Transform",
    "And",
    "Equals",
    "If",
    "Not",
    "Or",
    "ToJsonString",
    "Length",
)


class CfnLoader(yaml.SafeLoader):
    """SafeLoader that understands CloudFormation short-form intrinsic functions."""


def _construct(loader: CfnLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    raise yaml.constructor.ConstructorError(
        None, None, f"unexpected node {node!r}", node.start_mark
    )


def _intrinsic(name: str) -> Any:
    def construct(loader: CfnLoader, node: yaml.Node) -> dict[str, Any]:
        return {name: _construct(loader, node)}

    return construct


def _ref(loader: CfnLoader, node: yaml.Node) -> dict[str, Any]:
    return {"Ref": _construct(loader, node)}


def _condition(loader: CfnLoader, node: yaml.Node) -> dict[str, Any]:
    return {"Condition": _construct(loader, node)}


def _get_att(loader: CfnLoader, node: yaml.Node) -> dict[str, Any]:
    value = _construct(loader, node)
    if isinstance(value, str):
        resource, _, attribute = value.partition(".")
        value = [resource, attribute]
    return {"Fn::GetAtt": value}


for _tag in _SHORT_TAGS:
    CfnLoader.add_constructor(f"!{_tag}", _intrinsic(f"Fn::{_tag}"))
CfnLoader.add_constructor("!Ref", _ref)
CfnLoader.add_constructor("!Condition", _condition)
CfnLoader.add_constructor("!GetAtt", _get_att)


def _timestamp_as_text(loader: CfnLoader, node: yaml.Node) -> str:
    """Dates (`AWSTemplateFormatVersion: 2010-09-09`) stay text, as CloudFormation reads them."""
    return str(_construct(loader, node))


CfnLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def load_template(path: Path) -> dict[str, Any]:
    """The template at `path` as plain JSON-compatible data."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=CfnLoader)  # noqa: S506
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a template must be a mapping")
    return data
