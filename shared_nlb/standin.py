"""moto 5.2.5 as an embedded AWS stand-in, for `shared-nlb demo` and the tests; never the real deploy path.

moto's CloudFormation emulation has gaps that matter for an NLB stack (../shared/TOOLCHAIN.md, "moto
5.2.5 as the embedded AWS stand-in", gaps 1-6). Each fix below is one small function whose docstring
names the gap it closes; `tests/test_standin.py` shows each gap with the fix taken away. The fixes
replace methods on moto's classes, so the server must run in this process (`running()` starts a
`ThreadedMotoServer` after patching); a separately started `moto_server` would not have them.

The fixes make the stand-in behave like CloudFormation where shared-nlb depends on it: the NLB is a
network load balancer with its attributes, executed change sets refresh outputs and exports, a change
set says which resources are replaced (and updates the resources that reference them), target groups
are updated or replaced as CloudFormation would, removed listeners and target groups go away, a
security group has exactly its rules (inline and separate, no leftover allow-all egress) and is
updated in place, and a load balancer with deletion protection cannot be deleted.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from shared_nlb.changeset import ENDPOINT_DEFAULT_REGION
from shared_nlb.config import Config

# The region `deploy --endpoint-url` assumes when none is given, so the two meet without --region.
REGION = ENDPOINT_DEFAULT_REGION
ACCOUNT = "123456789012"  # moto's default account
# The CDK template's `BootstrapVersion` parameter is read from this SSM parameter (TOOLCHAIN gap 2);
# the template's rule asks for version 6 or later.
BOOTSTRAP_PARAMETER = "/cdk-bootstrap/hnb659fds/version"
BOOTSTRAP_VERSION = "21"
# moto's IDs and ARNs come from one random source; seeding it makes a demo run give the same IDs as
# the last one, so its outputs and manifests are byte-identical between runs.
SEED = 20261123

_TARGET_GROUP = "AWS::ElasticLoadBalancingV2::TargetGroup"
_SECURITY_GROUP = "AWS::EC2::SecurityGroup"
# Properties whose change makes CloudFormation replace the resource ("Update requires: Replacement" in
# the CloudFormation resource reference). `None` means every property except those in _IN_PLACE. The
# change set's Replacement (`classify`) and the update hooks both decide through `_replaces`.
_REPLACING: dict[str, frozenset[str] | None] = {
    _TARGET_GROUP: frozenset({"Name", "Port", "Protocol", "ProtocolVersion", "TargetType", "VpcId", "IpAddressType"}),
    "AWS::ElasticLoadBalancingV2::Listener": frozenset({"LoadBalancerArn"}),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": frozenset({"Name", "Scheme", "Type"}),
    _SECURITY_GROUP: frozenset({"GroupDescription", "GroupName", "VpcId"}),
    "AWS::EC2::SecurityGroupIngress": None,
    "AWS::EC2::SecurityGroupEgress": None,
}
_IN_PLACE = frozenset({"Description", "Tags"})

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
    target group when a replacing property changes (`_replaces`, the change set's rule: new ARN; the old
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
        if _replaces(_TARGET_GROUP, original_resource.standin_properties, properties):
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
    port stays taken. Gives both a delete, so removals and stack deletion clean up."""
    from moto.elbv2.models import FakeListener, FakeTargetGroup, elbv2_backends

    def delete_target_group(self, account_id, region_name):
        backend = elbv2_backends[account_id][region_name]
        if self.arn in backend.target_groups:
            backend.delete_target_group(self.arn)  # refuses while a listener uses it: retried by moto

    def delete_listener(self, account_id, region_name):
        backend = elbv2_backends[account_id][region_name]
        if any(self.arn in lb.listeners for lb in backend.load_balancers.values()):
            backend.delete_listener(self.arn)

    _replace(FakeTargetGroup, "delete", delete_target_group)
    _replace(FakeListener, "delete", delete_listener)


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
        _sync_inline_rules(backend, group, properties)
        group.standin_properties = properties
        return group

    def update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        properties = cloudformation_json["Properties"]
        group = original_resource
        if _replaces(_SECURITY_GROUP, group.standin_properties, properties):
            return original_update(cls, group, new_resource_name, cloudformation_json, account_id, region_name)  # calls `create` above
        backend = ec2_backends[account_id][region_name]
        backend.delete_tag_keys([group.id], [t["key"] for t in group.get_tags()])
        group.add_tags({t["Key"]: t["Value"] for t in properties.get("Tags") or []})
        _sync_inline_rules(backend, group, properties)
        group.standin_properties = properties
        return group

    _replace(SecurityGroup, "create_from_cloudformation_json", classmethod(create))
    _replace(SecurityGroup, "update_from_cloudformation_json", classmethod(update))


def _sync_inline_rules(backend: Any, group: Any, properties: dict[str, Any]) -> None:
    """Make the group's inline rules the template's. Remembers, per property, the template's rules and
    the IDs of the rules they gave (for egress, at first, EC2's default allow-all), so an update
    revokes exactly those and leaves the rules of separate SecurityGroupIngress/Egress resources."""
    state = getattr(group, "standin_inline", None) or {"SecurityGroupIngress": ([], []), "SecurityGroupEgress": ([], [r.id for r in group.egress_rules])}
    for key, egress in (("SecurityGroupIngress", False), ("SecurityGroupEgress", True)):
        rules, (before, ids) = properties.get(key) or [], state[key]
        if rules == before:
            continue
        if ids:
            revoke = backend.revoke_security_group_egress if egress else backend.revoke_security_group_ingress
            revoke(group.id, None, None, None, [], security_rule_ids=ids)
        state[key] = (rules, [rule_id for rule in rules for rule_id in _authorize(backend, group.id, rule, egress=egress)])
    group.standin_inline = state


def _authorize(backend: Any, group: str, rule: dict[str, Any], *, egress: bool) -> list[str]:
    """Add one rule in CloudFormation's shape (inline, or a SecurityGroupIngress/Egress resource's
    properties) to the group; the IDs of the rules added."""
    description = {"Description": rule["Description"]} if rule.get("Description") else {}
    ranges = [{key: rule[key], **description} for key in ("CidrIp", "CidrIpv6") if rule.get(key)]
    peer = rule.get("DestinationSecurityGroupId" if egress else "SourceSecurityGroupId")
    prefix_list = rule.get("DestinationPrefixListId" if egress else "SourcePrefixListId")
    authorize = backend.authorize_security_group_egress if egress else backend.authorize_security_group_ingress
    added, _ = authorize(
        group,
        str(rule["IpProtocol"]),
        rule.get("FromPort"),
        rule.get("ToPort"),
        ranges,
        source_groups=[{"GroupId": peer, **description}] if peer else [],
        prefix_list_ids=[{"PrefixListId": prefix_list, **description}] if prefix_list else [],
    )
    return [r.id for r in added]


class _Rule:
    """One `AWS::EC2::SecurityGroupIngress` / `SecurityGroupEgress` resource: the rule it added (its ID
    is the physical ID, sgr-..., as in CloudFormation). An update revokes it and adds the new one."""

    egress = False

    def __init__(self, backend: Any, group: str, rule_ids: list[str]):
        self.backend, self.group, self.rule_ids = backend, group, rule_ids

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        from moto.ec2.models import ec2_backends

        properties = cloudformation_json["Properties"]
        backend = ec2_backends[account_id][region_name]
        group = properties.get("GroupId") or properties.get("GroupName")  # EC2 refuses an unknown group
        return cls(backend, group, _authorize(backend, group, properties, egress=cls.egress))

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        original_resource.delete(account_id, region_name)
        return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)

    def delete(self, account_id: str, region_name: str) -> None:
        group = self.backend.get_security_group_by_name_or_id(self.group)
        present = {r.id for r in (group.egress_rules if self.egress else group.ingress_rules)} if group else set()
        ids = [i for i in self.rule_ids if i in present]
        if ids:
            revoke = self.backend.revoke_security_group_egress if self.egress else self.backend.revoke_security_group_ingress
            revoke(group.id, None, None, None, [], security_rule_ids=ids)

    @property
    def physical_resource_id(self) -> str:
        return self.rule_ids[0]

    @staticmethod
    def has_cfn_attr(attr: str) -> bool:
        return False

    @staticmethod
    def is_created() -> bool:
        return True


class _EgressRule(_Rule):
    egress = True


def _security_group_rule_resources() -> None:
    """Gap 3 (rule resources): `AWS::EC2::SecurityGroupEgress` is not modelled at all (skipped with a
    warning, so a stack's egress rules never reach the group), and moto's `SecurityGroupIngress`
    takes neither `SourcePrefixListId` nor `CidrIpv6` and has no delete, so a removed rule stays.
    Models both as one rule each, added on create and revoked on delete."""
    from moto.cloudformation import parsing

    original = parsing.resource_class_from_type
    classes = {"AWS::EC2::SecurityGroupIngress": _Rule, "AWS::EC2::SecurityGroupEgress": _EgressRule}

    def resource_class_from_type(resource_type):
        return classes.get(resource_type) or original(resource_type)

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
    from moto.elbv2.models import elbv2_backends

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
        for account_id, region_name, arn in _replaced_target_groups:
            backend = elbv2_backends[account_id][region_name]
            if arn in backend.target_groups:
                backend.delete_target_group(arn)
        _replaced_target_groups.clear()

    _replace(CloudFormationBackend, "execute_change_set", execute_change_set)


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

    original = CloudFormationBackend.delete_stack

    def delete_stack(self, name_or_stack_id):
        stack = next((s for s in self.stacks.values() if name_or_stack_id in (s.stack_id, s.name)), None)
        try:
            original(self, name_or_stack_id)
        except Exception as error:  # any resource failure: the stack stays, as in CloudFormation
            if stack is None:
                raise
            self.stacks[stack.stack_id] = stack
            self.deleted_stacks.pop(stack.stack_id, None)
            stack.status = "DELETE_FAILED"
            reason = getattr(error, "message", None) or str(error)
            stack._add_stack_event("DELETE_FAILED", resource_status_reason=reason)

    _replace(CloudFormationBackend, "delete_stack", delete_stack)


FIXES = (
    _network_load_balancer_from_template,
    _deletion_protection,
    _target_group_updates,
    _removals,
    _security_group_inline_rules,
    _security_group_rule_resources,
    _change_set_replacements,
    _executed_change_sets,
    _update_stack_tags,
    _failed_stack_deletes,
)


_ABSENT = object()  # the method was inherited or missing: removing the fix deletes the attribute


def _replace(owner: Any, name: str, value: Any) -> None:
    _originals.append((owner, name, owner.__dict__.get(name, _ABSENT)))
    setattr(owner, name, value)


def apply_patches(*, without: tuple[str, ...] = ()) -> None:
    """Apply every fix (idempotent) except those named in `without` (tests show a gap that way).
    Must run before the stand-in handles a request."""
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


# --- replacement classification (pure) ---------------------------------------------------------------
def _references(value: Any) -> set[str]:
    """Logical IDs a template value refers to through Ref or Fn::GetAtt."""
    found: set[str] = set()
    if isinstance(value, dict):
        if "Ref" in value and isinstance(value["Ref"], str):
            found.add(value["Ref"])
        if "Fn::GetAtt" in value:
            target = value["Fn::GetAtt"]
            found.add(target[0] if isinstance(target, list) else str(target).split(".")[0])
        for item in value.values():
            found |= _references(item)
    elif isinstance(value, list):
        for item in value:
            found |= _references(item)
    return found


def _replacing(resource_type: str, key: str) -> bool:
    keys = _REPLACING.get(resource_type, frozenset())
    return key not in _IN_PLACE if keys is None else key in keys


def _changed(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    """Properties that differ between two versions of a resource (added and removed ones too)."""
    return {k for k in set(before) | set(after) if before.get(k) != after.get(k)}


def _replaces(resource_type: str, before: dict[str, Any], after: dict[str, Any]) -> bool:
    """Whether CloudFormation replaces a resource whose properties change from `before` to `after`:
    the one rule of `classify()` and of the update hooks."""
    return any(_replacing(resource_type, k) for k in _changed(before, after))


def classify(old: dict[str, Any], new: dict[str, Any]) -> dict[str, str]:
    """Replacement of each resource in both templates that changes: "True" when a replacing property
    changes, "Conditional" when a replacing property refers to a replaced resource (its value is only
    known at execution), "False" otherwise, including resources whose references change in place."""
    result: dict[str, str] = {}
    for name in sorted(set(old) & set(new)):
        before, after = old[name].get("Properties", {}), new[name].get("Properties", {})
        changed = _changed(before, after)
        if changed or old[name].get("Type") != new[name].get("Type"):
            replace = old[name].get("Type") != new[name].get("Type") or _replaces(new[name]["Type"], before, after)
            result[name] = "True" if replace else "False"
    while True:  # follow references from replaced resources until nothing more changes
        replaced = {n for n, r in result.items() if r in ("True", "Conditional")}
        grew = False
        for name in sorted(set(old) & set(new)):
            properties = new[name].get("Properties", {})
            hits = [k for k, v in properties.items() if _references(v) & replaced]
            if not hits:
                continue
            verdict = "Conditional" if any(_replacing(new[name]["Type"], k) for k in hits) else "False"
            if result.get(name) is None or (result[name] == "False" and verdict == "Conditional"):
                result[name] = verdict
                grew = True
        if not grew:
            break
    return result


# --- the running stand-in ----------------------------------------------------------------------------
@dataclass(frozen=True)
class StandIn:
    """A running stand-in: where it listens and a boto3 session with its (fake) credentials."""

    endpoint_url: str
    region: str

    @cached_property
    def _session(self):  # built once: a boto3 Session takes 0.1-0.3 s (it loads botocore's data)
        import boto3

        return boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=self.region)

    def session(self):
        return self._session

    def client(self, service: str):
        return self.session().client(service, endpoint_url=self.endpoint_url)


@contextmanager
def running(*, region: str = REGION, seed: int | None = SEED) -> Iterator[StandIn]:
    """Start moto on 127.0.0.1 (ephemeral port) in this process, patched and seeded with the CDK
    bootstrap version; stop it on exit."""
    from moto.moto_api._internal import mock_random
    from moto.server import ThreadedMotoServer

    apply_patches()
    quiet()
    if seed is not None:
        mock_random.seed(seed)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        standin = StandIn(endpoint_url=f"http://{host}:{port}", region=region)
        seed_bootstrap(standin)
        yield standin
    finally:
        server.stop()


def quiet() -> None:
    """Silence what the stand-in prints for every request and for resource types it does not model:
    noise next to the demo's own lines."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    logging.getLogger("moto").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message=r"Tried to parse AWS::", category=UserWarning)
    warnings.filterwarnings("ignore", message=r"Unable to delete .* as it was never created", category=UserWarning)


def seed_bootstrap(standin: StandIn) -> None:
    """What `cdk bootstrap` leaves in a real account and a deploy uses: the SSM parameter the CDK
    `BootstrapVersion` parameter resolves from (gap 2), and the asset bucket that takes templates too
    large for a change set's TemplateBody."""
    from shared_nlb.changeset import BOOTSTRAP_BUCKET

    standin.client("ssm").put_parameter(Name=BOOTSTRAP_PARAMETER, Value=BOOTSTRAP_VERSION, Type="String", Overwrite=True)
    account = standin.client("sts").get_caller_identity()["Account"]
    standin.client("s3").create_bucket(Bucket=BOOTSTRAP_BUCKET.format(account=account, region=standin.region))


def create_network(standin: StandIn, config: Config) -> tuple[Config, dict[str, str]]:
    """Gap 6: moto cannot take custom IDs. Creates what the config points at: a VPC (the config's
    CIDR), one subnet per configured subnet (each in its own Availability Zone), and a security group
    or prefix list per client source; returns the config with the stand-in IDs in place of the
    configured ones, and the mapping {configured ID: stand-in ID}."""
    import ipaddress

    ec2 = standin.client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock=config.network.vpc_cidr)["Vpc"]["VpcId"]
    mapping = {config.network.vpc_id: vpc_id}
    cidr = ipaddress.ip_network(config.network.vpc_cidr)
    blocks = cidr.subnets(new_prefix=min(cidr.prefixlen + 4, 28))
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
    for index, subnet in enumerate(config.network.subnet_ids):
        created = ec2.create_subnet(VpcId=vpc_id, CidrBlock=str(next(blocks)), AvailabilityZone=zones[index % len(zones)])
        mapping[subnet] = created["Subnet"]["SubnetId"]
    clients = list(config.clients) + [c for s in config.services for c in s.clients or []]
    for client in clients:
        if client.security_group and client.security_group not in mapping:
            group = ec2.create_security_group(GroupName=f"client-{client.security_group}", Description=f"stands for {client.security_group}", VpcId=vpc_id)
            mapping[client.security_group] = group["GroupId"]
        if client.prefix_list and client.prefix_list not in mapping:
            created = ec2.create_managed_prefix_list(PrefixListName=f"client-{client.prefix_list}", MaxEntries=1, AddressFamily="IPv4")
            mapping[client.prefix_list] = created["PrefixList"]["PrefixListId"]
    return _mapped(config, mapping), mapping


def _mapped(config: Config, mapping: dict[str, str]) -> Config:
    def client(c: Any) -> Any:
        return c.model_copy(update={k: mapping[v] for k in ("security_group", "prefix_list") if (v := getattr(c, k)) in mapping})

    network = config.network.model_copy(update={"vpc_id": mapping[config.network.vpc_id], "subnet_ids": [mapping[s] for s in config.network.subnet_ids]})
    services = [s.model_copy(update={"clients": [client(c) for c in s.clients]}) if s.clients else s for s in config.services]
    return config.model_copy(update={"network": network, "clients": [client(c) for c in config.clients], "services": services})
