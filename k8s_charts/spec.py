"""What one TargetGroupBinding is made of, as plain data: the chart's input, from either front-end.

A config file gives it through `from_config` (the config plus the deploy's outputs); a stack built
by the construct in a user's own CDK app gives it through its binding outputs
(`shared_nlb.binding_outputs`). No cdk8s import: building specs never starts jsii.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared_nlb.config import Config
from shared_nlb.config.controller import SELF_MANAGED
from shared_nlb.outputs import StackOutputs


@dataclass(frozen=True)
class BindingSpec:
    """One service's binding: where it lives, what it points at, and which pod ports the NLB's
    security group must reach (`target_rules`, (ip protocol, port) pairs, as the stack's egress)."""

    name: str
    namespace: str
    service: str
    service_port: int | str
    target_group_arn: str
    vpc_id: str
    security_group_id: str | None
    "The NLB's security group, the one source of the pods' ingress; None for an NLB without one (then `ingress_from`)."
    target_rules: tuple[tuple[str, int], ...]
    load_balancer: str
    stack: str
    staged: bool = False
    "The binding of a staged replacement target group, beside the live one until the switch."
    multi_cluster: bool = False
    "Other clusters bind the same target group (`multiClusterTargetGroup`): the controller then deregisters only the targets it registered, not every target outside its cluster (aws-load-balancer-controller docs, \"MultiCluster Target Groups\")."
    iam_role_arn: str | None = None
    "A cluster in another account: the role its controller assumes to reach the target group (`iamRoleArnToAssume`)."
    external_id: str | None = None
    "With `iam_role_arn`: the external ID the role's trust policy requires (`assumeRoleExternalId`), never empty (aws-load-balancer-controller #4656)."
    controller: str = SELF_MANAGED
    ingress_from: tuple[tuple[str, str], ...] = ()
    "An NLB without a security group: the peers the pods admit instead, `(\"cidr\", ...)` or `(\"security_group\", ...)`: its clients (QUIC and UDP keep their IPs) and the VPC's CIDR (the NLB's own addresses: health checks, TCP without client IPs)."
    "The controller of the cluster that applies the binding: `aws-load-balancer-controller` (`elbv2.k8s.aws/v1beta1`) or `eks-auto-mode` (`eks.amazonaws.com/v1`, without `networking`: the stack opens the nodes' security group)."

    @property
    def key(self) -> str:
        """Unique among a tree's specs: the service name, marked for a staged binding."""
        return f"{self.name}.staged" if self.staged else self.name


def from_config(config: Config, outputs: StackOutputs) -> list[BindingSpec]:
    """The config's services with their deployed target groups, sorted by name; a service whose
    target group is being replaced in stages has two: the live group's, with the live group's target
    rules, and the staged group's, with the config's."""
    specs = []
    for service in sorted(config.services, key=lambda s: s.name):
        ingress_from = () if config.load_balancer.security_group else _peers(config, service)
        common = dict(
            name=service.name,
            namespace=service.namespace,
            service=service.k8s_service,
            service_port=service.service_port,
            vpc_id=outputs.vpc_id,
            security_group_id=outputs.security_group_id,
            load_balancer=config.load_balancer_name,
            stack=outputs.stack_name,
            ingress_from=ingress_from,
        )
        rules = tuple(service.target_rules())
        staged = outputs.staged_arns.get(service.name)
        specs.append(BindingSpec(target_group_arn=outputs.arn_of(service.name), target_rules=outputs.live_rules.get(service.name, rules), **common))
        if staged:
            specs.append(BindingSpec(target_group_arn=staged, target_rules=rules, staged=True, **common))
    return specs


def _peers(config: Config, service: Any) -> tuple[tuple[str, str], ...]:
    """What the pods admit when the NLB has no security group: with no group of its own the NLB
    passes the clients' addresses (always for UDP and QUIC) or sends from its own addresses in the
    VPC's subnets (health checks; TCP without client IP preservation). Prefix list clients are refused
    by the config for such an NLB (`shared_nlb.config.quic_rules`)."""
    peers = {("cidr", config.network.vpc_cidr)}
    for client in config.clients_of(service):
        if client.cidr:
            peers.add(("cidr", client.cidr))
        elif client.security_group:
            peers.add(("security_group", client.security_group))
    return tuple(sorted(peers))
