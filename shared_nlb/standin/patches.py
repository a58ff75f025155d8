"""The fixes that close moto 5.2.5's CloudFormation gaps for an NLB stack, one function per gap.

moto's CloudFormation emulation has gaps that matter for an NLB stack (../shared/TOOLCHAIN.md, "moto
5.2.5 as the embedded AWS stand-in", gaps 1-6). Each fix below is one small function whose docstring
names the gap it closes; `tests/test_standin.py` shows each gap with the fix taken away. The fixes
replace methods on moto's classes, so the server must run in this process (`server.running()` starts a
`ThreadedMotoServer` after patching); a separately started `moto_server` would not have them.

The fixes make the stand-in behave like CloudFormation where shared-nlb depends on it: the NLB is a
network load balancer with its attributes, executed change sets refresh outputs and exports, a change
set says which resources are replaced (and updates the resources that reference them), target groups
are updated or replaced as CloudFormation would, removed listeners and target groups go away, a
security group has exactly its rules (inline and separate, no leftover allow-all egress) and is
updated in place, a load balancer with deletion protection cannot be deleted, a TLS listener needs a
certificate that exists, and a failed operation ends as in CloudFormation: rolled back, or in the
failed status a deploy must get the stack out of (ContinueUpdateRollback included). More serve the
real `cdk` CLI run against `shared-nlb standin`: a change set that does not exist is deleted without
error and described as not found, as CloudFormation does; and, for a CDK app of several stacks and
more than NLBs, a stack created by a change set imports other stacks' exports, a network load
balancer has a `net/` ARN, `Fn::GetAtt` answers a load balancer's and a target group's attributes, a
hosted zone with VPCs is private, and a CloudWatch alarm is made.

moto is imported inside each fix, so importing this module does not need moto.
"""

from __future__ import annotations

import copy
import os
from typing import Any

from shared_nlb.standin import rollback
from shared_nlb.standin.classify import SECURITY_GROUP, TARGET_GROUP, classify, replaces
from shared_nlb.standin.rules import EgressRule, Rule, sync_inline_rules

# (owner, attribute, moto's original) of every replaced method, so that tests can take one fix away.
_originals: list[tuple[Any, str, Any]] = []
_applied: set[str] = set()
# Target groups replaced during a change set's execution: deleted afterwards, in CloudFormation's
# clean-up phase, once the listeners point at their replacements.
_replaced_target_groups: list[tuple[str, str, str]] = []


# --- the fixes, one per gap --------------------------------------------------------------------------
def _network_load_balancer_from_template() -> None:
    """Gap 1: `AWS::ElasticLoadBalancingV2::LoadBalancer` ignores `Type`, `IpAddressType`,
    `LoadBalancerAttributes` and `Tags`, so every load balancer is an application one and a TCP
    listener fails. Creates it as the template says, and updates attributes in place (moto has no
    update for it: a modified load balancer would become `None` in the stack)."""
    from moto.elbv2.models import FakeLoadBalancer, elbv2_backends

    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = cloudformation_json["Properties"]
        backend = elbv2_backends[account_id][region_name]
        load_balancer = backend.create_load_balancer(
            resource_name,
            properties.get("SecurityGroups") or [],
            properties.get("Subnets") or [],
            subnet_mappings=properties.get("SubnetMappings"),
            scheme=properties.get("Scheme", "internet-facing"),
            loadbalancer_type=properties.get("Type", "application"),
            ip_address_type=properties.get("IpAddressType", "ipv4"),
            tags=properties.get("Tags") or [],
        )
        _set_attributes(backend, load_balancer.arn, properties)
        return load_balancer

    def update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        backend = elbv2_backends[account_id][region_name]
        _set_attributes(backend, original_resource.arn, cloudformation_json["Properties"])
        return original_resource

    _replace(FakeLoadBalancer, "create_from_cloudformation_json", classmethod(create))
    _replace(FakeLoadBalancer, "update_from_cloudformation_json", classmethod(update))


def _set_attributes(backend: Any, arn: str, properties: dict[str, Any]) -> None:
    attributes = {item["Key"]: str(item["Value"]) for item in properties.get("LoadBalancerAttributes") or []}
    if attributes:
        backend.modify_load_balancer_attributes(arn, attributes)


def _network_load_balancer_arns() -> None:
    """Gap 1 (ARNs): every load balancer's ARN says `loadbalancer/app/`, and so do its listeners'
    (`listener/app/`); ELB's ARN of a network load balancer says `loadbalancer/net/`. Templates depend
    on it: CDK writes an NLB's `LoadBalancer` metric dimension as the `net/<name>/<id>` part of its
    listener's ARN, which with `app/` names an application load balancer. Gives a network load
    balancer (and so its listeners) its `net/` ARN; tags follow it."""
    from moto.elbv2.models import ELBv2Backend

    original = ELBv2Backend.create_load_balancer

    def create_load_balancer(self, *args, **kwargs):
        balancer = original(self, *args, **kwargs)
        if balancer.type == "network":
            arn = balancer.arn.replace(":loadbalancer/app/", ":loadbalancer/net/", 1)
            self.load_balancers[arn] = self.load_balancers.pop(balancer.arn)
            self.tagging_service.copy_tags(balancer.arn, arn)
            self.tagging_service.delete_all_tags_for_resource(balancer.arn)
            balancer.arn = arn
        return balancer

    _replace(ELBv2Backend, "create_load_balancer", create_load_balancer)


def _deletion_protection() -> None:
    """Gap 1 (attributes): `deletion_protection.enabled` is stored but never checked, so a protected
    load balancer can be deleted. Refuses as ELB does (OperationNotPermitted)."""
    from moto.elbv2.exceptions import ELBClientError
    from moto.elbv2.models import ELBv2Backend

    original = ELBv2Backend.delete_load_balancer

    def delete_load_balancer(self, arn):
        balancer = self.load_balancers.get(arn)
        if balancer is not None and balancer.attrs.get("deletion_protection.enabled") == "true":
            raise ELBClientError("OperationNotPermitted", f"Load balancer '{arn}' cannot be deleted because deletion protection is enabled")
        return original(self, arn)

    _replace(ELBv2Backend, "delete_load_balancer", delete_load_balancer)


def _target_group_updates() -> None:
    """Gap 4: target group updates show as Modify but are not applied (moto has no update for target
    groups: the stack's reference becomes `None`), and `TargetGroupAttributes` are ignored. Replaces the
    target group when a replacing property changes (`replaces`, the change set's rule: new ARN; the old
    one is deleted after the execution), and otherwise applies health check and attribute changes in
    place."""
    from moto.elbv2.models import FakeTargetGroup, elbv2_backends

    original_create = FakeTargetGroup.create_from_cloudformation_json.__func__

    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        target_group = original_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        _apply_target_group(elbv2_backends[account_id][region_name], target_group.arn, cloudformation_json["Properties"])
        target_group.standin_properties = cloudformation_json["Properties"]
        return target_group

    def update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        properties = cloudformation_json["Properties"]
        if replaces(TARGET_GROUP, original_resource.standin_properties, properties):
            replacement = create(cls, new_resource_name, cloudformation_json, account_id, region_name)
            _replaced_target_groups.append((account_id, region_name, original_resource.arn))
            return replacement
        _apply_target_group(elbv2_backends[account_id][region_name], original_resource.arn, properties)
        original_resource.standin_properties = properties
        return original_resource

    _replace(FakeTargetGroup, "create_from_cloudformation_json", classmethod(create))
    _replace(FakeTargetGroup, "update_from_cloudformation_json", classmethod(update))


def _apply_target_group(backend: Any, arn: str, properties: dict[str, Any]) -> None:
    backend.modify_target_group(
        arn,
        health_check_proto=properties.get("HealthCheckProtocol"),
        health_check_port=properties.get("HealthCheckPort"),
        health_check_path=properties.get("HealthCheckPath"),
        health_check_interval=properties.get("HealthCheckIntervalSeconds"),
        health_check_timeout=properties.get("HealthCheckTimeoutSeconds"),
        healthy_threshold_count=properties.get("HealthyThresholdCount"),
        unhealthy_threshold_count=properties.get("UnhealthyThresholdCount"),
    )
    attributes = {item["Key"]: str(item["Value"]) for item in properties.get("TargetGroupAttributes") or []}
    if attributes:
        backend.modify_target_group_attributes(arn, attributes)


def _removals() -> None:
    """Gap 5 (deletes): removing a listener or a target group from the template, or deleting the
    stack, leaves them behind (moto has no delete for either), so the target group stays and the
    port stays taken. Gives both a delete, so removals and stack deletion clean up. moto removes
    resources before it updates the ones that referred to them, while CloudFormation removes them in
    its clean-up phase, after the updates (stack status UPDATE_COMPLETE_CLEANUP_IN_PROGRESS, "Stack
    status codes" in the CloudFormation User Guide); a target group a listener still forwards to (the
    listener's update, which comes later in moto, switches it away) is deleted after the execution,
    as a replaced one is."""
    from moto.elbv2.exceptions import ResourceInUseError
    from moto.elbv2.models import FakeListener, FakeTargetGroup, elbv2_backends

    def delete_target_group(self, account_id, region_name):
        backend = elbv2_backends[account_id][region_name]
        if self.arn in backend.target_groups:
            try:
                backend.delete_target_group(self.arn)
            except ResourceInUseError:
                _replaced_target_groups.append((account_id, region_name, self.arn))

    def delete_listener(self, account_id, region_name):
        backend = elbv2_backends[account_id][region_name]
        if any(self.arn in lb.listeners for lb in backend.load_balancers.values()):
            backend.delete_listener(self.arn)

    _replace(FakeTargetGroup, "delete", delete_target_group)
    _replace(FakeListener, "delete", delete_listener)


def _weighted_forward_from_template() -> None:
    """Gap 7: an `AWS::ElasticLoadBalancingV2::Listener` whose forward action has a `ForwardConfig`
    (weighted target groups, which NLB listeners take since November 2025) fails with a KeyError on
    create and update: moto's template reader keeps only `TargetGroupArn` of a forward action. Passes
    such actions through whole, as moto's CreateListener API does."""
    from moto.elbv2.exceptions import InvalidActionTypeError
    from moto.elbv2.models import ALLOWED_ACTIONS, ELBv2Backend

    def convert_and_validate_properties(self, properties):
        actions = []
        for index, action in enumerate(properties["DefaultActions"]):
            if action["Type"] == "forward" and "ForwardConfig" in action:
                actions.append({"Type": "forward", "ForwardConfig": action["ForwardConfig"]})
            elif action["Type"] == "forward":
                actions.append({"Type": "forward", "TargetGroupArn": action["TargetGroupArn"]})
            elif action["Type"] in ALLOWED_ACTIONS:
                actions.append(action)
            else:
                raise InvalidActionTypeError(action["Type"], index + 1)
        return actions

    _replace(ELBv2Backend, "convert_and_validate_properties", convert_and_validate_properties)


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

    _replace(SecurityGroup, "create_from_cloudformation_json", classmethod(create))
    _replace(SecurityGroup, "update_from_cloudformation_json", classmethod(update))



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

    _replace(parsing, "resource_class_from_type", resource_class_from_type)


def _elbv2_get_att() -> None:
    """Not in TOOLCHAIN.md: `Fn::GetAtt` of a load balancer's `CanonicalHostedZoneID`,
    `LoadBalancerFullName` or `SecurityGroups` is left unresolved (moto logs a warning and the
    `Fn::GetAtt` itself becomes the value: a Route 53 alias to the NLB gets the text
    "{'Fn::GetAtt': ...}" as its hosted zone), and a target group has no `Fn::GetAtt` at all: an
    AttributeError, which fails a resource that uses one (a CloudWatch alarm's `TargetGroup` dimension
    is `TargetGroupFullName`) and, in an output, takes all of the stack's outputs out of
    DescribeStacks. Answers them from the resource, as DescribeLoadBalancers and DescribeTargetGroups
    do."""
    from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
    from moto.elbv2.models import FakeLoadBalancer, FakeTargetGroup

    original = FakeLoadBalancer.get_cfn_attribute

    def load_balancer_attribute(self, attribute_name):
        # The full name is the ARN's resource path after "loadbalancer/", as CloudWatch's dimension wants
        values = {
            "CanonicalHostedZoneID": lambda: self.canonical_hosted_zone_id,
            "LoadBalancerFullName": lambda: self.arn.split(":loadbalancer/", 1)[1],
            "SecurityGroups": lambda: list(self.security_groups),
        }
        return values[attribute_name]() if attribute_name in values else original(self, attribute_name)

    def target_group_attribute(self, attribute_name):
        values = {
            "TargetGroupFullName": lambda: self.arn.rsplit(":", 1)[1],
            "TargetGroupName": lambda: self.name,
            "TargetGroupArn": lambda: self.arn,
            "LoadBalancerArns": lambda: list(self.load_balancer_arns),
        }
        if attribute_name not in values:
            raise UnformattedGetAttTemplateException()
        return values[attribute_name]()

    _replace(FakeLoadBalancer, "get_cfn_attribute", load_balancer_attribute)
    _replace(FakeTargetGroup, "get_cfn_attribute", target_group_attribute)


def _private_hosted_zones() -> None:
    """Not in TOOLCHAIN.md: `AWS::Route53::HostedZone` ignores `VPCs` and `HostedZoneConfig`, so
    every zone is a public one with no VPC (a private zone for internal services is not private).
    Creates it private and associated with its VPCs when it has any, with its comment."""
    from moto.route53.models import FakeZone, route53_backends
    from moto.utilities.utils import get_partition

    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = cloudformation_json["Properties"]
        vpcs = properties.get("VPCs") or []
        first = vpcs[0] if vpcs else {}
        zone = route53_backends[account_id][get_partition(region_name)].create_hosted_zone(
            resource_name,
            private_zone=bool(vpcs),
            vpcid=first.get("VPCId"),
            vpcregion=first.get("VPCRegion"),
            comment=(properties.get("HostedZoneConfig") or {}).get("Comment"),
        )
        for vpc in vpcs[1:]:
            zone.add_vpc(vpc["VPCId"], vpc["VPCRegion"])
        return zone

    _replace(FakeZone, "create_from_cloudformation_json", classmethod(create))


def _metric_alarms() -> None:
    """Not in TOOLCHAIN.md: `AWS::CloudWatch::Alarm` is not modelled (skipped with a warning, so the
    stack completes without its alarms). Models an alarm on one metric (`alarms.MetricAlarm`): put on
    create and update, deleted with the stack or when removed."""
    from moto.cloudformation import parsing

    from shared_nlb.standin.alarms import MetricAlarm

    original = parsing.resource_class_from_type

    def resource_class_from_type(resource_type):
        return MetricAlarm if resource_type == "AWS::CloudWatch::Alarm" else original(resource_type)

    _replace(parsing, "resource_class_from_type", resource_class_from_type)


def _change_set_replacements() -> None:
    """Not in TOOLCHAIN.md, found here: a change set's changes carry no `Replacement` or
    `PhysicalResourceId`, and a resource that references a replaced one (a listener forwarding to a
    replaced target group) is neither listed nor updated, so the listener keeps forwarding to the old
    target group. Lists and updates it, and says Replacement True / Conditional / False as
    CloudFormation does."""
    from moto.cloudformation.models import ChangeSet
    from moto.cloudformation.parsing import ResourceMap

    original_diff = ResourceMap.build_resource_diff

    def build_resource_diff(self, other_template, parameters=None):
        actions = original_diff(self, other_template, parameters)
        for name in classify(self._resource_json_map, other_template["Resources"]):
            if name not in actions["Modify"] and name in self._resource_json_map and name in other_template["Resources"]:
                actions["Modify"].append(name)
        return actions

    original_change_set_diff = ChangeSet.diff

    def diff(self):
        changes = original_change_set_diff(self)
        old = self.stack.resource_map._resource_json_map
        replacements = classify(old, self.template_dict.get("Resources", {}))
        for change in changes:
            parsed = self.stack.resource_map._parsed_resources.get(change.logical_resource_id)
            change.physical_resource_id = getattr(parsed, "physical_resource_id", None) if change.action != "Add" else None
            if change.action == "Modify":
                change.replacement = replacements.get(change.logical_resource_id, "False")
        return changes

    _replace(ResourceMap, "build_resource_diff", build_resource_diff)
    _replace(ChangeSet, "diff", diff)


def _executed_change_sets() -> None:
    """Gap 5 (outputs): `execute_change_set` adds resources but does not refresh Outputs or exports
    (a CREATE change set leaves the stack with no outputs at all). Refreshes both after execution,
    with CloudFormation's export-uniqueness check, and deletes replaced target groups afterwards."""
    from moto.cloudformation.exceptions import ValidationError
    from moto.cloudformation.models import CloudFormationBackend

    original = CloudFormationBackend.execute_change_set

    def execute_change_set(self, change_set_name, stack_name=None):
        _replaced_target_groups.clear()
        original(self, change_set_name, stack_name)
        change_set = self.describe_change_set(change_set_name)
        stack = self.stacks[change_set.stack_id]
        stack._parse_template()
        stack.description = stack.template_dict.get("Description")
        stack.output_map = stack._create_output_map()
        mine = [name for name, export in self.exports.items() if export.exporting_stack_id == stack.stack_id]
        taken = set(self.exports) - set(mine)
        new = stack.exports
        if taken & {export.name for export in new}:
            raise ValidationError(stack.stack_id, message="Export names must be unique across a given region")
        for name in mine:
            del self.exports[name]
        for export in new:
            self.exports[export.name] = export
        _delete_queued_target_groups()

    _replace(CloudFormationBackend, "execute_change_set", execute_change_set)


def _imports_in_change_set_stacks() -> None:
    """Not in TOOLCHAIN.md: a stack created by a CREATE change set cannot import. moto's
    `create_change_set` builds its stack without the region's exports (`create_stack` passes them,
    `create_change_set` does not), so every `Fn::ImportValue` fails with "No export named ... found"
    even when another stack exports that name; a CDK app whose stacks share a VPC cannot deploy. Gives
    the stack the region's exports as they stand when its change set executes, as CloudFormation
    resolves imports then."""
    from moto.cloudformation.models import CloudFormationBackend

    original = CloudFormationBackend.create_change_set

    def create_change_set(self, *args, **kwargs):
        change_set_id, stack_id = original(self, *args, **kwargs)
        stack = self.stacks[stack_id]
        # the backend's own dict, not a copy: exports added later are seen at execution
        stack.cross_stack_resources = stack.resource_map.cross_stack_resources = self.exports
        return change_set_id, stack_id

    _replace(CloudFormationBackend, "create_change_set", create_change_set)


def _delete_queued_target_groups() -> None:
    """The clean-up phase: delete the target groups queued while a listener still used them (replaced,
    or removed before the listener's update), now that nothing forwards to them. Also run after a
    rollback or a stack deletion, whose deletes queue them the same way."""
    from moto.elbv2.exceptions import ResourceInUseError
    from moto.elbv2.models import elbv2_backends

    for account_id, region_name, arn in _replaced_target_groups:
        backend = elbv2_backends[account_id][region_name]
        if arn in backend.target_groups:
            try:
                backend.delete_target_group(arn)
            except ResourceInUseError:  # a listener that could not be deleted still forwards to it
                pass
    _replaced_target_groups.clear()


def _update_stack_tags() -> None:
    """Not in TOOLCHAIN.md: an executed UPDATE change set leaves the stack's own tags as they were at
    creation; CloudFormation replaces them with the change set's `Tags`, as `cdk deploy` relies on.
    moto reads an absent `Tags` as an empty one, so on the stand-in an UPDATE change set without
    `Tags` clears them; shared-nlb always passes the config's `stack.tags`."""
    from moto.cloudformation.models import CloudFormationBackend

    original = CloudFormationBackend.execute_change_set

    def execute_change_set(self, change_set_name, stack_name=None):
        original(self, change_set_name, stack_name)
        change_set = self.describe_change_set(change_set_name)
        if change_set.change_set_type == "UPDATE" and change_set.tags is not None:
            self.stacks[change_set.stack_id].tags = dict(change_set.tags)

    _replace(CloudFormationBackend, "execute_change_set", execute_change_set)


def _failed_stack_deletes() -> None:
    """Gap 5 (deletes): when a resource cannot be deleted (a protected load balancer), moto's
    DeleteStack fails with an internal error and forgets the stack. CloudFormation keeps it, in
    DELETE_FAILED with the resource's reason; so does this."""
    from moto.cloudformation.models import CloudFormationBackend

    rollback.record(_replace)
    original = CloudFormationBackend.delete_stack

    def delete_stack(self, name_or_stack_id):
        stack = next((s for s in self.stacks.values() if name_or_stack_id in (s.stack_id, s.name)), None)
        rollback.clear()
        try:
            original(self, name_or_stack_id)
            _delete_queued_target_groups()
        except Exception as error:  # any resource failure: the stack stays, as in CloudFormation
            _delete_queued_target_groups()
            if stack is None:
                raise
            self.stacks[stack.stack_id] = stack
            self.deleted_stacks.pop(stack.stack_id, None)
            stack.status = "DELETE_FAILED"
            made = stack.resource_map  # what is left, and nothing else (moto would make the rest again when asked for it)
            made._resource_json_map = {k: v for k, v in made._resource_json_map.items() if k in made._parsed_resources}
            # its outputs and their exports named what is gone (and would keep the export names taken)
            stack.template_dict = {k: v for k, v in stack.template_dict.items() if k != "Outputs"}
            stack.output_map = stack._create_output_map()
            for name in [n for n, export in self.exports.items() if export.exporting_stack_id == stack.stack_id]:
                del self.exports[name]
            failed = rollback.failures()
            for logical_id, cause in sorted(failed.items()):
                resource = stack.resource_map._resource_json_map.get(logical_id) or {}
                rollback.resource_event(stack, logical_id, resource.get("Type", ""), "DELETE_FAILED", rollback.reason(cause))
            why = f"The following resource(s) failed to delete: [{', '.join(sorted(failed))}]." if failed else (getattr(error, "message", None) or str(error))
            stack._add_stack_event("DELETE_FAILED", resource_status_reason=why)

    _replace(CloudFormationBackend, "delete_stack", delete_stack)


def _missing_change_set_deletes() -> None:
    """Gap of the real CDK CLI (TOOLCHAIN.md, "The real CDK CLI against the stand-in"): DeleteChangeSet
    of a name that does not exist fails with an internal error (HTTP 500). `cdk deploy` deletes its
    change set by name before creating one, and retries that error for the better part of a minute.
    CloudFormation answers success while the stack exists; so does this."""
    from moto.cloudformation.models import CloudFormationBackend

    original = CloudFormationBackend.delete_change_set

    def delete_change_set(self, change_set_name):
        if _change_set_exists(self, change_set_name):
            original(self, change_set_name)

    _replace(CloudFormationBackend, "delete_change_set", delete_change_set)


def _missing_change_set_describes() -> None:
    """Gap of the real CDK CLI (TOOLCHAIN.md, "The real CDK CLI against the stand-in"):
    DescribeChangeSet of a name that does not exist answers ValidationError "Stack with id <name>
    does not exist" (HTTP 400). CloudFormation answers ChangeSetNotFound (HTTP 404), which `cdk deploy`
    and `cdk diff` take as "no change set yet"; moto's answer fails every update deploy. Answers as
    CloudFormation does."""
    from moto.cloudformation.exceptions import CloudFormationError
    from moto.cloudformation.models import CloudFormationBackend

    class ChangeSetNotFound(CloudFormationError):
        # The error's shape name in the CloudFormation model: moto's server answers with the shape's
        # code (ChangeSetNotFound) and HTTP status (404) from there.
        code = "ChangeSetNotFoundException"

    original = CloudFormationBackend.describe_change_set

    def describe_change_set(self, change_set_name):
        if not _change_set_exists(self, change_set_name):
            raise ChangeSetNotFound(f"ChangeSet [{change_set_name}] does not exist")
        return original(self, change_set_name)

    _replace(CloudFormationBackend, "describe_change_set", describe_change_set)


def _change_set_exists(backend: Any, change_set_name: str) -> bool:
    """moto's own lookup: a change set's ID (its key) or its name."""
    return change_set_name in backend.change_sets or any(c.change_set_name == change_set_name for c in backend.change_sets.values())


def _listener_updates() -> None:
    """Not in TOOLCHAIN.md: moto's listener update goes through its ModifyListener, which refuses the
    TLS, UDP and TCP_UDP protocols (UnsupportedProtocol), so updating such a listener fails the stack;
    and it checks certificates for HTTPS only, so a TLS listener may be given a certificate that does
    not exist (moto's create refuses one, with classic ELB's wording). ELBv2 refuses a certificate
    that is in neither ACM nor IAM with CertificateNotFound, on CreateListener and ModifyListener alike
    (API reference, errors of both); this does, and updates any listener in place."""
    from moto.elbv2.models import FakeAction, FakeListener, elbv2_backends

    original_create = FakeListener.create_from_cloudformation_json.__func__

    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        _certificates_exist(account_id, region_name, cloudformation_json["Properties"])
        return original_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)

    def update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        properties = cloudformation_json["Properties"]
        _certificates_exist(account_id, region_name, properties)
        listener = original_resource
        certificates = [c["CertificateArn"] for c in properties.get("Certificates") or []]
        listener.port, listener.protocol = properties.get("Port", listener.port), properties.get("Protocol", listener.protocol)
        listener.ssl_policy, listener.alpn_policy = properties.get("SslPolicy"), properties.get("AlpnPolicy")
        listener.certificate, listener.certificates = (certificates[0] if certificates else None), certificates
        actions = [FakeAction(action) for action in elbv2_backends[account_id][region_name].convert_and_validate_properties(properties)]
        listener.default_actions = actions
        listener._default_rule[0].actions = actions
        return listener

    _replace(FakeListener, "create_from_cloudformation_json", classmethod(create))
    _replace(FakeListener, "update_from_cloudformation_json", classmethod(update))


def _certificates_exist(account_id: str, region_name: str, properties: dict[str, Any]) -> None:
    from moto.acm.models import CertificateNotFound, acm_backends
    from moto.elbv2.exceptions import ELBClientError
    from moto.iam.models import iam_backends

    for certificate in properties.get("Certificates") or []:
        arn = certificate.get("CertificateArn", "")
        try:
            acm_backends[account_id][region_name].get_certificate(arn)
        except CertificateNotFound:
            if iam_backends[account_id]["aws"].get_certificate_by_arn(arn) is None:
                raise ELBClientError("CertificateNotFound", f"Certificate '{arn}' not found") from None


def _failed_executions_roll_back() -> None:
    """Not in TOOLCHAIN.md (formerly listed as not closed): when a resource fails, moto's
    ExecuteChangeSet answers with that resource's error and leaves the stack half-made, in its status
    from before (REVIEW_IN_PROGRESS for a create). CloudFormation takes the execution, reports the
    failed resource in the stack's events and rolls back; so does this (`rollback`): a failed create
    ends in ROLLBACK_COMPLETE, or ROLLBACK_FAILED when a delete fails (a load balancer's deletion
    protection is honoured, through `_deletion_protection`); a failed update in
    UPDATE_ROLLBACK_COMPLETE, or UPDATE_ROLLBACK_FAILED when a resource cannot be restored."""
    from moto.cloudformation.models import CloudFormationBackend

    rollback.record(_replace)
    original = CloudFormationBackend.execute_change_set

    def execute_change_set(self, change_set_name, stack_name=None):
        change_set = self.describe_change_set(change_set_name)
        stack = self.stacks[change_set.stack_id]
        previous = copy.deepcopy(stack.template_dict)
        rollback.clear()
        try:
            original(self, change_set_name, stack_name)
        except Exception:
            failed = rollback.failures()
            if not failed:  # not a resource's failure (an export name taken, say): refused, as before
                raise
            if change_set.change_set_type == "CREATE":
                rollback.roll_back_create(stack, change_set.template_dict, failed)
            else:
                rollback.roll_back_update(stack, previous, change_set.template_dict, failed)
            _delete_queued_target_groups()
            change_set.execution_status = "EXECUTE_FAILED"

    _replace(CloudFormationBackend, "execute_change_set", execute_change_set)


def _continue_update_rollback() -> None:
    """Not in TOOLCHAIN.md: moto has no ContinueUpdateRollback (the call fails as not implemented), so
    nothing moves a stack out of UPDATE_ROLLBACK_FAILED. Resumes the rollback (`rollback.restore`),
    ending in UPDATE_ROLLBACK_COMPLETE or again in UPDATE_ROLLBACK_FAILED; the ResourcesToSkip stay as
    they are and count as restored (API reference, ContinueUpdateRollback)."""
    from moto.cloudformation.exceptions import ValidationError
    from moto.cloudformation.responses import CloudFormationResponse
    from moto.core.responses import EmptyResult

    def continue_update_rollback(self):
        stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
        if stack.status != "UPDATE_ROLLBACK_FAILED" or not hasattr(stack, "standin_rollback"):
            raise ValidationError(message=f"Stack {stack.stack_id} is in {stack.status} state: only a stack in UPDATE_ROLLBACK_FAILED can continue its rollback")
        stack._add_stack_event("UPDATE_ROLLBACK_IN_PROGRESS", resource_status_reason="Continue rollback requested by user.")
        rollback.restore(stack, skip=list(self._get_param("ResourcesToSkip") or []))
        return EmptyResult()

    _replace(CloudFormationResponse, "continue_update_rollback", continue_update_rollback)


# A stack in one of these cannot be updated ("Stack status codes"): only deleted, or, for the last,
# rolled back further.
_NOT_UPDATABLE = frozenset({"CREATE_FAILED", "ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "DELETE_FAILED", "UPDATE_ROLLBACK_FAILED"})


def _change_sets_refused_for_failed_stacks() -> None:
    """Not in TOOLCHAIN.md: moto creates an UPDATE change set for a stack in any status, and a CREATE
    change set under the name of a stack that exists (a second stack of that name). CloudFormation
    refuses both: a stack in ROLLBACK_COMPLETE, ROLLBACK_FAILED, DELETE_FAILED or
    UPDATE_ROLLBACK_FAILED cannot be updated (ValidationError), and a stack's name is taken until the
    stack is deleted (AlreadyExistsException). So does this, so the stand-in has the dead ends a
    failed deploy can leave."""
    from moto.cloudformation.exceptions import AlreadyExistsException, ValidationError
    from moto.cloudformation.models import CloudFormationBackend

    original = CloudFormationBackend.create_change_set

    def create_change_set(self, stack_name, change_set_name, template, parameters, description, change_set_type, *args, **kwargs):
        stack = next((s for s in self.stacks.values() if s.name == stack_name), None)
        if stack is not None and change_set_type == "CREATE" and stack.status != "REVIEW_IN_PROGRESS":
            raise AlreadyExistsException(f"Stack [{stack_name}] already exists")
        if stack is not None and change_set_type == "UPDATE" and stack.status in _NOT_UPDATABLE:
            raise ValidationError(message=f"Stack:{stack.stack_id} is in {stack.status} state and can not be updated.")
        return original(self, stack_name, change_set_name, template, parameters, description, change_set_type, *args, **kwargs)

    _replace(CloudFormationBackend, "create_change_set", create_change_set)


FIXES = (
    _network_load_balancer_from_template,
    _network_load_balancer_arns,
    _deletion_protection,
    _target_group_updates,
    _removals,
    _weighted_forward_from_template,
    _security_group_inline_rules,
    _security_group_rule_resources,
    _elbv2_get_att,
    _private_hosted_zones,
    _metric_alarms,
    _change_set_replacements,
    _executed_change_sets,
    _imports_in_change_set_stacks,
    _update_stack_tags,
    _failed_stack_deletes,
    _missing_change_set_deletes,
    _missing_change_set_describes,
    _listener_updates,
    _failed_executions_roll_back,  # after the other execute_change_set fixes: it wraps them all
    _continue_update_rollback,
    _change_sets_refused_for_failed_stacks,
)


_ABSENT = object()  # the method was inherited or missing: removing the fix deletes the attribute


def _replace(owner: Any, name: str, value: Any) -> None:
    _originals.append((owner, name, owner.__dict__.get(name, _ABSENT)))
    setattr(owner, name, value)


def apply_patches(*, without: tuple[str, ...] = ()) -> None:
    """Apply every fix (idempotent) except those named in `without` (tests show a gap that way).
    Must run before the stand-in handles a request."""
    # moto's EC2 backend otherwise builds its whole catalogue of public AMIs (some 170,000 objects)
    # for every account and region it touches; an NLB stack launches no instance. The setting is
    # moto's own (`MOTO_EC2_LOAD_DEFAULT_AMIS`, moto's configuration docs); a user's value is kept.
    os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
    wanted = tuple(fix.__name__ for fix in FIXES if fix.__name__ not in without)
    if tuple(sorted(_applied)) == tuple(sorted(wanted)):
        return
    remove_patches()
    for fix in FIXES:
        if fix.__name__ in wanted:
            fix()
            _applied.add(fix.__name__)


def remove_patches() -> None:
    """Give moto its own methods back (tests only)."""
    while _originals:
        owner, name, value = _originals.pop()
        if value is _ABSENT:
            delattr(owner, name)
        else:
            setattr(owner, name, value)
    _applied.clear()
