"""One service behind the shared NLB: an IP target group, its listener and the listener's ingress
rules, created in the shared NLB's scope under IDs that start with the service's name
(`SharedService` is the handle to them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from aws_cdk import Duration, Token, Tokenization
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from constructs import Construct

from constructs_lib import clients as client_sources
from constructs_lib import props, quic
from shared_nlb import naming, ports

# EC2 caps a rule description at 255 characters (AWS::EC2::SecurityGroupIngress Description).
MAX_RULE_DESCRIPTION = 255


@dataclass(frozen=True)
class DeployedTargetGroup:
    """The target group a deployed service's listener forwards to now, given to `add_service` so that
    a change of the service's target port or protocol never replaces it in place.

    CloudFormation replaces a target group whose port or protocol changes and points the listener at
    the new, empty group in the same update: the service has no targets until the new
    TargetGroupBinding is applied and its pods pass health checks. With this, the group stays live,
    and the new one is staged beside it: the listener forwards to both, the new one with weight 0, so
    that it is health checked and takes no traffic (NLB weighted target groups, weights 0-999). The
    listener moves to the new group when a later synthesis names the new group as the deployed one
    (`shared-nlb deploy` does once it has healthy targets; `cdk deploy` never does).

    :param port: the deployed group's port (the pods' old port).
    :param protocol: the deployed group's protocol (TCP, UDP or TCP_UDP; a TLS listener's group is
        TCP), or "QUIC" / "TCP_QUIC" (`elbv2.Protocol` lacks them, constructs_lib.quic).
    :param construct_id: its construct ID under the shared NLB: `<Service>TargetGroup` for a group
        created by `add_service`, `<Service>TargetGroup<digest>` for one that was staged. Default:
        `<Service>TargetGroup`.
    :param health_check: its health check while a replacement is staged (the old pods answer it as
        before). Default: the service's.
    """

    port: int
    protocol: elbv2.Protocol | str
    construct_id: str | None = None
    health_check: elbv2.HealthCheck | None = None


class SharedService:
    """The handle `SharedNetworkLoadBalancer.add_service` returns: a service's target group and
    listener, plus the facts its TargetGroupBinding needs (namespace, Service name and port, the pod
    port and the protocols the NLB reaches it on).

    `target_group` (elbv2.NetworkTargetGroup) is the group the listener forwards to, for metrics
    and alarms; `staged_target_group` its staged replacement while one stands beside it (weight 0),
    else None; `listener` (elbv2.NetworkListener) the port clients connect to; `ingress_rules` maps
    (ip protocol, client key) to each ingress rule, in key order.
    """

    target_group = props.Attribute("The target group the listener forwards to (`elbv2.NetworkTargetGroup`): metrics, alarms, attributes.")
    target_group_id = props.Attribute("The construct ID of `target_group` (its logical ID in a config-built stack).")
    staged_target_group_id = props.Attribute("The construct ID of `staged_target_group`, or None.")
    staged_target_group = props.Attribute("The staged replacement target group beside `target_group` (weight 0, health checked, no traffic), or None when nothing is staged.")
    listener = props.Attribute("The NLB's listener of this service (`elbv2.NetworkListener`), the port clients connect to.")
    ingress_rules = props.Attribute("The listener's ingress rules (`ec2.CfnSecurityGroupIngress`) by (ip protocol, client key), in key order.")
    name = props.Attribute("The service's business key (str): logical IDs, output keys, binding names.")
    namespace = props.Attribute("The Kubernetes namespace of the Service and its TargetGroupBinding (str).")
    service = props.Attribute("The Kubernetes Service's name (str).")
    service_port = props.Attribute("The Service's port, a number or a port name.")
    target_port = props.Attribute("The pod port (int) the target group reaches.")
    listener_port = props.Attribute("The NLB's port (int) of this service.")
    protocol = props.Attribute("The listener's protocol as AWS spells it (str): TCP, UDP, TCP_UDP or TLS.")
    health_check = props.Attribute("The target group's health check (`elbv2.HealthCheck`), AWS's defaults where unset.")
    health_check_port = props.Attribute("The port (int) the health check reaches on the pods.")
    preserve_client_ip = props.Attribute("Client IP preservation as given (bool), or None for AWS's default.")
    unhealthy_draining = props.Attribute("How long connections to an unhealthy target stay open (`Duration`), or None for AWS's default.")
    sources = props.Attribute("The rule sources of the listener's clients (a tuple of `RuleSource`).")

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        load_balancer: elbv2.NetworkLoadBalancer,
        security_group_id: str | None,
        vpc: ec2.IVpc,
        namespace: str,
        service: str,
        service_port: int | str,
        target_port: int,
        listener_port: int,
        protocol: elbv2.Protocol | str,
        sources: Sequence[client_sources.RuleSource],
        health_check: elbv2.HealthCheck | None,
        certificates: Sequence[elbv2.IListenerCertificate],
        ssl_policy: elbv2.SslPolicy | str | None,
        alpn_policy: elbv2.AlpnPolicy | None,
        deregistration_delay: Duration | None,
        preserve_client_ip: bool | None,
        proxy_protocol_v2: bool | None,
        target_group_health: elbv2.TargetGroupHealth | None = None,
        unhealthy_draining: Duration | None = None,
        connection_termination: bool | None = None,
        keep_unhealthy_connections: bool = False,
        deployed: DeployedTargetGroup | None = None,
    ) -> None:
        # A plain handle, not a construct of its own: one jsii object less per service, and the
        # children's IDs still start with the service's name (`<Construct><Service>TargetGroup...`).
        self.scope = scope
        self._id = construct_id
        self.name = name
        self.namespace = namespace
        self.service = service
        self.service_port = service_port
        self.target_port = target_port
        self.listener_port = listener_port
        self.protocol = quic.name_of(protocol)
        check = health_check or elbv2.HealthCheck()
        self.health_check = check
        self.preserve_client_ip = preserve_client_ip
        self.unhealthy_draining = unhealthy_draining
        self.sources = tuple(sources)
        check_port = check.port
        self.health_check_port = target_port if check_port in (None, "traffic-port") else int(check_port)
        target_protocol = ports.target_protocol(self.protocol)
        settings = dict(
            vpc=vpc,
            target_type=elbv2.TargetType.IP,
            deregistration_delay=deregistration_delay,
            preserve_client_ip=preserve_client_ip,
            proxy_protocol_v2=proxy_protocol_v2,
            target_group_health=target_group_health,
            connection_termination=connection_termination,
        )
        draining = (unhealthy_draining, keep_unhealthy_connections)
        own_id = f"{construct_id}TargetGroup"
        live_id = (deployed.construct_id if deployed is not None else None) or own_id
        self.target_group_id = live_id
        self.staged_target_group: elbv2.NetworkTargetGroup | None = None
        self._live_rules = ports.target_rules(self.protocol, target_port, self.health_check_port)
        self._staged_rules: list[tuple[str, int]] = []
        if deployed is None or (deployed.port, quic.name_of(deployed.protocol)) == (target_port, target_protocol):
            self.target_group = self._group(live_id, target_port, target_protocol, health_check, settings, draining)
            self.staged_target_group_id = None
        else:
            # A replacement is staged: the deployed group stays live as it is, the wanted one beside it.
            live_check = deployed.health_check or health_check
            self.target_group = self._group(live_id, deployed.port, quic.name_of(deployed.protocol), live_check, settings, draining)
            vpc_id = None if Token.is_unresolved(vpc.vpc_id) else vpc.vpc_id
            staged_id = f"{own_id}{naming.target_group_digest(target_port, target_protocol, vpc_id)}"
            self.staged_target_group = self._group(staged_id, target_port, target_protocol, health_check, settings, draining)
            self.staged_target_group_id = staged_id
            self._staged_rules = self._live_rules
            live_check_port = (live_check or elbv2.HealthCheck()).port
            self._live_rules = ports.target_rules(quic.name_of(deployed.protocol), deployed.port, deployed.port if live_check_port in (None, "traffic-port") else int(live_check_port))
        policy = None if isinstance(ssl_policy, str) else ssl_policy
        if protocol == elbv2.Protocol.TLS and ssl_policy is None:
            policy = elbv2.SslPolicy.RECOMMENDED_TLS  # ELBSecurityPolicy-TLS13-1-2-2021-06, secure by default
        self.listener = elbv2.NetworkListener(
            scope,
            f"{construct_id}Listener",
            load_balancer=load_balancer,
            port=listener_port,
            protocol=quic.l2_protocol(self.protocol),
            default_target_groups=None if self.staged_target_group else [self.target_group],
            default_action=self._weighted_forward() if self.staged_target_group else None,
            certificates=list(certificates) or None,
            ssl_policy=policy,
            alpn_policy=alpn_policy,
        )
        quic.finish(self.listener, self.protocol)
        if isinstance(ssl_policy, str):
            # Gap: the L2's SslPolicy enum only names the policies it knows; AWS adds policies, and a
            # config names a policy as AWS spells it (ELBSecurityPolicy-...).
            self.listener.node.default_child.ssl_policy = ssl_policy
        self.ingress_rules: dict[tuple[str, str], ec2.CfnSecurityGroupIngress] = {}
        for source in sources if security_group_id is not None else ():  # an NLB without a group: the pods admit the clients
            for space in ports.PORT_SPACES[self.protocol]:
                self._ingress(security_group_id, space, source)
        self.ingress_rules = dict(sorted(self.ingress_rules.items()))

    def _group(self, group_id: str, port: int, protocol: str, health_check: elbv2.HealthCheck | None, settings: dict, draining: tuple[Duration | None, bool]) -> elbv2.NetworkTargetGroup:
        group = elbv2.NetworkTargetGroup(self.scope, group_id, port=port, protocol=quic.l2_protocol(protocol), health_check=health_check, **settings)
        quic.finish(group, protocol)
        unhealthy_draining, keep_unhealthy_connections = draining
        if unhealthy_draining is not None or keep_unhealthy_connections:
            # Gap: NetworkTargetGroup has no prop for the target_health_state.unhealthy attributes. The
            # draining interval "can only be configured when
            # target_health_state.unhealthy.connection_termination.enabled is false" (ELB API reference,
            # TargetGroupAttribute), so both go together.
            group.set_attribute("target_health_state.unhealthy.connection_termination.enabled", "false")
            if unhealthy_draining is not None:
                group.set_attribute("target_health_state.unhealthy.draining_interval_seconds", Tokenization.stringify_number(unhealthy_draining.to_seconds()))
        return group

    def _weighted_forward(self) -> elbv2.NetworkListenerAction:
        """Forward to the live group only; the staged one with weight 0 is health checked and takes no
        traffic. A group no listener reaches is not health checked at all (its targets stay `unused`,
        DescribeTargetHealth reference), so it could never prove itself before the switch."""
        return elbv2.NetworkListenerAction.weighted_forward(
            [elbv2.NetworkWeightedTargetGroup(target_group=self.target_group, weight=1), elbv2.NetworkWeightedTargetGroup(target_group=self.staged_target_group, weight=0)]
        )

    def _ingress(self, security_group_id: str, space: str, source: client_sources.RuleSource) -> None:
        # Gap: SecurityGroup.add_ingress_rule names its rule after the peer and port ("from
        # 10.20.0.0/16:6379") and, for CIDR peers, folds it into the group's inline rules; a service's
        # rules must live and die with the service, under IDs that never move to another resource
        # (CloudFormation revokes a rule when its old standalone resource is deleted, even if the same
        # rule now exists elsewhere).
        key = (space, source.key)
        if key in self.ingress_rules:
            return
        description = f"{self.name} listener {self.listener_port}/{space} from {source.label}"
        if len(description) > MAX_RULE_DESCRIPTION and not Token.is_unresolved(description):
            description = description[: MAX_RULE_DESCRIPTION - 3] + "..."
        self.ingress_rules[key] = ec2.CfnSecurityGroupIngress(
            self.scope,
            f"{self._id}Ingress{space.capitalize()}From{source.key}",
            group_id=security_group_id,
            ip_protocol=space,
            from_port=self.listener_port,
            to_port=self.listener_port,
            description=description,
            **source.properties,
        )

    @property
    def target_rules(self) -> list[tuple[str, int]]:
        """(ip protocol, port) the NLB reaches on the pods of the live group: its binding's ingress."""
        return list(self._live_rules)

    @property
    def staged_target_rules(self) -> list[tuple[str, int]]:
        """The same for the staged group's pods (empty when nothing is staged)."""
        return list(self._staged_rules)

    def binding_facts(self, load_balancer_name: str, security_group_id: str, vpc_id: str, *, staged: bool = False) -> Mapping[str, object]:
        """What the service's TargetGroupBinding needs (the staged group's with `staged`), with tokens
        where values come at deploy."""
        if staged:
            assert self.staged_target_group is not None
            live = self.binding_facts(load_balancer_name, security_group_id, vpc_id)
            return {**live, "targetGroupArn": self.staged_target_group.target_group_arn, "targetRules": [[space, port] for space, port in self._staged_rules], "staged": True}
        return {
            "name": self.name,
            "namespace": self.namespace,
            "service": self.service,
            "servicePort": self.service_port,
            "targetGroupArn": self.target_group.target_group_arn,
            "vpcId": vpc_id,
            "securityGroupId": security_group_id,
            "loadBalancer": load_balancer_name,
            "targetRules": [[space, port] for space, port in self.target_rules],
        }
