"""Load a CloudFormation/SAM YAML template, turning short tags (`!Ref`, `!GetAtt`, ...) into
their long JSON form, as `sam build` does before handing the template to the SAM translator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from samtranslator.yaml_helper import intrinsics_multi_constructor


class CfnLoader(yaml.SafeLoader):
    """SafeLoader that understands CloudFormation short-form intrinsic functions.

    The constructor is the SAM translator's (the AWS CLI's), registered on this loader only:
    `samtranslator.yaml_helper.yaml_parse` would register it on yaml.SafeLoader process-wide.
    """


def _timestamp_as_text(loader: CfnLoader, node: yaml.ScalarNode) -> str:
    """Dates (`AWSTemplateFormatVersion: 2010-09-09`) stay text, as CloudFormation reads them."""
    return str(loader.construct_scalar(node))


CfnLoader.add_multi_constructor("!", intrinsics_multi_constructor)
CfnLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def load_template(path: Path) -> dict[str, Any]:
    """The template at `path` as plain JSON-compatible data."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=CfnLoader)  # noqa: S506
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a template must be a mapping")
    return data
