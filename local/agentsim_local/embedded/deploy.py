"""Deploy a SAM template into the embedded AWS through moto's CloudFormation.

Artifacts go to an S3 bucket, the translated template to `create_stack` (real API calls to
the moto server); the physical names CloudFormation chose are then mapped back to the local
sources so the in-process Lambda runtime can run each function's handler.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import moto.cloudformation.parsing as cfn_parsing

from agentsim_local.embedded.aws import EmbeddedAws
from agentsim_local.embedded.template import PreparedTemplate, artifact_key, prepare


class DeployError(RuntimeError):
    """The stack did not reach CREATE_COMPLETE; the message carries CloudFormation's reason."""


@dataclass(frozen=True)
class Deployment:
    stack_name: str
    outputs: dict[str, str]
    resources: dict[str, str]
    """Logical id -> physical id."""
    template: PreparedTemplate
    seconds: float


def deploy(
    aws: EmbeddedAws,
    template_path: Path,
    *,
    stack_name: str,
    parameters: dict[str, str],
    timeout: float = 120.0,
) -> Deployment:
    started = time.monotonic()
    s3 = boto3.client("s3", endpoint_url=aws.endpoint_url, region_name=aws.region)
    bucket = f"{stack_name.lower()}-artifacts-{aws.account_id}"
    if aws.region == "us-east-1":  # the one region that takes no LocationConstraint
        s3.create_bucket(Bucket=bucket)
    else:
        s3.create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": aws.region}
        )

    def upload(hint: str, data: bytes) -> tuple[str, str]:
        key = artifact_key(hint, data)
        s3.put_object(Bucket=bucket, Key=key, Body=data)
        return bucket, key

    prepared = prepare(
        template_path,
        parameters,
        upload,
        region=aws.region,
        account_id=aws.account_id,
        supported_types=set(cfn_parsing.get_model_map()),
    )
    declared = set(prepared.cfn.get("Parameters", {}))
    cfn = boto3.client("cloudformation", endpoint_url=aws.endpoint_url, region_name=aws.region)
    cfn.create_stack(
        StackName=stack_name,
        TemplateBody=json.dumps(prepared.cfn),
        Parameters=[
            {"ParameterKey": key, "ParameterValue": value}
            for key, value in parameters.items()
            if key in declared
        ],
        Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"],
    )
    stack = _wait_created(cfn, stack_name, timeout)
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    resources = {
        r["LogicalResourceId"]: r.get("PhysicalResourceId", "")
        for r in cfn.describe_stack_resources(StackName=stack_name)["StackResources"]
    }
    for logical_id, source in prepared.functions.items():
        aws.runtime.register(resources[logical_id], source)
    return Deployment(
        stack_name=stack_name,
        outputs=outputs,
        resources=resources,
        template=prepared,
        seconds=time.monotonic() - started,
    )


def _wait_created(cfn: Any, stack_name: str, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        stack: dict[str, Any] = cfn.describe_stacks(StackName=stack_name)["Stacks"][0]
        status = stack["StackStatus"]
        if status == "CREATE_COMPLETE":
            return stack
        if not status.endswith("IN_PROGRESS") or time.monotonic() > deadline:
            events = cfn.describe_stack_events(StackName=stack_name)["StackEvents"]
            reasons = [
                f"{e['LogicalResourceId']}: {e.get('ResourceStatusReason')}"
                for e in events
                if e.get("ResourceStatusReason")
            ]
            raise DeployError(f"stack {stack_name} is {status}: {'; '.join(reasons)}")
        time.sleep(0.2)
