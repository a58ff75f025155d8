"""The EC2 fixes: a security group with exactly its rules, inline and as separate resources (prefix
lists and IPv6 sources included), updated in place unless CloudFormation would replace it; and VPC
endpoint services with their allowed principals.

moto is imported inside each fix, so importing this module does not need moto.
"""

from __future__ import annotations

from shared_nlb.standin.classify import SECURITY_GROUP, replaces
from shared_nlb.standin.patches.state import replace
from shared_nlb.standin.rules import EgressRule, Rule, sync_inline_rules


def _security_group_inline_rules() -> None:
    """Gap 3: `AWS::EC2::SecurityGroup` ignores inline `SecurityGroupEgress` (the group keeps EC2's
    default allow-all egress, so CDK's match-nothing rule does not close it) and half-reads
    `SecurityGroupIngress`; and any property update deletes the group and creates a new one. Creates
    the group with exactly its inline rules (EC2 adds allow-all egress only to a group created without
    egress rules, and does not add it back when they are later removed), and updates Tags and inline
    rules in place; a change of GroupDescription, GroupName or VpcId still replaces the group, as in
    CloudFormation."""
    from moto.ec2.models import ec2_backends
    from moto.ec2.models.security_groups import SecurityGroup

    original_update = SecurityGroup.update_from_cloudformation_json.__func__

    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = cloudformation_json["Properties"]
        backend = ec2_backends[account_id][region_name]
        tags = {t["Key"]: t["Value"] for t in properties.get("Tags") or []}
        group = backend.create_security_group(name=resource_name, description=properties.get("GroupDescription"), vpc_id=properties.get("VpcId"), tags=tags)
        sync_inline_rules(backend, group, properties)
        group.standin_properties = properties
        return group

    def update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        properties = cloudformation_json["Properties"]
        group = original_resource
        if replaces(SECURITY_GROUP, group.standin_properties, properties):
            return original_update(cls, group, new_resource_name, cloudformation_json, account_id, region_name)  # calls `create` above
        backend = ec2_backends[account_id][region_name]
        backend.delete_tag_keys([group.id], [t["key"] for t in group.get_tags()])
        group.add_tags({t["Key"]: t["Value"] for t in properties.get("Tags") or []})
        sync_inline_rules(backend, group, properties)
        group.standin_properties = properties
        return group

    replace(SecurityGroup, "create_from_cloudformation_json", classmethod(create))
    replace(SecurityGroup, "update_from_cloudformation_json", classmethod(update))


def _security_group_rule_resources() -> None:
    """Gap 3 (rule resources): `AWS::EC2::SecurityGroupEgress` is not modelled at all (skipped with a
    warning, so a stack's egress rules never reach the group), and moto's `SecurityGroupIngress`
    takes neither `SourcePrefixListId` nor `CidrIpv6` and has no delete, so a removed rule stays.
    Models both as one rule each, added on create and revoked on delete."""
    from moto.cloudformation import parsing

    original = parsing.resource_class_from_type
    classes = {"AWS::EC2::SecurityGroupIngress": Rule, "AWS::EC2::SecurityGroupEgress": EgressRule}

    def resource_class_from_type(resource_type):
        return classes.get(resource_type) or original(resource_type)

    replace(parsing, "resource_class_from_type", resource_class_from_type)


def _endpoint_services() -> None:
    """Not in TOOLCHAIN.md: `AWS::EC2::VPCEndpointService` and `AWS::EC2::VPCEndpointServicePermissions`
    are not modelled (skipped with a warning: the stack completes without its endpoint service, and a
    `Ref` to it is the logical ID). Models both on moto's own endpoint service API
    (`endpoint_services`): created, updated in place and deleted with the stack or when removed."""
    from moto.cloudformation import parsing

    from shared_nlb.standin.endpoint_services import EndpointService, EndpointServicePermissions

    models = {"AWS::EC2::VPCEndpointService": EndpointService, "AWS::EC2::VPCEndpointServicePermissions": EndpointServicePermissions}
    original = parsing.resource_class_from_type

    def resource_class_from_type(resource_type):
        return models.get(resource_type) or original(resource_type)

    replace(parsing, "resource_class_from_type", resource_class_from_type)
