"""Drift as CloudFormation detects it, on moto's backends: a stack resource's properties as its
service holds them now, compared with the template's (used by `patches.cloudformation_drift`).

CloudFormation compares "only resource properties explicitly defined in the stack template" with
what the service answers, and reports a resource whose service no longer has it as DELETED, one
whose value differs as MODIFIED with a property difference (NOT_EQUAL, ADD, REMOVE), and one of a
type it cannot check as NOT_CHECKED (CloudFormation User Guide, "Detect unmanaged configuration
changes to stacks and resources with drift detection"). The stand-in reads the types an NLB stack
holds: load balancers, listeners, target groups, security groups and their separate rules. A rule
can only be revoked (EC2 has no call that changes its source or ports), so a rule resource is in
sync while its rule is in its group. A security group's rules are compared after CloudFormation's
attachment analysis (same guide, Considerations: SecurityGroupIngress and SecurityGroupEgress
resources attach rules to a group): a rule that neither the group's inline rules nor a rule resource
of the stack made was added by hand (ADD), and an inline rule that is gone was removed (REMOVE); a
revoked rule of a rule resource is that resource's drift. Every other type is NOT_CHECKED here.

moto is imported inside each function, so importing this module does not need moto.
"""

from __future__ import annotations

import json
from typing import Any

LISTENER = "AWS::ElasticLoadBalancingV2::Listener"
TARGET_GROUP = "AWS::ElasticLoadBalancingV2::TargetGroup"
LOAD_BALANCER = "AWS::ElasticLoadBalancingV2::LoadBalancer"
SECURITY_GROUP = "AWS::EC2::SecurityGroup"
RULES = ("AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress")
# What a reader answers for a type it does not read.
NOT_READ = object()


def resource_drift(resource_map: Any, logical_id: str, account_id: str, region_name: str) -> dict[str, Any]:
    """One StackResourceDrift (DescribeStackResourceDrifts) of a stack resource, without its
    StackId and Timestamp."""
    from moto.cloudformation.parsing import clean_json

    resource_json = resource_map._resource_json_map[logical_id]
    resource_type = resource_json["Type"]
    parsed = resource_map._parsed_resources.get(logical_id)
    found = {
        "LogicalResourceId": logical_id,
        "PhysicalResourceId": getattr(parsed, "physical_resource_id", None) or logical_id,
        "ResourceType": resource_type,
    }
    actual = _actual(resource_type, parsed, account_id, region_name)
    if actual is NOT_READ:
        return found | {"StackResourceDriftStatus": "NOT_CHECKED"}
    expected = clean_json(resource_json.get("Properties") or {}, resource_map)
    found["ExpectedProperties"] = json.dumps(expected, sort_keys=True, default=str)
    if actual is None:
        return found | {"StackResourceDriftStatus": "DELETED"}
    differences = list(_differences(expected, actual))
    if resource_type == SECURITY_GROUP:
        differences += _rule_differences(resource_map, parsed)
    found["ActualProperties"] = json.dumps({k: actual[k] for k in expected if k in actual}, sort_keys=True, default=str)
    found["PropertyDifferences"] = differences
    return found | {"StackResourceDriftStatus": "MODIFIED" if differences else "IN_SYNC"}


def _differences(expected: dict[str, Any], actual: dict[str, Any]) -> Any:
    """The PropertyDifferences of the properties the template sets and the reader knows."""
    for key in sorted(expected):
        if key not in actual:
            continue
        wanted, found = _plain(expected[key]), _plain(actual[key])
        if key.endswith("Attributes"):  # key-value lists: the service answers every key, the template some
            found = [item for item in found if item.get("Key") in {w.get("Key") for w in wanted}]
            wanted, found = sorted(wanted, key=str), sorted(found, key=str)
        if key == "DefaultActions":
            wanted, found = _forwards(wanted), _forwards(found)
        if wanted != found:
            yield {"PropertyPath": f"/{key}", "ExpectedValue": _text(wanted), "ActualValue": _text(found), "DifferenceType": "NOT_EQUAL"}


def _plain(value: Any) -> Any:
    """A property value as text, as CloudFormation compares them (`6379` and `"6379"` are equal)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def _forwards(actions: list[dict[str, Any]]) -> list[Any]:
    """Forward actions as (target group, weight) pairs: the service adds defaults the template leaves out."""
    found = []
    for action in actions:
        groups = (action.get("ForwardConfig") or {}).get("TargetGroups")
        pairs = [(g.get("TargetGroupArn"), g.get("Weight", "1")) for g in groups] if groups else [(action.get("TargetGroupArn"), "1")]
        found.append([action.get("Type"), sorted(pairs)])
    return found


def _actual(resource_type: str, parsed: Any, account_id: str, region_name: str) -> Any:
    """The resource's properties as its service holds them, None when it is gone, NOT_READ for a type
    the stand-in does not read."""
    readers = {LISTENER: _listener, TARGET_GROUP: _target_group, LOAD_BALANCER: _load_balancer, SECURITY_GROUP: _security_group}
    if resource_type in RULES:
        return _rule(parsed, account_id, region_name)
    if resource_type not in readers or parsed is None:
        return NOT_READ
    return readers[resource_type](parsed, account_id, region_name)


def _elbv2(account_id: str, region_name: str) -> Any:
    from moto.elbv2.models import elbv2_backends

    return elbv2_backends[account_id][region_name]


def _listener(parsed: Any, account_id: str, region_name: str) -> dict[str, Any] | None:
    balancer = next((b for b in _elbv2(account_id, region_name).load_balancers.values() if parsed.arn in b.listeners), None)
    if balancer is None:
        return None
    listener = balancer.listeners[parsed.arn]
    return {
        "Port": listener.port,
        "Protocol": listener.protocol,
        "DefaultActions": [action.data for action in listener.default_actions],
        "SslPolicy": listener.ssl_policy,
        "Certificates": [{"CertificateArn": arn} for arn in listener.certificates],
    }


def _target_group(parsed: Any, account_id: str, region_name: str) -> dict[str, Any] | None:
    group = _elbv2(account_id, region_name).target_groups.get(parsed.arn)
    if group is None:
        return None
    return {
        "Port": group.port,
        "Protocol": group.protocol,
        "TargetType": group.target_type,
        "VpcId": group.vpc_id,
        "IpAddressType": group.ip_address_type,
        "HealthCheckEnabled": group.health_check_enabled,
        "HealthCheckProtocol": group.health_check_protocol,
        "HealthCheckPort": group.health_check_port,
        "HealthCheckPath": group.health_check_path,
        "HealthCheckIntervalSeconds": group.health_check_interval_seconds,
        "HealthCheckTimeoutSeconds": group.health_check_timeout_seconds,
        "HealthyThresholdCount": group.healthy_threshold_count,
        "UnhealthyThresholdCount": group.unhealthy_threshold_count,
        "TargetGroupAttributes": [{"Key": k, "Value": v} for k, v in sorted(group.attributes.items())],
    }


def _load_balancer(parsed: Any, account_id: str, region_name: str) -> dict[str, Any] | None:
    balancer = _elbv2(account_id, region_name).load_balancers.get(parsed.arn)
    if balancer is None:
        return None
    return {"Scheme": balancer.scheme, "LoadBalancerAttributes": [{"Key": k, "Value": v} for k, v in sorted(balancer.attrs.items())]}


def _security_group(parsed: Any, account_id: str, region_name: str) -> dict[str, Any] | None:
    from moto.ec2.models import ec2_backends

    group = ec2_backends[account_id][region_name].get_security_group_by_name_or_id(parsed.id)
    return None if group is None else {"GroupDescription": group.description}


def _rule_differences(resource_map: Any, group: Any) -> list[dict[str, Any]]:
    """A security group's rules against its inline rules and the stack's rule resources attached to
    it: one ADD per rule added by hand, one REMOVE per inline rule that is gone."""
    inline = getattr(group, "standin_inline", None) or {}
    attached = {i for r in resource_map._parsed_resources.values() if getattr(r, "group", None) == group.id and isinstance(getattr(r, "rule_ids", None), list) for i in r.rule_ids}
    found = []
    for key, rules in (("SecurityGroupIngress", group.ingress_rules), ("SecurityGroupEgress", group.egress_rules)):
        made = inline.get(key, ([], []))[1]
        present = {rule.id for rule in rules}
        for index, rule in enumerate(r for r in rules if r.id not in set(made) | attached):
            found.append({"PropertyPath": f"/{key}/{len(made) + index}", "ExpectedValue": "", "ActualValue": json.dumps(_rule_shape(rule), sort_keys=True), "DifferenceType": "ADD"})
        template = inline.get(key, ([], []))[0]
        for index, rule_id in enumerate(made):
            if rule_id not in present:  # a template rule with an IPv4 and an IPv6 range made two
                wanted = template[index] if len(template) == len(made) else template
                found.append({"PropertyPath": f"/{key}/{index}", "ExpectedValue": json.dumps(wanted, sort_keys=True, default=str), "ActualValue": "", "DifferenceType": "REMOVE"})
    return found


def repair_security_group(resource_map: Any, group: Any) -> None:
    """Set a security group's rules back to the template: revoke each rule added by hand, and make
    the inline rules again when one of them is gone."""
    from shared_nlb.standin.rules import authorize

    backend = group.ec2_backend
    attached = {i for r in resource_map._parsed_resources.values() if getattr(r, "group", None) == group.id and isinstance(getattr(r, "rule_ids", None), list) for i in r.rule_ids}
    for key, egress in (("SecurityGroupIngress", False), ("SecurityGroupEgress", True)):
        template, made = group.standin_inline.get(key, ([], []))
        present = {rule.id for rule in (group.egress_rules if egress else group.ingress_rules)}
        revoke = backend.revoke_security_group_egress if egress else backend.revoke_security_group_ingress
        extra = sorted(present - set(made) - attached)
        if not set(made) <= present:  # an inline rule is gone: all of them are made again
            extra += sorted(set(made) & present)
            made = None
        if extra:
            revoke(group.id, None, None, None, [], security_rule_ids=extra)
        if made is None:
            group.standin_inline[key] = (template, [i for rule in template for i in authorize(backend, group.id, rule, egress=egress)])


def _rule_shape(rule: Any) -> dict[str, Any]:
    """A rule of moto's EC2 as CloudFormation writes one inline."""
    shape = {"IpProtocol": rule.ip_protocol, "FromPort": rule.from_port, "ToPort": rule.to_port}
    shape |= {k: v for k, v in (rule.ip_range or {}).items() if k in ("CidrIp", "CidrIpv6")}
    if (rule.source_group or {}).get("GroupId"):
        shape["SourceSecurityGroupId"] = rule.source_group["GroupId"]
    if rule.prefix_list_id:
        shape["SourcePrefixListId"] = rule.prefix_list_id
    return shape


def _rule(parsed: Any, account_id: str, region_name: str) -> Any:
    """A rule resource of `shared_nlb.standin.rules`: in sync while every rule it added is in its group."""
    rule_ids = getattr(parsed, "rule_ids", None)
    if rule_ids is None:
        return NOT_READ
    group = parsed.backend.get_security_group_by_name_or_id(parsed.group)
    present = {r.id for r in (group.egress_rules if parsed.egress else group.ingress_rules)} if group else set()
    return {} if set(rule_ids) <= present else None
