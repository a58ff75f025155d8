"""Make-before-break replacement of target groups: a deploy never points a listener at a group without
healthy targets (DESIGN.md, "Safe changes").

CloudFormation replaces a target group whose port, protocol, target type, VPC, address type or name
changes (`REPLACING`), and points the listener at the new, empty group in the same update: the service
has no targets until the new TargetGroupBinding is applied and its pods pass health checks. So
`shared-nlb deploy` adapts the synthesized template to the deployed one, service by service:

1. stage: the new group is created beside the live one under a logical ID of its own
   (`naming.staged_target_group_id`: the service's ID plus a digest of the replacing properties); the
   listener forwards to the live group with weight 1 and to the new one with weight 0. A group no
   listener reaches is not health checked (its targets stay `unused`, DescribeTargetHealth reference);
   attached with weight 0 it is health checked and takes no traffic (NLB weighted target groups, weights
   0-999, AWS networking blog "Network Load Balancers now support Weighted Target Groups"). The outputs
   name both groups, so `shared-nlb manifests` renders both bindings; the live group keeps its old target
   rules (its pods listen on the old port) and the egress rules it needs;
2. wait: while the new group has fewer healthy targets than the live one (or none), the template stays
   as it is and the deploy says what it waits for;
3. switch: once it has, the listener forwards to the new group only and the old group and its rules go;
   `manifests` then prunes the old binding.

A config that goes back to the live group's properties cancels the staging (the staged group, which
never carried traffic, is removed). Everything here is pure: the caller passes the deployed template
and a way to count healthy targets. `synth` writes a new stack's template (every target group under its
plain ID); only `deploy` and `plan`, which see the deployed stack, adapt it.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from shared_nlb import naming, ports

TARGET_GROUP = "AWS::ElasticLoadBalancingV2::TargetGroup"
LISTENER = "AWS::ElasticLoadBalancingV2::Listener"
EGRESS = "AWS::EC2::SecurityGroupEgress"
ROLE = "AWS::IAM::Role"
# The target group properties whose change makes CloudFormation replace the group ("Update requires:
# Replacement", AWS::ElasticLoadBalancingV2::TargetGroup in the CloudFormation template reference).
REPLACING = ("IpAddressType", "Name", "Port", "Protocol", "ProtocolVersion", "TargetType", "VpcId")

HealthyTargets = Callable[[str], int]
"logical ID of a deployed target group -> how many of its targets are healthy now"


@dataclass(frozen=True)
class Step:
    """What a deploy does for one service's replaced target group, and what it waits for."""

    service: str
    phase: str  # stage | wait | switch | cancel
    live: str  # logical ID of the group that takes the traffic now
    new: str  # logical ID of the replacement
    healthy_live: int | None = None
    healthy_new: int | None = None

    def describe(self) -> str:
        if self.phase == "stage":
            return (
                f"service {self.service}: its target group must be replaced; this deploy creates {self.new} beside {self.live} "
                f"(the listener keeps forwarding to {self.live}; {self.new} gets weight 0 and is health checked). "
                "Next: render the manifests, apply the new binding, and deploy again once its pods are healthy"
            )
        if self.phase == "wait":
            return (
                f"service {self.service}: waiting for {self.new} to have healthy targets ({self.healthy_new} healthy, "
                f"{self.live} has {self.healthy_live}); apply the staged binding from the manifests and deploy again"
            )
        if self.phase == "switch":
            return (
                f"service {self.service}: {self.new} has {self.healthy_new} healthy target(s) ({self.live} has {self.healthy_live}); "
                f"this deploy switches the listener to it and removes {self.live}. Next: render the manifests (the old binding is pruned)"
            )
        return f"service {self.service}: the config is back to {self.live}'s settings; the staged {self.new}, which never took traffic, is removed"


def replacing_key(resource: dict[str, Any]) -> dict[str, Any]:
    properties = resource.get("Properties", {})
    return {k: properties[k] for k in REPLACING if k in properties}


def _digest(resource: dict[str, Any]) -> str:
    text = json.dumps(replacing_key(resource), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:8].upper()


def _forwards(listener: dict[str, Any]) -> list[tuple[str, int]]:
    """(logical ID, weight) of the target groups a deployed listener's default action forwards to."""
    found: list[tuple[str, int]] = []
    for action in listener.get("Properties", {}).get("DefaultActions", []):
        if action.get("Type") != "forward":
            continue
        groups = action.get("ForwardConfig", {}).get("TargetGroups")
        if groups:
            found += [(g["TargetGroupArn"]["Ref"], int(g.get("Weight", 1))) for g in groups if isinstance(g.get("TargetGroupArn"), dict) and "Ref" in g["TargetGroupArn"]]
        elif isinstance(action.get("TargetGroupArn"), dict) and "Ref" in action["TargetGroupArn"]:
            found.append((action["TargetGroupArn"]["Ref"], 1))
    return found


def _rename(value: Any, old: str, new: str) -> Any:
    """`value` with every Ref / Fn::GetAtt of logical ID `old` pointing at `new`."""
    if isinstance(value, dict):
        if value.get("Ref") == old and len(value) == 1:
            return {"Ref": new}
        if "Fn::GetAtt" in value and isinstance(value["Fn::GetAtt"], list) and value["Fn::GetAtt"][:1] == [old]:
            return {"Fn::GetAtt": [new, *value["Fn::GetAtt"][1:]]}
        return {k: _rename(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_rename(v, old, new) for v in value]
    return value


def _move(template: dict[str, Any], old: str, new: str) -> None:
    """Give resource `old` of `template` the logical ID `new`, references included, in its place."""
    if old == new:
        return
    resources = {(new if name == old else name): resource for name, resource in template["Resources"].items()}
    template["Resources"] = _rename(resources, old, new)
    if "Outputs" in template:
        template["Outputs"] = _rename(template["Outputs"], old, new)


def target_rules_of(resource: dict[str, Any]) -> list[tuple[str, int]]:
    """The (ip protocol, port) pairs a deployed target group's pods must be reachable on, as
    `ports.target_rules` gives them for a config's service."""
    properties = resource.get("Properties", {})
    port = int(properties["Port"])
    health = properties.get("HealthCheckPort", "traffic-port")
    return ports.target_rules(properties.get("Protocol", "TCP"), port, port if health == "traffic-port" else int(health))


def rules_text(rules: Iterable[tuple[str, int]]) -> str:
    """`tcp/6379,tcp/8080`: the form of the TargetRules output."""
    return ",".join(f"{space}/{port}" for space, port in rules)


def parse_rules_text(text: str) -> tuple[tuple[str, int], ...] | None:
    """The inverse of `rules_text`; None when `text` is not of that form."""
    rules = []
    for item in text.split(","):
        space, _, port = item.partition("/")
        if space not in ("tcp", "udp") or not port.isdigit() or not 1 <= int(port) <= 65535:
            return None
        rules.append((space, int(port)))
    return tuple(rules) if rules else None


def adapt(template: dict[str, Any], deployed: dict[str, Any] | None, services: Iterable[str], healthy: HealthyTargets) -> tuple[dict[str, Any], list[Step]]:
    """The synthesized `template` adapted to the `deployed` one (None: a new stack), and one Step per
    service whose target group is being replaced. `template` is not changed."""
    result = copy.deepcopy(template)
    steps: list[Step] = []
    if not deployed:
        return result, steps
    old_resources = deployed.get("Resources", {})
    for service in sorted(services):
        plain, listener = naming.target_group_id(service), naming.listener_id(service)
        if plain not in result["Resources"] or listener not in old_resources:
            continue
        forwards = _forwards(old_resources[listener])
        live = next((tg for tg, weight in forwards if weight > 0 and tg in old_resources), None)
        staged = next((tg for tg, weight in forwards if weight == 0 and tg in old_resources), None)
        if live is None:
            continue
        wanted = result["Resources"][plain]
        if replacing_key(wanted) == replacing_key(old_resources[live]):
            _move(result, plain, live)
            if staged:
                steps.append(Step(service, "cancel", live, staged))
            continue
        new = naming.staged_target_group_id(service, _digest(wanted))
        _move(result, plain, new)
        if staged == new:
            healthy_new, healthy_live = healthy(new), healthy(live)
            if healthy_live == 0 or healthy_new >= max(1, healthy_live):
                steps.append(Step(service, "switch", live, new, healthy_live, healthy_new))
                continue
            steps.append(Step(service, "wait", live, new, healthy_live, healthy_new))
        else:
            steps.append(Step(service, "stage", live, new))
        _keep_live(result, service, listener, live, new, old_resources[live])
    if any(step.phase in ("stage", "wait") for step in steps):
        # The live groups' pods still listen on the old ports: their egress rules stay until the switch.
        for name, resource in old_resources.items():
            if resource.get("Type") == EGRESS and name not in result["Resources"]:
                result["Resources"][name] = copy.deepcopy(resource)
    return result, steps


def _keep_live(template: dict[str, Any], service: str, listener: str, live: str, new: str, live_resource: dict[str, Any]) -> None:
    """The staged shape: the live group as deployed, the new one beside it at weight 0, and outputs
    naming both."""
    resources = template["Resources"]
    resources[live] = copy.deepcopy(live_resource)
    actions = [
        {"ForwardConfig": {"TargetGroups": [{"TargetGroupArn": {"Ref": live}, "Weight": 1}, {"TargetGroupArn": {"Ref": new}, "Weight": 0}]}, "Type": "forward"}
    ]
    resources[listener] = copy.deepcopy(resources[listener])
    resources[listener]["Properties"]["DefaultActions"] = actions
    _grant_live(resources, live, new)
    outputs = template.setdefault("Outputs", {})
    main = naming.target_group_output_key(service)
    if main in outputs:
        outputs[main] = _rename(outputs[main], new, live)
    outputs[naming.staged_target_group_output_key(service)] = {
        "Description": f"Staged replacement of the target group of {service}: forwarded with weight 0 until it has healthy targets",
        "Value": {"Ref": new},
    }
    outputs[naming.target_rules_output_key(service)] = {
        "Description": f"Target rules of the live target group of {service} while its replacement is staged",
        "Value": rules_text(target_rules_of(live_resource)),
    }


def _grant_live(resources: dict[str, Any], live: str, new: str) -> None:
    """A cross-account cluster's controller role (`SharedNetworkLoadBalancer.grant_controller`) may
    register targets in the target groups the template names; `_move` has pointed its policy at the
    new group, but the live group keeps its binding, and its targets, until the switch: both stay
    listed while both are bound."""
    for resource in resources.values():
        if resource.get("Type") != ROLE:
            continue
        for policy in resource.get("Properties", {}).get("Policies", []):
            for statement in policy.get("PolicyDocument", {}).get("Statement", []):
                listed = statement.get("Resource")
                listed = listed if isinstance(listed, list) else [listed]
                if {"Ref": new} in listed and {"Ref": live} not in listed:
                    at = listed.index({"Ref": new})
                    statement["Resource"] = [*listed[:at], {"Ref": live}, *listed[at:]]
