"""The IAM fix: a role's inline policies as IAM keeps them, on create and on update.

moto is imported inside the fix, so importing this module does not need moto.
"""

from __future__ import annotations

import json
from typing import Any

from shared_nlb.standin.patches.state import replace


def _document(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _role_policies() -> None:
    """Not in TOOLCHAIN.md: `AWS::IAM::Role` keeps each inline policy of `Policies` as the template's
    object, so GetRolePolicy answers its Python repr, which no client reads as JSON; and an update
    changes neither the trust policy nor the inline policies (a new service's target group would never
    reach a cluster's controller role). Stores the policies as JSON on create, and on update replaces
    the trust policy, the description and the inline policies, as CloudFormation does."""
    from moto.iam.models import Role

    create = Role.__dict__["create_from_cloudformation_json"].__func__

    def created(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = cloudformation_json["Properties"]
        policies = [{**p, "PolicyDocument": _document(p["PolicyDocument"])} for p in properties.get("Policies", [])]
        return create(cls, resource_name, {**cloudformation_json, "Properties": {**properties, "Policies": policies}}, account_id, region_name, **kwargs)

    def updated(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        properties = cloudformation_json["Properties"]
        original_resource.assume_role_policy_document = _document(properties["AssumeRolePolicyDocument"])
        original_resource.description = properties.get("Description", "")
        original_resource.policies = {p["PolicyName"]: _document(p["PolicyDocument"]) for p in properties.get("Policies", [])}
        return original_resource

    replace(Role, "create_from_cloudformation_json", classmethod(created))
    replace(Role, "update_from_cloudformation_json", classmethod(updated))
