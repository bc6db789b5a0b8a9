"""CloudFormation resource types moto 5.2 cannot create, implemented on moto's own backends.

moto's CloudFormation finds a model class per resource type; these follow the same protocol
(`create_from_cloudformation_json`, `physical_resource_id`, `get_cfn_attribute`, ...) and create
the resource through the same backend the service API uses, so `get_secret_value`,
`get_schedule` etc. see exactly what the template declared. `extra_models()` is merged into
moto's model map by `patches.py` for the lifetime of an embedded run only.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
from moto.scheduler.models import scheduler_backends
from moto.secretsmanager.models import secretsmanager_backends
from moto.secretsmanager.utils import random_password


class _Shim:
    """The part of moto's CloudFormationModel protocol every shim shares."""

    cfn_type: ClassVar[str]
    name_property: ClassVar[str] = "Name"
    attributes: ClassVar[tuple[str, ...]] = ()
    """What `Fn::GetAtt` can read; each instance holds the values."""

    cf_resource_type: str
    logical_resource_id: str

    def __init__(self, physical_id: str, **attributes: str) -> None:
        self._physical_id = physical_id
        self._attributes = attributes

    @classmethod
    def cloudformation_type(cls) -> str:
        return cls.cfn_type

    @classmethod
    def cloudformation_name_type(cls) -> str:
        return cls.name_property

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in cls.attributes

    @property
    def physical_resource_id(self) -> str:
        return self._physical_id

    def get_cfn_attribute(self, attribute_name: str) -> str:
        if attribute_name not in self._attributes:
            raise UnformattedGetAttTemplateException()
        return self._attributes[attribute_name]

    def is_created(self) -> bool:
        return True

    @classmethod
    def create_from_cloudformation_json(
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> _Shim:
        return cls.create(
            resource_name, cloudformation_json.get("Properties", {}), account_id, region_name
        )

    @classmethod
    def create(cls, name: str, props: Any, account_id: str, region: str) -> _Shim:
        """Create resource `name` as its `props` declare, through the service's moto backend."""
        raise NotImplementedError

    @classmethod
    def update_from_cloudformation_json(cls, *args: Any, **kwargs: Any) -> _Shim:
        raise NotImplementedError(f"{cls.cfn_type} updates are not supported in the embedded run")

    @classmethod
    def delete_from_cloudformation_json(cls, *args: Any, **kwargs: Any) -> None:
        """Deleting happens by resetting moto when the embedded run stops."""


class SecretShim(_Shim):
    """AWS::SecretsManager::Secret, including GenerateSecretString (Ref and Id = the ARN)."""

    cfn_type = "AWS::SecretsManager::Secret"
    attributes = ("Id",)

    @classmethod
    def create(cls, name: str, props: Any, account_id: str, region: str) -> _Shim:
        backend = secretsmanager_backends[account_id][region]
        created = backend.create_secret(
            name=name,
            secret_string=_secret_string(props),
            secret_binary=None,
            description=props.get("Description"),
            tags=props.get("Tags"),
            kms_key_id=props.get("KmsKeyId"),
            client_request_token=None,
            replica_regions=props.get("ReplicaRegions", []),
            force_overwrite=False,
        )
        arn = str(json.loads(created)["ARN"])
        return cls(arn, Id=arn)


def _secret_string(props: dict[str, Any]) -> str | None:
    """SecretString, or the value GenerateSecretString describes (a password, maybe in a JSON)."""
    generate = props.get("GenerateSecretString")
    if not generate:
        secret = props.get("SecretString")
        return None if secret is None else str(secret)
    password = random_password(
        int(generate.get("PasswordLength", 32)),
        str(generate.get("ExcludeCharacters", "")),
        bool(generate.get("ExcludeNumbers", False)),
        bool(generate.get("ExcludePunctuation", False)),
        bool(generate.get("ExcludeUppercase", False)),
        bool(generate.get("ExcludeLowercase", False)),
        bool(generate.get("IncludeSpace", False)),
        bool(generate.get("RequireEachIncludedType", True)),
    )
    template = generate.get("SecretStringTemplate")
    key = generate.get("GenerateStringKey")
    if template is None or key is None:
        return password
    document = json.loads(template)
    document[key] = password
    return json.dumps(document)


class ScheduleShim(_Shim):
    """AWS::Scheduler::Schedule (Ref = the name, Arn attribute)."""

    cfn_type = "AWS::Scheduler::Schedule"
    attributes = ("Arn",)

    @classmethod
    def create(cls, name: str, props: Any, account_id: str, region: str) -> _Shim:
        backend = scheduler_backends[account_id][region]
        schedule = backend.create_schedule(
            description=props.get("Description"),
            end_date=props.get("EndDate"),
            flexible_time_window=props.get("FlexibleTimeWindow", {"Mode": "OFF"}),
            group_name=props.get("GroupName"),
            kms_key_arn=props.get("KmsKeyArn"),
            name=name,
            schedule_expression=props["ScheduleExpression"],
            schedule_expression_timezone=props.get("ScheduleExpressionTimezone"),
            start_date=props.get("StartDate"),
            state=props.get("State"),
            target=props["Target"],
            action_after_completion=props.get("ActionAfterCompletion"),
        )
        return cls(schedule.name, Arn=schedule.arn)


class ScheduleGroupShim(_Shim):
    """AWS::Scheduler::ScheduleGroup (Ref = the name, Arn attribute)."""

    cfn_type = "AWS::Scheduler::ScheduleGroup"
    attributes = ("Arn",)

    @classmethod
    def create(cls, name: str, props: Any, account_id: str, region: str) -> _Shim:
        backend = scheduler_backends[account_id][region]
        group = backend.create_schedule_group(name=name, tags=props.get("Tags", []))
        return cls(group.name, Arn=group.arn)


def extra_models() -> dict[str, type[_Shim]]:
    """Resource type -> shim class, for the types moto's CloudFormation lacks."""
    return {shim.cfn_type: shim for shim in (SecretShim, ScheduleShim, ScheduleGroupShim)}
