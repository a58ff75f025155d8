"""Every name and ID shared-nlb derives, in one pure module.

The CDK stack, the outputs reader and the TargetGroupBinding chart all take their IDs from here, so the
two halves cannot drift apart. Everything derives from business keys (service names, ports, client
values), never from list positions: reordering services changes nothing, adding one touches nothing
else. This module imports nothing heavy so that `shared-nlb validate` never starts jsii.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re

# Fixed logical IDs of the stack's shared resources.
LOAD_BALANCER_ID = "LoadBalancer"
SECURITY_GROUP_ID = "LoadBalancerSecurityGroup"

# Fixed logical IDs of the PrivateLink endpoint service and its allowed principals.
ENDPOINT_SERVICE_ID = "EndpointService"
ENDPOINT_SERVICE_PERMISSIONS_ID = "EndpointServicePermissions"

# Output keys of the shared resources (DESIGN.md, "What the stack builds").
LOAD_BALANCER_ARN_OUTPUT = "LoadBalancerArn"
LOAD_BALANCER_DNS_OUTPUT = "LoadBalancerDnsName"
SECURITY_GROUP_OUTPUT = "LoadBalancerSecurityGroupId"
VPC_ID_OUTPUT = "VpcId"
ENDPOINT_SERVICE_NAME_OUTPUT = "EndpointServiceName"  # with `privatelink:` only
SHARED_OUTPUT_KEYS = (LOAD_BALANCER_ARN_OUTPUT, LOAD_BALANCER_DNS_OUTPUT, SECURITY_GROUP_OUTPUT, VPC_ID_OUTPUT)

# Labels put on every generated Kubernetes object.
MANAGED_BY_LABEL = "app.kubernetes.io/managed-by"
MANAGED_BY_VALUE = "shared-nlb"
SERVICE_LABEL = "shared-nlb.io/service"
LOAD_BALANCER_LABEL = "shared-nlb.io/load-balancer"

# Length of the ARN digest in a binding name: 8 hex digits (32 bits) keep names short; a clash would
# need two target groups of the same service to collide, which the controller would reject loudly.
_ARN_DIGEST_LENGTH = 8


_DNS_LABEL = re.compile(r"[a-z]([-a-z0-9]{0,61}[a-z0-9])?")


def is_dns_label(name: str) -> bool:
    """An RFC 1035 label, as Kubernetes names Services: what service names must be."""
    return isinstance(name, str) and _DNS_LABEL.fullmatch(name) is not None


def pascal(name: str) -> str:
    """`svc-01` -> `Svc01`: each hyphen-separated part capitalised, hyphens dropped."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("-"))


def default_stack_name(config_name: str) -> str:
    return f"shared-nlb-{config_name}"


def default_load_balancer_name(config_name: str) -> str:
    return f"shared-nlb-{config_name}"


def target_group_id(service_name: str) -> str:
    return f"{pascal(service_name)}TargetGroup"


def listener_id(service_name: str) -> str:
    return f"{pascal(service_name)}Listener"


def target_group_output_key(service_name: str) -> str:
    return f"{pascal(service_name)}TargetGroupArn"


def dns_record_id(service_name: str, ipv6: bool = False) -> str:
    """`redis` -> `RedisDnsRecord` (A), `RedisDnsRecordAaaa` (AAAA, dualstack NLBs)."""
    return f"{pascal(service_name)}DnsRecord" + ("Aaaa" if ipv6 else "")


def dns_name_output_key(service_name: str) -> str:
    """`redis` -> `RedisDnsName`: the output holding `redis.<zone>`."""
    return f"{pascal(service_name)}DnsName"


def alarm_id(service_name: str) -> str:
    """`redis` -> `RedisNoHealthyTargetsAlarm`."""
    return f"{pascal(service_name)}NoHealthyTargetsAlarm"


def staged_target_group_output_key(service_name: str) -> str:
    """The replacement target group a staged change created beside the live one (`shared_nlb.deploy.stage`)."""
    return f"{pascal(service_name)}StagedTargetGroupArn"


def target_rules_output_key(service_name: str) -> str:
    """While a replacement is staged: the live group's target rules, which its binding keeps (the
    config already gives the new group's)."""
    return f"{pascal(service_name)}TargetRules"


def staged_target_group_id(service_name: str, digest: str) -> str:
    """`RedisTargetGroup` + a digest of the properties that force a replacement: the replacement of a
    target group must be a new logical ID, so that the old one can stay beside it."""
    return f"{target_group_id(service_name)}{digest}"


def target_group_digest(port: int, protocol: str, vpc_id: str | None) -> str:
    """Eight hex digits from the properties that force a target group's replacement, as its
    CloudFormation resource has them (`Port`, `Protocol`, `TargetType`, `VpcId`; a VPC given as a
    token is left out): the suffix of a staged replacement's logical ID.

    >>> target_group_digest(6380, "TCP", "vpc-0a1b2c3d4e5f60718")
    'BF5D8769'
    """
    properties: dict[str, object] = {"Port": port, "Protocol": protocol, "TargetType": "ip"}
    if vpc_id is not None:
        properties["VpcId"] = vpc_id
    text = json.dumps(properties, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:8].upper()


def export_name(stack_name: str, output_key: str) -> str:
    return f"{stack_name}-{output_key}"


def client_key(*, security_group: str | None = None, cidr: str | None = None, prefix_list: str | None = None) -> str:
    """An alphanumeric, injective key for one client source, used in rule IDs."""
    if security_group:
        return pascal(security_group)  # sg-0abc -> Sg0abc
    if prefix_list:
        return pascal(prefix_list)
    network = ipaddress.ip_network(cidr or "", strict=False)
    if network.version == 4:
        # 10.20.0.0/16 -> Cidr10x20x0x0x16: separators keep 1.23.x apart from 12.3.x
        return "Cidr" + "x".join(str(network.network_address).split(".")) + f"x{network.prefixlen}"
    return "Cidr6" + network.network_address.exploded.replace(":", "") + f"x{network.prefixlen}"


def ingress_rule_id(service_name: str, protocol: str, client: str) -> str:
    """`redis`, `tcp`, `Sg0abc` -> `RedisIngressTcpFromSg0abc`."""
    return f"{pascal(service_name)}Ingress{protocol.capitalize()}From{client}"


def egress_rule_id(protocol: str, port: int, cidr: str | None = None) -> str:
    """Egress rules are keyed by (protocol, port) and destination: two services on one target port
    share one rule. The VPC's CIDR (`cidr` None) keeps the ID every config stack has had;
    another target CIDR adds its key: `EgressToTcp6380To` + `Cidr100x64x0x0x16`."""
    return f"EgressTo{protocol.capitalize()}{port}" + (f"To{client_key(cidr=cidr)}" if cidr else "")


def path_mtu_rule_id(client: str) -> str:
    """The inbound ICMP rule that lets a client's 'fragmentation needed' reach the NLB."""
    return f"PathMtuDiscoveryFrom{client}"


def arn_digest(target_group_arn: str) -> str:
    return hashlib.sha256(target_group_arn.encode()).hexdigest()[:_ARN_DIGEST_LENGTH]


# The controller injects a pod readiness gate `target-health.elbv2.k8s.aws/<binding name>` (its
# pod mutator; docs "Pod readiness gate"), and Kubernetes limits the name part of such a qualified name
# to 63 characters (apimachinery validation IsQualifiedName): a longer binding name would make pods
# in namespaces with readiness-gate injection impossible to create.
MAX_BINDING_NAME = 63


def binding_name(service_name: str, target_group_arn: str) -> str:
    """`redis-1a2b3c4d`: the suffix follows the ARN, so a replaced target group gets a new binding.

    The controller treats `targetGroupARN` as immutable (aws-load-balancer-controller #2764): the
    binding of a replaced target group must be deleted and a new one created, which GitOps pruning
    does when the name changes. The digest is always kept; a service name too long for 63 characters
    in all is cut (`MAX_BINDING_NAME`).
    """
    digest = arn_digest(target_group_arn)
    head = service_name[: MAX_BINDING_NAME - len(digest) - 1].rstrip("-")
    return f"{head}-{digest}"


def manifest_path(namespace: str, service_name: str, *, staged: bool = False) -> str:
    """Path of a service's binding inside the manifests tree; a staged replacement's binding sits
    beside it (`<service>.staged.yaml`) until the switch."""
    return f"{namespace}/{service_name}{'.staged' if staged else ''}.yaml"


# Label on a cluster's kustomization.yaml when the config lists `clusters:`.
CLUSTER_LABEL = "shared-nlb.io/cluster"


def controller_role_id(cluster_name: str) -> str:
    """`green` -> `GreenControllerRole`: the role a cluster in another account assumes to register
    targets; keyed on the cluster's name, so adding or removing a cluster touches only its role."""
    return f"{pascal(cluster_name)}ControllerRole"


def controller_role_output_key(cluster_name: str) -> str:
    """`green` -> `GreenControllerRoleArn`: the bindings' `iamRoleArnToAssume`."""
    return f"{controller_role_id(cluster_name)}Arn"


def node_ingress_rule_id(cluster_name: str, protocol: str, port: int) -> str:
    """`auto`, `tcp`, 6380 -> `AutoNodesFromNlbTcp6380`: the rule that opens an EKS Auto Mode
    cluster's nodes to the NLB on one target port; keyed like the egress rules."""
    return f"{pascal(cluster_name)}NodesFromNlb{protocol.capitalize()}{port}"


def cluster_manifest_path(cluster_name: str, relative: str) -> str:
    """A file of a cluster's tree: `green/data/redis.yaml`, `green/kustomization.yaml`."""
    return f"{cluster_name}/{relative}"
