"""The binding outputs of stacks built by the construct in a user's own CDK app (no config file):
`cdk deploy --outputs-file` JSON in, checked `BindingSpec`s out.

`SharedNetworkLoadBalancer` emits one output per service whose value is a JSON object marked
`"kind": "shared-nlb/binding/v1"` (constructs_lib/shared_nlb.py), resolved by CloudFormation at
deploy, and a second one marked `"staged": true` while a replacement target group is staged beside
the live one (its binding is `<service>.staged.yaml`, beside the live binding). Every other output is ignored. Every problem is reported at once, one line each, naming the
file, the stack and the output key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from k8s_charts.spec import BindingSpec
from shared_nlb import naming
from shared_nlb.config import aws_id_pattern
from shared_nlb.errors import UserError
from shared_nlb.outputs import TARGET_GROUP_ARN, load_json

KIND = "shared-nlb/binding/v1"
_VPC, _SECURITY_GROUP = re.compile(aws_id_pattern("vpc")), re.compile(aws_id_pattern("sg"))
_FIELDS = ("name", "namespace", "service", "servicePort", "targetGroupArn", "vpcId", "securityGroupId", "targetRules", "loadBalancer")


def _problems(value: Mapping[str, Any]) -> list[str]:
    missing = [f for f in _FIELDS if f not in value]
    if missing:
        return [f"has no {', '.join(missing)}; deploy again with this shared-nlb's construct"]
    found = []
    for field in ("name", "namespace", "service"):
        if not naming.is_dns_label(value[field]) and not (field == "namespace" and isinstance(value[field], str) and re.fullmatch(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?", value[field])):
            found.append(f"{field} {value[field]!r} is not a DNS label")
    port = value["servicePort"]
    if not (isinstance(port, str) and port) and not (isinstance(port, int) and not isinstance(port, bool) and 1 <= port <= 65535):
        found.append(f"servicePort {port!r} is neither a port number nor a port name")
    if not isinstance(value["targetGroupArn"], str) or not TARGET_GROUP_ARN.fullmatch(value["targetGroupArn"]):
        found.append(f"targetGroupArn {value['targetGroupArn']!r} is not a target group ARN")
    if not isinstance(value["vpcId"], str) or not _VPC.fullmatch(value["vpcId"]):
        found.append(f"vpcId {value['vpcId']!r} is not a VPC ID (vpc-...)")
    if not isinstance(value["securityGroupId"], str) or not _SECURITY_GROUP.fullmatch(value["securityGroupId"]):
        found.append(f"securityGroupId {value['securityGroupId']!r} is not a security group ID (sg-...)")
    rules = value["targetRules"]
    if not isinstance(rules, list) or not rules or not all(isinstance(r, list) and len(r) == 2 and r[0] in ("tcp", "udp") and isinstance(r[1], int) and 1 <= r[1] <= 65535 for r in rules):
        found.append(f"targetRules {rules!r} is not a list of [tcp|udp, port]")
    if not isinstance(value["loadBalancer"], str) or not value["loadBalancer"]:
        found.append(f"loadBalancer {value['loadBalancer']!r} is not a load balancer name")
    if value.get("staged", False) is not True and "staged" in value:
        found.append(f"staged {value['staged']!r} is not true (the binding of a staged replacement target group)")
    return found


def parse_binding_outputs(data: Any, *, source: str = "outputs") -> list[BindingSpec]:
    """Every binding output of every stack in parsed outputs (`{stackName: {OutputKey: value}}`),
    sorted by namespace and name; UserError lists every problem."""
    if not isinstance(data, Mapping):
        raise UserError(f"{source}: is a {type(data).__name__}, not a JSON object; expected the `cdk deploy --outputs-file` shape {{stackName: {{OutputKey: value}}}}")
    problems: list[str] = []
    specs: list[BindingSpec] = []
    for stack in sorted(data):
        outputs = data[stack]
        if not isinstance(outputs, Mapping):
            continue
        for key in sorted(outputs):
            raw = outputs[key]
            if not isinstance(raw, str) or KIND not in raw:
                continue
            try:
                value = json.loads(raw)
            except json.JSONDecodeError as error:
                problems.append(f"stack {stack} output {key}: not JSON ({error.msg}); was it cut short or edited?")
                continue
            if not isinstance(value, Mapping) or value.get("kind") != KIND:
                continue
            found = _problems(value)
            if found:
                problems += [f"stack {stack} output {key}: {p}" for p in found]
                continue
            specs.append(
                BindingSpec(
                    name=value["name"],
                    namespace=value["namespace"],
                    service=value["service"],
                    service_port=value["servicePort"],
                    target_group_arn=value["targetGroupArn"],
                    vpc_id=value["vpcId"],
                    security_group_id=value["securityGroupId"],
                    target_rules=tuple((r[0], r[1]) for r in value["targetRules"]),
                    load_balancer=value["loadBalancer"],
                    stack=stack,
                    staged=value.get("staged", False),
                )
            )
    if not specs and not problems:
        present = ", ".join(sorted(map(str, data))) or "none"
        problems.append(f"has no shared-nlb binding outputs (stacks in the file: {present}); deploy a stack with SharedNetworkLoadBalancer, or pass the config file the stack was built from")
    seen: dict[str, BindingSpec] = {}
    for spec in specs:
        path = naming.manifest_path(spec.namespace, spec.name, staged=spec.staged)
        if path in seen:
            problems.append(f"stacks {seen[path].stack} and {spec.stack} both have service {spec.name!r} in namespace {spec.namespace!r}: their bindings would share {path}; rename one")
        seen.setdefault(path, spec)
    arns: dict[str, BindingSpec] = {}
    for spec in specs:
        if spec.target_group_arn in arns:  # the controller's webhook would reject the second binding
            problems.append(f"services {arns[spec.target_group_arn].name!r} and {spec.name!r} have the same target group {spec.target_group_arn}; one target group takes one binding")
        arns.setdefault(spec.target_group_arn, spec)
    if problems:
        raise UserError("\n".join(f"{source}: {p}" for p in problems))
    return sorted(specs, key=lambda s: (s.namespace, s.name))


def read_binding_outputs(path: str | Path) -> list[BindingSpec]:
    """Read and check a `cdk deploy --outputs-file` JSON file of construct-built stacks."""
    return parse_binding_outputs(load_json(path), source=str(path))
