"""The cdk8s chart of the Kubernetes side: one TargetGroupBinding per service (DESIGN.md, "What the
manifests hold").

Each spec field comes from one small pure builder below, so each is testable and readable on its own.
The typed classes come from `cdk8s import` of the vendored CRD (`k8s_charts/imports/README.md` says
how to regenerate them): a misspelt field fails in Python, not in the cluster.
"""

from __future__ import annotations

from collections.abc import Sequence

from typing import Any

from cdk8s import ApiObject, ApiObjectMetadata, Chart, JsonPatch
from constructs import Construct

from k8s_charts.imports.aws.k8s.elbv2 import (
    TargetGroupBindingV1Beta1 as Binding,
)
from k8s_charts.imports.aws.k8s.elbv2 import (
    TargetGroupBindingV1Beta1Spec as Spec,
)
from k8s_charts.imports.aws.k8s.elbv2 import (
    TargetGroupBindingV1Beta1SpecIpAddressType as IpAddressType,
)
from k8s_charts.imports.aws.k8s.elbv2 import (
    TargetGroupBindingV1Beta1SpecNetworking as Networking,
)
from k8s_charts.imports.aws.k8s.elbv2 import (
    TargetGroupBindingV1Beta1SpecNetworkingIngress as Ingress,
)
from k8s_charts.imports.aws.k8s.elbv2 import (
    TargetGroupBindingV1Beta1SpecNetworkingIngressFrom as IngressFrom,
)
from k8s_charts.imports.aws.k8s.elbv2 import (
    TargetGroupBindingV1Beta1SpecNetworkingIngressFromIpBlock as IpBlock,
)
from k8s_charts.imports.aws.k8s.elbv2 import (
    TargetGroupBindingV1Beta1SpecNetworkingIngressFromSecurityGroup as SecurityGroupPeer,
)
from k8s_charts.imports.aws.k8s.elbv2 import (
    TargetGroupBindingV1Beta1SpecNetworkingIngressPorts as IngressPort,
)
from k8s_charts.imports.aws.k8s.elbv2 import (
    TargetGroupBindingV1Beta1SpecNetworkingIngressPortsPort as IntOrString,
)
from k8s_charts.imports.aws.k8s.elbv2 import (
    TargetGroupBindingV1Beta1SpecNetworkingIngressPortsProtocol as PortProtocol,
)
from k8s_charts.imports.aws.k8s.elbv2 import (
    TargetGroupBindingV1Beta1SpecServiceRef as ServiceRef,
)
from k8s_charts.imports.aws.k8s.elbv2 import (
    TargetGroupBindingV1Beta1SpecServiceRefPort as ServicePort,
)
from k8s_charts.imports.aws.k8s.elbv2 import (
    TargetGroupBindingV1Beta1SpecTargetType as TargetType,
)
from k8s_charts.spec import BindingSpec
from shared_nlb import naming
from shared_nlb.config.controller import API_VERSIONS, AUTO_MODE

CHART_ID = "shared-nlb-bindings"


def binding_labels(spec: BindingSpec) -> dict[str, str]:
    """Who made the binding and for what: GitOps tools and `kubectl get -l` select on these."""
    return {
        naming.MANAGED_BY_LABEL: naming.MANAGED_BY_VALUE,
        naming.SERVICE_LABEL: spec.name,
        naming.LOAD_BALANCER_LABEL: spec.load_balancer,
    }


# The target groups' address type, which the controller checks against AWS (and treats as immutable).
# The stack sets no `IpAddressType` on its target groups, so AWS makes them ipv4 even behind a
# `dualstack` NLB (a dualstack NLB reaches IPv4 targets); the CRD allows only ipv4 and ipv6, so the
# NLB's `dualstack` can never be written here.
IP_ADDRESS_TYPE = IpAddressType.IPV4


def ingress(spec: BindingSpec) -> Ingress:
    """The rule the controller adds to the pods' (node) security group: the NLB's group may reach what
    the stack's egress lets it reach, `target_rules`: the target port over the service's protocols
    (TCP_UDP both; TLS ends at the NLB, so TCP) and the health check port over TCP. Without it the
    NLB's traffic or health checks are dropped at the pods."""
    if spec.security_group_id is not None:
        peers = [IngressFrom(security_group=SecurityGroupPeer(group_id=spec.security_group_id))]
    else:  # an NLB without a security group (QUIC): its clients and the VPC's CIDR (BindingSpec.ingress_from)
        peers = [IngressFrom(ip_block=IpBlock(cidr=value)) if kind == "cidr" else IngressFrom(security_group=SecurityGroupPeer(group_id=value)) for kind, value in spec.ingress_from]
    return Ingress(
        from_=peers,
        ports=[IngressPort(port=IntOrString.from_number(port), protocol=PortProtocol(space.upper())) for space, port in spec.target_rules],
    )


def service_ref(spec: BindingSpec) -> ServiceRef:
    port = spec.service_port
    return ServiceRef(name=spec.service, port=ServicePort.from_string(port) if isinstance(port, str) else ServicePort.from_number(port))


def binding_spec(spec: BindingSpec) -> Spec:
    # vpcID and ipAddressType are written although the controller would default them: a field the
    # controller fills in shows as drift in Argo CD and Flux. nodeSelector is never set (targetType ip).
    # The cluster fields are written only when set, so a one-cluster tree stays as it always was.
    return Spec(
        service_ref=service_ref(spec),
        target_group_arn=spec.target_group_arn,
        target_type=TargetType.IP,
        ip_address_type=IP_ADDRESS_TYPE,
        vpc_id=spec.vpc_id,
        networking=Networking(ingress=[ingress(spec)]),
        multi_cluster_target_group=True if spec.multi_cluster else None,
        iam_role_arn_to_assume=spec.iam_role_arn,
        assume_role_external_id=spec.external_id if spec.iam_role_arn else None,
    )


# What EKS Auto Mode's binding lacks: "spec.networking.ingress.from: Not supported" (Amazon EKS User
# Guide, "Use Service Annotations to configure Network Load Balancers", TargetGroupBinding table; the
# stack opens the nodes' security group instead), and the cross-account fields no Auto Mode page
# documents (the config refuses controller_role_arn for such a cluster).
AUTO_MODE_LACKS = ("networking", "iamRoleArnToAssume", "assumeRoleExternalId")


def auto_mode_spec(spec: BindingSpec) -> dict[str, Any]:
    """EKS Auto Mode's binding spec (`eks.amazonaws.com/v1`): `binding_spec` rendered as plain data,
    since AWS publishes no CRD to import classes from (shared_nlb/data/SOURCE.md), without
    `AUTO_MODE_LACKS`. It keeps `targetType`, which Auto Mode requires ("spec.targetType optional ->
    required", same table)."""
    full = Binding.manifest(spec=binding_spec(spec))["spec"]
    return {key: value for key, value in full.items() if key not in AUTO_MODE_LACKS}


class TargetGroupBindings(Chart):
    """One `TargetGroupBinding` per service, in the service's namespace: `elbv2.k8s.aws/v1beta1` for
    the AWS Load Balancer Controller, `eks.amazonaws.com/v1` for a spec of an EKS Auto Mode cluster
    (`BindingSpec.controller`). Use it in your own cdk8s app too: `TargetGroupBindings(app, bindings=[BindingSpec(...), ...])`.

    Names are explicit (`naming.binding_name`: service name + a digest of the target group ARN), never
    cdk8s-generated: a replaced target group gives a new binding name, so GitOps pruning deletes the
    old binding (the controller forbids changing `targetGroupARN` in place). `bindings` maps
    `BindingSpec.key` (the service name; `<name>.staged` for a staged replacement's) -> binding, sorted.
    """

    def __init__(self, scope: Construct, id: str = CHART_ID, *, bindings: Sequence[BindingSpec]) -> None:
        super().__init__(scope, id, disable_resource_name_hashes=True)
        self.bindings: dict[str, ApiObject] = {}
        for spec in sorted(bindings, key=lambda b: b.key):
            metadata = ApiObjectMetadata(
                name=naming.binding_name(spec.name, spec.target_group_arn),
                namespace=spec.namespace,
                labels=binding_labels(spec),
            )
            # construct IDs from business keys: reordering services changes nothing
            if spec.controller == AUTO_MODE:
                binding = ApiObject(self, spec.key, api_version=API_VERSIONS[AUTO_MODE], kind="TargetGroupBinding", metadata=metadata)
                binding.add_json_patch(JsonPatch.add("/spec", auto_mode_spec(spec)))
                self.bindings[spec.key] = binding
            else:
                self.bindings[spec.key] = Binding(self, spec.key, metadata=metadata, spec=binding_spec(spec))
