"""The binding outputs of stacks built by the construct in a user's own CDK app (no config file):
`cdk deploy --outputs-file` JSON in, checked `BindingSpec`s out.

`SharedNetworkLoadBalancer` emits one output per service whose value is a JSON object marked
`"kind": "shared-nlb/binding/v1"` (constructs_lib/shared_nlb.py), resolved by CloudFormation at
deploy, and a second one marked `"staged": true` while a replacement target group is staged beside
the live one (its binding is `<service>.staged.yaml`, beside the live binding). Every other output is
ignored. Every problem is reported at once, one line each, naming the file, the stack and the output
key. Each value is checked as the config checks the same value, and so are the stack names and output
keys: all of them end up in manifests, their header comments, or messages, and a file is easily
edited or made up.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from k8s_charts.spec import BindingSpec
from shared_nlb import naming, untrusted
from shared_nlb.config import MAX_LOAD_BALANCER_NAME, aws_id_pattern
from shared_nlb.config.controller import CONTROLLERS, SELF_MANAGED
from shared_nlb.config.fields import _DNS1123, is_service_port
from shared_nlb.errors import InvalidInput, UserError
from shared_nlb.outputs import TARGET_GROUP_ARN, load_json, show, stack_key_problems, stacks_in

KIND = "shared-nlb/binding/v1"
_VPC, _SECURITY_GROUP = re.compile(aws_id_pattern("vpc")), re.compile(aws_id_pattern("sg"))
_FIELDS = ("name", "namespace", "service", "servicePort", "targetGroupArn", "vpcId", "securityGroupId", "targetRules", "loadBalancer")
# An NLB without a security group (QUIC) has no securityGroupId; its outputs carry ingressFrom instead.
_PEERS = {"cidr": "cidr", "securityGroup": "security_group"}
# ELBv2 API Reference, CreateLoadBalancer, Name: at most 32 characters, alphanumeric or hyphens, not
# beginning or ending with a hyphen. The value becomes the tree's label and kustomization name.
_LOAD_BALANCER_NAME = re.compile(rf"[A-Za-z0-9]([A-Za-z0-9-]{{0,{MAX_LOAD_BALANCER_NAME - 2}}}[A-Za-z0-9])?")
# CloudFormation User Guide, "Outputs" (template section): an output's logical ID is alphanumeric
# (a-z, A-Z, 0-9); logical IDs are at most 255 characters (CloudFormation quotas, "Resource, output,
# parameter... name length"). The key is echoed in every message about its binding.
_OUTPUT_KEY = re.compile(r"[A-Za-z0-9]{1,255}")


def _problems(value: Mapping[str, Any]) -> list[str]:
    missing = [f for f in _FIELDS if f not in value and not (f == "securityGroupId" and "ingressFrom" in value)]
    if missing:
        return [f"has no {', '.join(missing)}; deploy again with this shared-nlb's construct"]
    found = []
    # The config's rules for the same values: a service name and a Kubernetes Service name are DNS
    # labels (RFC 1035), a namespace an RFC 1123 label (Kubernetes "Object Names and IDs").
    for field in ("name", "namespace", "service"):
        if not naming.is_dns_label(value[field]) and not (field == "namespace" and isinstance(value[field], str) and re.fullmatch(_DNS1123, value[field])):
            found.append(f"{field} {show(value[field])} is not a DNS label")
    port = value["servicePort"]
    if not is_service_port(port):
        found.append(f"servicePort {show(port)} is neither a port number nor a port name")
    if not isinstance(value["targetGroupArn"], str) or not TARGET_GROUP_ARN.fullmatch(value["targetGroupArn"]):
        found.append(f"targetGroupArn {show(value['targetGroupArn'])} is not a target group ARN")
    if not isinstance(value["vpcId"], str) or not _VPC.fullmatch(value["vpcId"]):
        found.append(f"vpcId {show(value['vpcId'])} is not a VPC ID (vpc-...)")
    if "securityGroupId" in value and "ingressFrom" in value:
        found.append("has both securityGroupId and ingressFrom; deploy again with this shared-nlb's construct")
    elif "securityGroupId" in value and (not isinstance(value["securityGroupId"], str) or not _SECURITY_GROUP.fullmatch(value["securityGroupId"])):
        found.append(f"securityGroupId {show(value['securityGroupId'])} is not a security group ID (sg-...)")
    elif "ingressFrom" in value and _ingress_from(value["ingressFrom"]) is None:
        found.append(f"ingressFrom {show(value['ingressFrom'])} is not a list of [cidr, <CIDR>] or [securityGroup, sg-...]")
    rules = value["targetRules"]
    if not isinstance(rules, list) or not rules or not all(isinstance(r, list) and len(r) == 2 and r[0] in ("tcp", "udp") and isinstance(r[1], int) and not isinstance(r[1], bool) and 1 <= r[1] <= 65535 for r in rules):
        found.append(f"targetRules {show(rules)} is not a list of [tcp|udp, port]")
    if not isinstance(value["loadBalancer"], str) or not _LOAD_BALANCER_NAME.fullmatch(value["loadBalancer"]):
        found.append(f"loadBalancer {show(value['loadBalancer'])} is not a load balancer name; allowed: 1-{MAX_LOAD_BALANCER_NAME} letters, digits and '-', not starting or ending with '-'")
    if value.get("staged", False) is not True and "staged" in value:
        found.append(f"staged {show(value['staged'])} is not true (the binding of a staged replacement target group)")
    if "controller" in value and value["controller"] not in CONTROLLERS:
        found.append(f"controller {show(value['controller'])} is not a controller; allowed: {', '.join(CONTROLLERS)}")
    return found


def _ingress_from(value: Any) -> tuple[tuple[str, str], ...] | None:
    """`ingressFrom` as `BindingSpec.ingress_from`, or None when malformed."""
    if not isinstance(value, list) or not value:
        return None
    peers = []
    for item in value:
        if not (isinstance(item, list) and len(item) == 2 and item[0] in _PEERS and isinstance(item[1], str)):
            return None
        kind, text = _PEERS[item[0]], item[1]
        if kind == "security_group" and not _SECURITY_GROUP.fullmatch(text):
            return None
        if kind == "cidr":
            try:
                ipaddress.ip_network(text)
            except ValueError:
                return None
        peers.append((kind, text))
    return tuple(sorted(set(peers)))


def parse_binding_outputs(data: Any, *, source: str = "outputs", controller: str | None = None) -> list[BindingSpec]:
    """Every binding output of every stack in parsed outputs (`{stackName: {OutputKey: value}}`),
    sorted by namespace and name; UserError lists every problem (InvalidInput when a stack name, an
    output key or a binding's value is malformed). Each binding is for the controller its output
    names (the construct's `binding_controller`; none: the self-managed one); `controller` asks for
    one for every binding, and an output that names another is a problem."""
    if not isinstance(data, Mapping):
        raise UserError(f"{source}: is a {type(data).__name__}, not a JSON object; expected the `cdk deploy --outputs-file` shape {{stackName: {{OutputKey: value}}}}")
    bad_keys = stack_key_problems(data)
    if bad_keys:
        raise InvalidInput("\n".join(f"{source}: {p}" for p in bad_keys))
    problems: list[str] = []
    malformed: list[str] = []
    specs: list[BindingSpec] = []
    for stack in sorted(data):
        outputs = data[stack]
        if not isinstance(outputs, Mapping):
            continue
        for key in sorted(outputs):
            raw = outputs[key]
            if not isinstance(raw, str) or KIND not in raw:
                continue
            if not isinstance(key, str) or not _OUTPUT_KEY.fullmatch(key):
                malformed.append(f"stack {stack} output key {show(key)} is not valid; allowed: 1-255 letters and digits (a CloudFormation output's logical ID)")
                continue
            try:
                untrusted.check_json(raw)  # the file's limits held for the file, not yet for this JSON within it
                value = json.loads(raw)
            except untrusted.LimitExceeded as error:
                malformed.append(f"stack {stack} output {key}: {error.message}")
                continue
            except json.JSONDecodeError as error:
                malformed.append(f"stack {stack} output {key}: not JSON ({error.msg}); was it cut short or edited?")
                continue
            except (ValueError, RecursionError) as error:  # an integer past Python's 4300 digits
                malformed.append(f"stack {stack} output {key}: a value cannot be read: {show(str(error).partition(';')[0])}")
                continue
            if not isinstance(value, Mapping) or value.get("kind") != KIND:
                continue
            found = _problems(value)
            if found:
                malformed += [f"stack {stack} output {key}: {p}" for p in found]
                continue
            named = value.get("controller")
            if controller is not None and named is not None and named != controller:
                problems.append(f"stack {stack} output {key}: is for {named} (the construct's binding_controller), not {controller}; drop --controller or deploy with binding_controller={controller!r}")
                continue
            specs.append(
                BindingSpec(
                    name=value["name"],
                    namespace=value["namespace"],
                    service=value["service"],
                    service_port=value["servicePort"],
                    target_group_arn=value["targetGroupArn"],
                    vpc_id=value["vpcId"],
                    security_group_id=value.get("securityGroupId"),
                    ingress_from=_ingress_from(value["ingressFrom"]) or () if "ingressFrom" in value else (),
                    target_rules=tuple((r[0], r[1]) for r in value["targetRules"]),
                    load_balancer=value["loadBalancer"],
                    stack=stack,
                    staged=value.get("staged", False),
                    controller=named or controller or SELF_MANAGED,
                )
            )
    if not specs and not problems and not malformed:
        problems.append(f"has no shared-nlb binding outputs (stacks in the file: {stacks_in(data)}); deploy a stack with SharedNetworkLoadBalancer, or pass the config file the stack was built from")
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
    if problems or malformed:
        raise (InvalidInput if malformed else UserError)("\n".join(f"{source}: {p}" for p in malformed + problems))
    return sorted(specs, key=lambda s: (s.namespace, s.name))


def read_binding_outputs(path: str | Path, controller: str | None = None) -> list[BindingSpec]:
    """Read and check a `cdk deploy --outputs-file` JSON file of construct-built stacks."""
    return parse_binding_outputs(load_json(path), source=str(path), controller=controller)
