"""Turn the SAM `template.yaml` into the CloudFormation template moto deploys.

The same steps as `sam build && sam deploy`, minus Docker and an account:
1. parse the YAML (CloudFormation short tags);
2. inline each state machine's ASL file (`DefinitionUri` -> `Definition`), keeping its
   DefinitionSubstitutions;
3. zip each function's CodeUri and each layer's ContentUri and upload them to (moto) S3, as
   `sam package` does; the local directories are remembered so the handlers run from source;
4. translate with the SAM translator (the one CloudFormation itself runs) with the given
   parameter values;
5. adapt the result to what moto's CloudFormation can create (`adapt_for_moto`).

Every adaptation here is a moto limitation, never a change of what the template declares:
- API Gateway: moto cannot build methods from the OpenAPI body, so the Deployment, Stage and
  other `AWS::ApiGateway::*` resources are dropped; the RestApi itself is kept as an empty API
  (named after the body's title) so `Ref`s to it (`ApiUrl`, the invoke permissions) still
  resolve. The routes are served by invoking the API function with proxy events.
- moto ignores `DefinitionSubstitutions` (and its `Fn::Sub` would turn the ASL's `$$.` into
  `$.`), so the substitutions are spliced into `DefinitionString` with `Fn::Join`, which is
  what CloudFormation does with them.
- Resource types moto has no model for (and that no shim in `cfn_models.py` implements) are
  dropped when nothing references them (alarms, dashboards, ...); a referenced one is an error.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import yaml
from samtranslator.internal.managed_policies import get_bundled_managed_policy_map
from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator

from agentsim_local.embedded.cfn_yaml import load_template
from agentsim_local.embedded.lambda_runtime import HandlerSource

Uploader = Callable[[str, bytes], tuple[str, str]]
"""(key hint, zip bytes) -> (bucket, key) of the uploaded artifact."""

_SKIPPED_DIRS = {"__pycache__", ".pytest_cache", ".mypy_cache", ".aws-sam"}


@dataclass
class PreparedTemplate:
    """The CloudFormation template for moto, and where each function's code lives locally."""

    sam: dict[str, Any]
    """The SAM template as written (ASL inlined), for what translation loses (API routes)."""
    cfn: dict[str, Any]
    functions: dict[str, HandlerSource]
    """Logical id of each AWS::Serverless::Function -> its source in the repository."""
    dropped: dict[str, str] = field(default_factory=dict)
    """Logical id -> type of each resource removed because moto cannot create it."""


def prepare(
    template_path: Path,
    parameters: dict[str, str],
    upload: Uploader,
    *,
    region: str,
    account_id: str,
    supported_types: set[str],
) -> PreparedTemplate:
    """Load, package, translate and adapt `template_path` (steps 1-5 of the module docstring)."""
    base = template_path.parent
    sam = load_template(template_path)
    _inline_definitions(sam, base)
    layer_dirs = _package_layers(sam, base, upload)
    functions = _package_functions(sam, base, upload, layer_dirs)
    cfn = translate(sam, parameters, region=region, account_id=account_id)
    dropped = adapt_for_moto(cfn, supported_types)
    return PreparedTemplate(sam=sam, cfn=cfn, functions=functions, dropped=dropped)


def translate(
    sam: dict[str, Any], parameters: dict[str, str], *, region: str, account_id: str
) -> dict[str, Any]:
    """The CloudFormation the SAM transform produces for `sam` (bundled managed policy map)."""
    policies = get_bundled_managed_policy_map("aws") or {}
    translator = Translator(
        policies, Parser(), boto_session=boto3.session.Session(region_name=region)
    )
    values: dict[str, Any] = {
        **parameters,
        "AWS::Region": region,
        "AWS::AccountId": account_id,
        "AWS::Partition": "aws",
    }
    result: dict[str, Any] = translator.translate(
        copy.deepcopy(sam), parameter_values=values, get_managed_policy_map=lambda: policies
    )
    return result


def _resources(template: dict[str, Any], resource_type: str) -> Iterator[tuple[str, Any]]:
    for logical_id, resource in template.get("Resources", {}).items():
        if resource.get("Type") == resource_type:
            yield logical_id, resource.setdefault("Properties", {})


def _inline_definitions(sam: dict[str, Any], base: Path) -> None:
    for logical_id, props in _resources(sam, "AWS::Serverless::StateMachine"):
        uri = props.get("DefinitionUri")
        if not isinstance(uri, str) or uri.startswith("s3://"):
            continue
        path = base / uri
        if not path.is_file():
            raise FileNotFoundError(f"{logical_id}: DefinitionUri {uri} not found")
        text = path.read_text(encoding="utf-8")
        props["Definition"] = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        del props["DefinitionUri"]


def _local_dir(base: Path, uri: Any, what: str) -> Path | None:
    if not isinstance(uri, str) or uri.startswith("s3://"):
        return None
    path = (base / uri).resolve()
    if not path.is_dir():
        raise FileNotFoundError(f"{what}: {uri} is not a directory")
    return path


def _package_layers(sam: dict[str, Any], base: Path, upload: Uploader) -> dict[str, Path]:
    """Upload each local layer under `python/` (as SAM's python build does); logical id -> dir."""
    layer_dirs: dict[str, Path] = {}
    for logical_id, props in _resources(sam, "AWS::Serverless::LayerVersion"):
        path = _local_dir(base, props.get("ContentUri"), f"{logical_id} ContentUri")
        if path is None:
            continue
        bucket, key = upload(f"layers/{logical_id}", _zip_dir(path, prefix="python"))
        props["ContentUri"] = {"Bucket": bucket, "Key": key}
        layer_dirs[logical_id] = path
    return layer_dirs


def _package_functions(
    sam: dict[str, Any], base: Path, upload: Uploader, layer_dirs: dict[str, Path]
) -> dict[str, HandlerSource]:
    globals_fn = sam.get("Globals", {}).get("Function", {})
    uploaded: dict[Path, dict[str, str]] = {}
    sources: dict[str, HandlerSource] = {}
    for logical_id, props in _resources(sam, "AWS::Serverless::Function"):
        uri = props.get("CodeUri", globals_fn.get("CodeUri"))
        path = _local_dir(base, uri, f"{logical_id} CodeUri")
        if path is None:
            continue
        if path not in uploaded:
            bucket, key = upload(f"functions/{path.name}", _zip_dir(path))
            uploaded[path] = {"Bucket": bucket, "Key": key}
        props["CodeUri"] = uploaded[path]
        handler = props.get("Handler", globals_fn.get("Handler"))
        if not isinstance(handler, str):
            raise ValueError(f"{logical_id}: Handler must be a string")
        # SAM merges list-valued Globals: the global layers come first, then the function's.
        layers = [*globals_fn.get("Layers", []), *props.get("Layers", [])]
        refs = [layer.get("Ref") for layer in layers if isinstance(layer, dict)]
        sources[logical_id] = HandlerSource(
            code_dir=path,
            handler=handler,
            layer_dirs=tuple(layer_dirs[ref] for ref in refs if ref in layer_dirs),
        )
    return sources


def _zip_dir(path: Path, prefix: str = "") -> bytes:
    """A deterministic zip of `path` (sorted, fixed timestamps), like `sam package` uploads."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(p for p in path.rglob("*") if p.is_file()):
            relative = file.relative_to(path)
            if _SKIPPED_DIRS.intersection(relative.parts) or file.suffix == ".pyc":
                continue
            name = str(Path(prefix) / relative) if prefix else str(relative)
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            archive.writestr(info, file.read_bytes(), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def artifact_key(hint: str, data: bytes) -> str:
    """Content-addressed key, as `sam package` names artifacts."""
    return f"{hint}/{hashlib.sha256(data).hexdigest()[:32]}.zip"


# --- adapting the translated template to moto ---------------------------------------------------


def adapt_for_moto(cfn: dict[str, Any], supported_types: set[str]) -> dict[str, str]:
    """Apply the module docstring's adaptations in place; return what was dropped (id -> type)."""
    resources: dict[str, Any] = cfn["Resources"]
    dropped: dict[str, str] = {}
    for logical_id, resource in list(resources.items()):
        kind = resource.get("Type", "")
        if kind == "AWS::ApiGateway::RestApi":
            _empty_rest_api(logical_id, resource)
        elif kind.startswith("AWS::ApiGateway::") or kind not in supported_types:
            dropped[logical_id] = kind
        elif kind == "AWS::StepFunctions::StateMachine":
            _splice_substitutions(resource.setdefault("Properties", {}))
    for logical_id in dropped:
        del resources[logical_id]
    _forget_dependencies(cfn, set(dropped))
    return dropped


def _empty_rest_api(logical_id: str, resource: dict[str, Any]) -> None:
    props = resource.setdefault("Properties", {})
    body = props.pop("Body", None) or {}
    props.pop("BodyS3Location", None)
    title = body.get("info", {}).get("title") if isinstance(body, dict) else None
    props.setdefault("Name", title if title is not None else logical_id)


def _splice_substitutions(props: dict[str, Any]) -> None:
    substitutions = props.pop("DefinitionSubstitutions", None)
    if not substitutions:
        return
    definition = props.get("DefinitionString")
    if isinstance(definition, dict) and "Fn::Join" in definition:
        separator, parts = definition["Fn::Join"]
        if not all(isinstance(part, str) for part in parts):
            raise ValueError("DefinitionString must be literal text to splice substitutions")
        text = separator.join(parts)
    elif isinstance(definition, str):
        text = definition
    elif "Definition" in props:
        text = json.dumps(props.pop("Definition"))
    else:
        raise ValueError("state machine without an inline definition")
    names = "|".join(re.escape(name) for name in sorted(substitutions, key=len, reverse=True))
    pieces: list[Any] = []
    for index, piece in enumerate(re.split(r"\$\{(" + names + r")\}", text)):
        # re.split alternates literal text and captured substitution names.
        pieces.append(substitutions[piece] if index % 2 else piece)
    props["DefinitionString"] = {"Fn::Join": ["", [p for p in pieces if p != ""]]}


def _forget_dependencies(cfn: dict[str, Any], dropped: set[str]) -> None:
    """Remove DependsOn on dropped resources; fail if anything still references one."""
    for logical_id, resource in cfn["Resources"].items():
        depends = resource.get("DependsOn")
        if isinstance(depends, str):
            depends = [depends]
        if depends is not None:
            kept = [d for d in depends if d not in dropped]
            if kept:
                resource["DependsOn"] = kept
            else:
                resource.pop("DependsOn")
        _check_references(logical_id, resource.get("Properties", {}), dropped)
    for name, output in cfn.get("Outputs", {}).items():
        _check_references(f"Output {name}", output.get("Value"), dropped)


def _check_references(owner: str, node: Any, dropped: set[str]) -> None:
    for target in _references(node):
        if target in dropped:
            raise ValueError(
                f"{owner} references {target}, which moto cannot create; "
                "add a shim in agentsim_local/embedded/cfn_models.py"
            )


def _references(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref" and isinstance(value, str):
                yield value
            elif key == "Fn::GetAtt" and isinstance(value, list) and value:
                yield str(value[0])
            elif key == "Fn::Sub":
                text = value[0] if isinstance(value, list) else value
                if isinstance(text, str):
                    yield from re.findall(r"\$\{([^!}][^}.]*)", text)
                yield from _references(value)
            else:
                yield from _references(value)
    elif isinstance(node, list):
        for item in node:
            yield from _references(item)
