"""Security group rules as CloudFormation makes them, on moto's EC2 backend (gap 3).

`sync_inline_rules` keeps a group's inline `SecurityGroupIngress`/`SecurityGroupEgress` equal to the
template's; `Rule`/`EgressRule` model the separate `AWS::EC2::SecurityGroupIngress`/`Egress` resources
that moto does not (or only partly) model. `patches` installs them; moto is imported only when a rule
resource is created, so importing this module does not need moto.
"""

from __future__ import annotations

from typing import Any


def sync_inline_rules(backend: Any, group: Any, properties: dict[str, Any]) -> None:
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
        state[key] = (rules, [rule_id for rule in rules for rule_id in authorize(backend, group.id, rule, egress=egress)])
    group.standin_inline = state


def authorize(backend: Any, group: str, rule: dict[str, Any], *, egress: bool) -> list[str]:
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


class Rule:
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
        return cls(backend, group, authorize(backend, group, properties, egress=cls.egress))

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


class EgressRule(Rule):
    egress = True
