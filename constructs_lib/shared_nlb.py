"""`SharedNetworkLoadBalancer`: one NLB, one listener per service, each forwarding to an IP target
group that the AWS Load Balancer Controller fills through a TargetGroupBinding.

Built from aws-cdk-lib's L2 constructs (`NetworkLoadBalancer`, `NetworkListener`,
`NetworkTargetGroup`, `SecurityGroup`); every child lives under this construct, so two of them fit
in one stack and `Tags.of()`, Aspects and cdk-nag reach every resource. Logical IDs derive from
the construct path and service names, never from call order.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

import jsii
from aws_cdk import Acknowledgment, CfnOutput, Duration, IStableListProducer, Lazy, Stack, Token, Validations
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct, IValidation

from constructs_lib import props
from constructs_lib.clients import Client, Described, RuleSource, sources
from constructs_lib.service import DeployedTargetGroup, SharedService
from shared_nlb import health_checks, naming, ports, quic
from shared_nlb.config import controller as lbc
from shared_nlb.config.limits import MAX_LISTENERS_PER_NLB
from shared_nlb.quic import QUIC_PROTOCOLS

if TYPE_CHECKING:
    # Route 53, SNS and CloudWatch (and `reach`, which builds on them) are imported where DNS records
    # and alarms are added: each aws-cdk module costs every synthesis its start-up, and most NLBs use
    # neither.
    from aws_cdk import aws_cloudwatch as cloudwatch
    from aws_cdk import aws_route53 as route53
    from aws_cdk import aws_sns as sns

    from constructs_lib import reach
    from shared_nlb.config import Config

# The ELB quota "Listeners per Network Load Balancer" (Quotas for your Network Load Balancers), the
# same number the config rules use.
MAX_LISTENERS = MAX_LISTENERS_PER_NLB
# target_health_state.unhealthy.draining_interval_seconds: "The range is 0-360000 seconds" (ELB API
# reference, TargetGroupAttribute).
MAX_UNHEALTHY_DRAINING_SECONDS = 360000
# Marks the outputs `shared-nlb manifests --outputs` reads when no config file describes the stack.
BINDING_OUTPUT_KIND = "shared-nlb/binding/v1"

# What each typed parameter accepts (`props.check`), named as aws-cdk-lib's Python API spells it.
_VPC = props.interface(ec2.IVpc, "an ec2.IVpc")
_CONNECTABLE = props.interface(ec2.IConnectable, "an ec2.IConnectable")
_PEER = props.interface(ec2.IPeer, "an ec2.IPeer")
_CLIENT = props.Kind("an ec2.IConnectable, an ec2.IPeer or a Described", lambda value: isinstance(value, Described) or _CONNECTABLE.test(value) or _PEER.test(value))
_CLIENTS = props.sequence(_CLIENT, "a list of clients (ec2.IConnectable, ec2.IPeer or Described)")
_SUBNETS = props.instance(ec2.SubnetSelection, "an ec2.SubnetSelection")
_BUCKET = props.interface(s3.IBucket, "an s3.IBucket")
_SECURITY_GROUP = props.interface(ec2.ISecurityGroup, "an ec2.ISecurityGroup")
_IP_ADDRESS_TYPE = props.enum(elbv2.IpAddressType, "an elbv2.IpAddressType")
_ROUTING_POLICY = props.enum(elbv2.ClientRoutingPolicy, "an elbv2.ClientRoutingPolicy")
# Gap: elbv2.Protocol has no QUIC or TCP_QUIC; they are given as AWS spells them (constructs_lib.quic).
_QUIC = props.Kind("'QUIC' or 'TCP_QUIC'", lambda value: value in QUIC_PROTOCOLS)
_CONTROLLER = props.Kind(" or ".join(repr(c) for c in lbc.CONTROLLERS), lambda value: value in lbc.CONTROLLERS)
# The protocols of an NLB listener this construct builds (shared_nlb.ports).
_PROTOCOL = props.enum(elbv2.Protocol, "an elbv2.Protocol", ("TCP", "UDP", "TCP_UDP", "TLS"))
_HEALTH_CHECK = props.instance(elbv2.HealthCheck, "an elbv2.HealthCheck")
_CERTIFICATE = props.interface(elbv2.IListenerCertificate, "an elbv2.IListenerCertificate")
_SSL_POLICY = props.instance(elbv2.SslPolicy, "an elbv2.SslPolicy")
_ALPN_POLICY = props.enum(elbv2.AlpnPolicy, "an elbv2.AlpnPolicy")
_DURATION = props.instance(Duration, "a Duration")
_TARGET_GROUP_HEALTH = props.instance(elbv2.TargetGroupHealth, "an elbv2.TargetGroupHealth")
_DEPLOYED = props.instance(DeployedTargetGroup, "a DeployedTargetGroup")


class SharedNetworkLoadBalancer(Construct):
    """One NLB shared by many in-cluster TCP/UDP services, one listener per port.

    :param vpc: the VPC of the NLB and its target groups; tokens welcome (a VPC from another stack).
    :param clients: who may connect to every listener (a service may replace them): security groups
        or other `ec2.IConnectable`s, or `ec2.IPeer`s (CIDRs, prefix lists). Default: nobody;
        `add_service(clients=...)` or `connections.allow_from` open listeners later.
    :param vpc_subnets: where the NLB's nodes go. Default: the VPC's private subnets (public ones
        when internet-facing), as `NetworkLoadBalancer` chooses.
    :param internet_facing: default False: an internal NLB.
    :param deletion_protection: default True: losing the NLB loses its DNS name for every client.
    :param cross_zone_enabled: default False, as AWS: no inter-AZ data charges.
    :param access_logs_bucket: where access logs go (NLBs log TLS listeners only). Default: off.
    :param access_logs_prefix: key prefix in that bucket. Default: none.
    :param target_cidrs: where the pods live: the NLB's only egress, on target and health check
        ports. Default: the VPC's CIDR.
    :param load_balancer_name: a fixed NLB name (a change that would replace the NLB then fails
        instead of creating a new DNS name). Default: a name CloudFormation generates.
    :param ip_address_type: default `IpAddressType.IPV4`.
    :param security_group: the NLB's security group. Default: a new group with no egress but the
        target rules this construct adds.
    :param security_group_enabled: False: the NLB has no security group, as QUIC and TCP_QUIC
        listeners need (AWS refuses them on an NLB with one). No ingress, egress or path MTU rules
        then; clients are admitted on the pods (binding outputs carry `ingressFrom`: the clients'
        CIDRs and groups and the VPC's CIDR); prefix list clients are refused. AWS cannot add or
        remove an NLB's groups later: changing it replaces the NLB. Default True.
    :param security_group_description: the new group's description. EC2 cannot change it in place:
        a new text replaces the group. Default: "shared NLB: listener ingress from clients, egress
        to targets only".
    :param path_mtu_discovery: let each client's ICMP "fragmentation needed" (IPv6: "packet too
        big") reach the NLB, as AWS recommends for NLB security groups ("Update the security groups
        for your Network Load Balancer"). Default False: no ICMP at all.
    :param binding_outputs: one stack output per service holding what its TargetGroupBinding needs,
        read by `shared-nlb manifests --outputs` from `cdk deploy --outputs-file`. Default True.
    :param binding_controller: the controller of the cluster those outputs are for:
        "aws-load-balancer-controller" (bindings `elbv2.k8s.aws/v1beta1`) or "eks-auto-mode"
        (`eks.amazonaws.com/v1`, without `networking`; call `allow_to_nodes` with the cluster's node
        security group, or synth fails: nothing else opens the pods to the NLB). Default:
        "aws-load-balancer-controller".
    :param zonal_shift: ARC zonal shift integration (`zonal_shift.config.enabled`). With
        `cross_zone_enabled` too, AWS needs TCP or TLS target groups (UDP and TCP_UDP services are
        refused) and connection termination for unhealthy targets off, which this construct then sets
        on every target group. Default False, as AWS.
    :param client_routing_policy: how the NLB's DNS name spreads clients over its zones
        (`dns_record.client_routing_policy`). Default: unset, AWS's `ANY_AVAILABILITY_ZONE`.
    :param minimum_capacity_units: LCU reservation (`MinimumLoadBalancerCapacity`), spread evenly over
        the NLB's zones: 2750-45000 per zone (the L2 checks it against the VPC's zones); not with
        TLS listeners. Default: none.
    """

    load_balancer = props.Attribute("The NLB (`elbv2.NetworkLoadBalancer`): Route 53 alias targets, metrics, attributes.")
    security_group = props.Attribute("The NLB's security group (`ec2.ISecurityGroup`): the one given, or the one this construct made; None with `security_group_enabled=False`.")
    connections = props.Attribute("The NLB's `ec2.Connections`, as on any L2: `connections.allow_from(peer, port)` adds rules of your own.")
    vpc = props.Attribute("The VPC of the NLB and its target groups (`ec2.IVpc`), as given.")
    clients = props.Attribute("Who may connect to every listener (a tuple of `ec2.IConnectable`, `ec2.IPeer` or `Described`), as given.")
    target_cidrs = props.Attribute("Where the pods live: the CIDRs of the NLB's only egress (a tuple of str); the VPC's CIDR by default.")
    ip_address_type = props.Attribute("The NLB's `elbv2.IpAddressType`: IPV4 unless given.")
    zonal_shift = props.Attribute("Whether ARC zonal shift is on (bool), as given.")
    cross_zone_enabled = props.Attribute("Whether cross-zone load balancing is on (bool), as given.")
    minimum_capacity_units = props.Attribute("The LCU reservation (int), or None, as given.")
    path_mtu_rules = props.Attribute("The path MTU discovery ICMP rules (`ec2.CfnSecurityGroupIngress`) by client key, with `path_mtu_discovery`.")
    egress_rules = props.Attribute("The security group's egress rules (`ec2.CfnSecurityGroupEgress`) by (ip protocol, port, CIDR): one per target port and CIDR.")
    node_ingress_rules = props.Attribute("The rules on clusters' node security groups (`ec2.CfnSecurityGroupIngress`) by (cluster, ip protocol, port), after `allow_to_nodes`.")
    dns_records = props.Attribute("Each service's alias records (A, and AAAA when dualstack), after `add_dns_records`.")
    alarms = props.Attribute("Each service's no-healthy-target alarm (`cloudwatch.Alarm`), after `add_alarms`.")
    endpoint_service = props.Attribute("The NLB as a PrivateLink endpoint service (`ec2.VpcEndpointService`), after `add_endpoint_service`; else None.")

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpc: ec2.IVpc,
        clients: Sequence[Client] = (),
        vpc_subnets: ec2.SubnetSelection | None = None,
        internet_facing: bool = False,
        deletion_protection: bool = True,
        cross_zone_enabled: bool = False,
        access_logs_bucket: s3.IBucket | None = None,
        access_logs_prefix: str | None = None,
        target_cidrs: Sequence[str] | None = None,
        load_balancer_name: str | None = None,
        ip_address_type: elbv2.IpAddressType | None = None,
        security_group: ec2.ISecurityGroup | None = None,
        security_group_enabled: bool = True,
        security_group_description: str = "shared NLB: listener ingress from clients, egress to targets only",
        path_mtu_discovery: bool = False,
        binding_outputs: bool = True,
        binding_controller: str = lbc.SELF_MANAGED,
        zonal_shift: bool = False,
        client_routing_policy: elbv2.ClientRoutingPolicy | None = None,
        minimum_capacity_units: int | None = None,
    ) -> None:
        # Before anything is built: a wrong type is refused at the call, as aws-cdk-lib's props are.
        where = "SharedNetworkLoadBalancer"
        props.check(where, "vpc", vpc, _VPC)
        props.check(where, "clients", clients, _CLIENTS)
        props.check(where, "vpc_subnets", vpc_subnets, _SUBNETS, optional=True)
        for flag, value in (("internet_facing", internet_facing), ("deletion_protection", deletion_protection), ("cross_zone_enabled", cross_zone_enabled), ("path_mtu_discovery", path_mtu_discovery), ("binding_outputs", binding_outputs), ("zonal_shift", zonal_shift), ("security_group_enabled", security_group_enabled)):
            props.check(where, flag, value, props.BOOL)
        props.check(where, "access_logs_bucket", access_logs_bucket, _BUCKET, optional=True)
        for text, value in (("access_logs_prefix", access_logs_prefix), ("load_balancer_name", load_balancer_name)):
            props.check(where, text, value, props.STR, optional=True)
        props.check(where, "target_cidrs", target_cidrs, props.sequence(props.STR, "a list of str"), optional=True)
        props.check(where, "ip_address_type", ip_address_type, _IP_ADDRESS_TYPE, optional=True)
        props.check(where, "security_group", security_group, _SECURITY_GROUP, optional=True)
        props.check(where, "security_group_description", security_group_description, props.STR)
        props.check(where, "binding_controller", binding_controller, _CONTROLLER)
        if not security_group_enabled and (security_group is not None or path_mtu_discovery):
            given = "security_group" if security_group is not None else "path_mtu_discovery"
            raise ValueError(f"{where}: {given} needs the NLB's security group; security_group_enabled is False")
        props.check(where, "client_routing_policy", client_routing_policy, _ROUTING_POLICY, optional=True)
        props.check(where, "minimum_capacity_units", minimum_capacity_units, props.INT, optional=True)
        super().__init__(scope, construct_id)
        self.vpc = vpc
        self.clients = tuple(clients)
        self.target_cidrs = tuple(target_cidrs) if target_cidrs is not None else (vpc.vpc_cidr_block,)
        self._binding_outputs = binding_outputs
        self.binding_controller = binding_controller
        self._path_mtu_discovery = path_mtu_discovery
        self.ip_address_type = ip_address_type or elbv2.IpAddressType.IPV4
        self.zonal_shift = zonal_shift
        self.cross_zone_enabled = cross_zone_enabled
        self.minimum_capacity_units = minimum_capacity_units
        self.path_mtu_rules: dict[str, ec2.CfnSecurityGroupIngress] = {}
        self.security_group = None if not security_group_enabled else security_group or ec2.SecurityGroup(
            self,
            "SecurityGroup",
            vpc=vpc,
            description=security_group_description,
            allow_all_outbound=False,
        )
        self.load_balancer = elbv2.NetworkLoadBalancer(
            self,
            "LoadBalancer",
            vpc=vpc,
            vpc_subnets=vpc_subnets,
            internet_facing=internet_facing,
            deletion_protection=deletion_protection,
            cross_zone_enabled=cross_zone_enabled,
            load_balancer_name=load_balancer_name,
            ip_address_type=ip_address_type,
            security_groups=[self.security_group] if self.security_group else None,
            zonal_shift=zonal_shift or None,
            client_routing_policy=client_routing_policy,
            minimum_capacity_unit=minimum_capacity_units,
        )
        if access_logs_bucket is not None:
            self._access_logs(access_logs_bucket, access_logs_prefix)
        self.connections = ec2.Connections(security_groups=[self.security_group] if self.security_group else [])
        # Read once: every property read and Token check is a round trip to the jsii kernel, and
        # every service's rules need these.
        self._security_group_id = self.security_group.security_group_id if self.security_group else None
        self._sources: dict[int, list[RuleSource]] = {}
        # Without a group the NLB has no egress to restrict.
        self._egress_targets = [_egress_target(cidr) for cidr in self.target_cidrs] if self.security_group else []
        self._services: dict[str, SharedService] = {}
        self.egress_rules: dict[tuple[str, int, str], ec2.CfnSecurityGroupEgress] = {}
        self.node_ingress_rules: dict[tuple[str, str, int], ec2.CfnSecurityGroupIngress] = {}
        self._node_groups: dict[str, str] = {}
        self._dns: reach.DnsSettings | None = None
        self._alarms: reach.AlarmSettings | None = None
        self.dns_records: dict[str, list[route53.RecordSet]] = {}
        self.alarms: dict[str, cloudwatch.Alarm] = {}
        self.endpoint_service: ec2.VpcEndpointService | None = None
        self._controller_roles: dict[str, tuple[iam.Role, str]] = {}
        self._own_clients: set[str] = set()  # services given `clients` of their own
        self._enforce_inbound_rules: bool | None = None
        self.node.add_validation(_Validation(self))

    @classmethod
    def from_config(cls, scope: Construct, construct_id: str, config: Config) -> SharedNetworkLoadBalancer:
        """The config file's front-end: the shared NLB a validated `shared-nlb.yaml` describes, with
        the logical IDs and output keys of every config-built stack (`constructs_lib.from_config`)."""
        from constructs_lib import from_config

        return from_config.build(cls, scope, construct_id, config)

    def _access_logs(self, bucket: s3.IBucket, prefix: str | None) -> None:
        if not Token.is_unresolved(Stack.of(self).region):
            self.load_balancer.log_access_logs(bucket, prefix)
            return
        # Gap: log_access_logs needs the stack's region (for the bucket policy's ELB principal); an
        # environment-agnostic stack gets the attributes alone, and the bucket's policy is its owner's
        # ("Access logs for your Network Load Balancer", bucket requirements).
        self.load_balancer.set_attribute("access_logs.s3.enabled", "true")
        self.load_balancer.set_attribute("access_logs.s3.bucket", bucket.bucket_name)
        if prefix:
            self.load_balancer.set_attribute("access_logs.s3.prefix", prefix)

    @property
    def services(self) -> Mapping[str, SharedService]:
        """Every service added, by name, in name order."""
        return MappingProxyType(dict(sorted(self._services.items())))

    def add_service(
        self,
        name: str,
        *,
        namespace: str = "default",
        service: str | None = None,
        service_port: int | str,
        listener_port: int,
        target_port: int | None = None,
        protocol: elbv2.Protocol | str = elbv2.Protocol.TCP,
        health_check: elbv2.HealthCheck | None = None,
        clients: Sequence[Client] | None = None,
        certificates: Sequence[elbv2.IListenerCertificate] = (),
        ssl_policy: elbv2.SslPolicy | str | None = None,
        alpn_policy: elbv2.AlpnPolicy | None = None,
        deregistration_delay: Duration | None = None,
        preserve_client_ip: bool | None = None,
        proxy_protocol_v2: bool | None = None,
        target_group_health: elbv2.TargetGroupHealth | None = None,
        unhealthy_draining: Duration | None = None,
        connection_termination: bool | None = None,
        deployed: DeployedTargetGroup | None = None,
    ) -> SharedService:
        """Add one in-cluster service: a listener on `listener_port` forwarding to a new IP target
        group on the pods' `target_port`, open to `clients`.

        :param name: the business key (a DNS label): logical IDs, output keys, binding names.
        :param namespace: the Kubernetes namespace of the Service and its binding. Default: default.
        :param service: the Kubernetes Service's name. Default: `name`.
        :param service_port: the Service's port, a number or a port name.
        :param listener_port: the NLB's port for this service, 1-65535.
        :param target_port: the pod port. Default: `service_port` when a number; required otherwise.
        :param protocol: TCP, UDP, TCP_UDP or TLS (TLS ends at the NLB; targets get TCP), or the
            strings "QUIC" and "TCP_QUIC" (`elbv2.Protocol` lacks them): passed through to the pods,
            on an NLB built with `security_group_enabled=False`, one per NLB, not beside UDP or
            TCP_UDP (checked at synth). Default TCP.
        :param health_check: default: TCP on the traffic port, AWS's intervals and thresholds.
        :param clients: replaces the construct's clients for this listener. Default: those.
        :param certificates: TLS only, required there.
        :param ssl_policy: TLS only. Default: `SslPolicy.RECOMMENDED_TLS` (TLS 1.3 and 1.2).
        :param alpn_policy: TLS only. Default: none.
        :param deregistration_delay: default 300 seconds (AWS).
        :param preserve_client_ip: default: AWS's (off for TCP/TLS IP targets, on for UDP).
        :param proxy_protocol_v2: default: off (AWS).
        :param target_group_health: DNS failover thresholds
            (`dns_minimum_healthy_target_count` / `_percentage`, 0 for off). Default: AWS's.
        :param unhealthy_draining: keep connections to a target that fails health checks open this
            long, 0-360000 seconds (`target_health_state.unhealthy.draining_interval_seconds`; sets
            `...unhealthy.connection_termination.enabled` false, as AWS requires). Default: AWS's
            (TCP/TLS: such connections are closed).
        :param connection_termination: close a deregistered target's connections when the
            deregistration delay ends. Default: AWS's (false for TCP/TLS, true for UDP/TCP_UDP).
        :param deployed: the target group the deployed listener forwards to now
            (`DeployedTargetGroup`): when `target_port` or the protocol would replace it, it stays live
            and the new group is staged beside it with weight 0 (`SharedService.staged_target_group`),
            never replaced in place. Default: none, a new service (or one whose group is created as asked).
        """
        where = "add_service"
        props.check(where, "name", name, props.STR)
        for text, value in (("namespace", namespace), ("service", service)):
            props.check(where, text, value, props.STR, optional=text == "service")
        props.check(where, "service_port", service_port, props.INT, props.STR)
        props.check(where, "listener_port", listener_port, props.INT)
        props.check(where, "target_port", target_port, props.INT, optional=True)
        props.check(where, "protocol", protocol, _PROTOCOL, _QUIC)
        props.check(where, "health_check", health_check, _HEALTH_CHECK, optional=True)
        props.check(where, "clients", clients, _CLIENTS, optional=True)
        props.check(where, "certificates", certificates, props.sequence(_CERTIFICATE, "a list of elbv2.IListenerCertificate"))
        props.check(where, "ssl_policy", ssl_policy, _SSL_POLICY, props.STR, optional=True)
        props.check(where, "alpn_policy", alpn_policy, _ALPN_POLICY, optional=True)
        for text, value in (("deregistration_delay", deregistration_delay), ("unhealthy_draining", unhealthy_draining)):
            props.check(where, text, value, _DURATION, optional=True)
        for flag, value in (("preserve_client_ip", preserve_client_ip), ("proxy_protocol_v2", proxy_protocol_v2), ("connection_termination", connection_termination)):
            props.check(where, flag, value, props.BOOL, optional=True)
        props.check(where, "target_group_health", target_group_health, _TARGET_GROUP_HEALTH, optional=True)
        props.check(where, "deployed", deployed, _DEPLOYED, optional=True)
        if not naming.is_dns_label(name):
            raise ValueError(f"add_service: name {name!r} is not a DNS label (lowercase letters, digits and '-', starting with a letter, at most 63)")
        construct_id = naming.pascal(name)
        clash = next((s for s in self._services.values() if naming.pascal(s.name) == construct_id), None)
        if clash is not None:
            raise ValueError(f"add_service: {name!r} gives the same logical IDs as service {clash.name!r} ({construct_id}); rename one")
        if target_port is None:
            if not isinstance(service_port, int):
                raise ValueError(f"add_service {name!r}: target_port is required when service_port is a port name ({service_port!r})")
            target_port = service_port
        handle = SharedService(
            self,
            construct_id,
            name=name,
            load_balancer=self.load_balancer,
            security_group_id=self._security_group_id,
            vpc=self.vpc,
            namespace=namespace,
            service=service or name,
            service_port=service_port,
            target_port=target_port,
            listener_port=listener_port,
            protocol=protocol,
            sources=[source for client in (self.clients if clients is None else clients) for source in self._sources_of(client)],
            health_check=health_check,
            certificates=certificates,
            ssl_policy=ssl_policy,
            alpn_policy=alpn_policy,
            deregistration_delay=deregistration_delay,
            preserve_client_ip=preserve_client_ip,
            proxy_protocol_v2=proxy_protocol_v2,
            target_group_health=target_group_health,
            unhealthy_draining=unhealthy_draining,
            connection_termination=connection_termination,
            # "Connection termination for unhealthy targets must be disabled" on every target group of
            # a cross-zone NLB before zonal shift can be on ("Enable zonal shift for your Network Load
            # Balancer").
            keep_unhealthy_connections=self.zonal_shift and self.cross_zone_enabled,
            deployed=deployed,
        )
        self._services[name] = handle
        if clients is not None:
            self._own_clients.add(name)
        if self._path_mtu_discovery:  # refused without a group (__init__)
            for source in handle.sources:
                self._path_mtu(source)
        for space, port in sorted(set(handle.target_rules) | set(handle.staged_target_rules)):
            for target in self._egress_targets:
                self._egress(space, port, target)
            for cluster in self._node_groups:
                self._node_ingress(cluster, space, port)
        if self._binding_outputs:
            CfnOutput(
                self,
                f"{construct_id}Binding",
                value=Stack.of(self).to_json_string({"kind": BINDING_OUTPUT_KIND, **self._binding_facts(handle)}),
                description=f"TargetGroupBinding of {name} ({namespace}/{service or name}:{service_port}), for shared-nlb manifests",
            )
            if handle.staged_target_group is not None:
                CfnOutput(
                    self,
                    f"{construct_id}StagedBinding",
                    value=Stack.of(self).to_json_string({"kind": BINDING_OUTPUT_KIND, **self._binding_facts(handle, staged=True)}),
                    description=f"TargetGroupBinding of the staged replacement target group of {name}, for shared-nlb manifests",
                )
        self._reach(handle)
        return handle

    def add_dns_records(self, zone: route53.IHostedZone, *, zone_name: str | None = None) -> None:
        """A Route 53 alias record `<service>.<zone name>` to the NLB for every service, those added
        later too: A, and AAAA when the NLB is dualstack. IDs `<Service>DnsRecord` (`...Aaaa`).

        :param zone: the hosted zone (`HostedZone.from_hosted_zone_attributes` imports one).
        :param zone_name: the zone's name. Default: `zone.zone_name`.
        """
        if self._dns is not None:
            raise ValueError("add_dns_records: already called; the services' records go into one zone")
        from constructs_lib import reach

        self._dns = reach.DnsSettings(zone, zone_name or zone.zone_name)
        for handle in self.services.values():
            self._records(handle)

    def add_endpoint_service(
        self,
        *,
        allowed_principals: Sequence[iam.ArnPrincipal],
        acceptance_required: bool = True,
        enforce_inbound_rules: bool | None = None,
    ) -> ec2.VpcEndpointService:
        """The NLB as a PrivateLink endpoint service (`EndpointService`), and who may create
        interface endpoints to it.

        :param allowed_principals: accounts (`arn:aws:iam::<account>:root`), roles or users.
        :param acceptance_required: every new endpoint connection waits for acceptance. Default True.
        :param enforce_inbound_rules: filter PrivateLink traffic with the NLB security group's inbound
            rules too. The source of such traffic is then the consumer's client's own private IP ("Update
            the security groups for your Network Load Balancer", Considerations), an address of another
            account's VPC that this construct's clients rarely know. Default: off, as False: the
            endpoint service's principals and acceptance decide who connects, the consumers' endpoint
            security groups who in their VPCs; the listeners' rules keep filtering every other client.
            Left unset, synth refuses a service whose own `clients` admit fewer sources than another
            listener (PrivateLink would bypass them): pass True, or False to accept that.
        """
        if self.endpoint_service is not None:
            raise ValueError("add_endpoint_service: already called; an NLB belongs to one endpoint service")
        from constructs_lib import reach

        self.endpoint_service = reach.endpoint_service(self, self.load_balancer, allowed_principals, acceptance_required=acceptance_required)
        # Gap: the L2 takes enforceSecurityGroupInboundRulesOnPrivateLinkTraffic at construction only;
        # the endpoint service is added afterwards.
        self.load_balancer.node.default_child.enforce_security_group_inbound_rules_on_private_link_traffic = "on" if enforce_inbound_rules else "off"
        self._enforce_inbound_rules = enforce_inbound_rules
        if self._binding_outputs:
            CfnOutput(self, "EndpointServiceName", value=self.endpoint_service.vpc_endpoint_service_name, description="PrivateLink service name: consumers create an interface endpoint to it")
        return self.endpoint_service

    def add_alarms(
        self,
        topic: sns.ITopic,
        *,
        alarm_name_prefix: str | None = None,
        period: Duration = Duration.minutes(1),
        evaluation_periods: int = 2,
    ) -> None:
        """A CloudWatch alarm per service, those added later too, when its target group has no healthy
        target (HealthyHostCount Minimum < 1; missing data breaches), telling `topic` when it fires and
        when it is OK again. IDs `<Service>NoHealthyTargetsAlarm`.

        :param topic: the SNS topic of the alarm and OK actions.
        :param alarm_name_prefix: alarm names are `<prefix>-<service>-no-healthy-targets`, at most 255
            characters. Default: `<stack name>-<this construct's ID>`.
        :param period: default 1 minute, the interval ELB publishes NLB metrics in.
        :param evaluation_periods: periods in a row without a healthy target. Default 2.
        """
        if self._alarms is not None:
            raise ValueError("add_alarms: already called; each service has one no-healthy-target alarm")
        prefix = alarm_name_prefix or f"{Stack.of(self).stack_name}-{self.node.id}"
        from constructs_lib import reach

        self._alarms = reach.AlarmSettings(topic, prefix, period, evaluation_periods)
        for handle in self.services.values():
            self.alarms[handle.name] = reach.no_healthy_targets_alarm(self, handle, self._alarms)

    def _reach(self, handle: SharedService) -> None:
        """What `add_dns_records` and `add_alarms` give every service, for one added afterwards."""
        if self._dns is not None:
            self._records(handle)
        if self._alarms is not None:
            from constructs_lib import reach

            self.alarms[handle.name] = reach.no_healthy_targets_alarm(self, handle, self._alarms)

    def _records(self, handle: SharedService) -> None:
        from constructs_lib import reach

        assert self._dns is not None
        dualstack = self.ip_address_type == elbv2.IpAddressType.DUAL_STACK
        self.dns_records[handle.name] = reach.dns_records(self, handle, self.load_balancer, self._dns, dualstack=dualstack)
        if self._binding_outputs:
            name = reach.record_name(handle.name, self._dns.zone_name)
            CfnOutput(self, naming.dns_name_output_key(handle.name), value=name, description=f"DNS name of {handle.name} (alias to the shared NLB)")
    @property
    def controller_roles(self) -> Mapping[str, iam.Role]:
        """Every role `grant_controller` created, by cluster name, in name order."""
        return MappingProxyType({name: role for name, (role, _) in sorted(self._controller_roles.items())})

    def grant_controller(self, name: str, *, role_arn: str, external_id: str, path: str | None = None) -> iam.Role:
        """Let the AWS Load Balancer Controller of a cluster in another account register and
        deregister targets in every service's target group, those added before this call and after.

        Creates an IAM role (`<Name>ControllerRole`) that trusts exactly `role_arn` with
        `sts:ExternalId` equal to `external_id`; the cluster's TargetGroupBindings name the role in
        `iamRoleArnToAssume` and the ID in `assumeRoleExternalId`. Its inline policy allows
        `RegisterTargets` and `DeregisterTargets` on these target groups only, and the two describe
        calls the controller makes through the role (`DescribeTargetGroups` in its webhook,
        `DescribeTargetHealth` in its targets manager: aws-load-balancer-controller,
        webhooks/elbv2/targetgroup_helper.go and pkg/targetgroupbinding/targets_manager.go). The
        other account's controller role needs `sts:AssumeRole` on this role; the bindings'
        `networking.ingress` rules are applied by that controller in its own account.

        :param name: the cluster's name (a DNS label): the role's ID, e.g. `green` -> `GreenControllerRole`.
        :param role_arn: the other account's controller role. A role of this stack's own account is
            refused: that controller registers targets with its own permissions.
        :param external_id: what the controller passes to AssumeRole: 2-1224 characters of
            `[A-Za-z0-9_+=,.@:/-]` (STS AssumeRole ExternalId). Never empty: an empty
            `assumeRoleExternalId` breaks the controller's AssumeRole (aws-load-balancer-controller #4656).
        :param path: the role's IAM path, e.g. `/shared-nlb/core/`: every role of one path is
            `arn:aws:iam::<account>:role/shared-nlb/core/*`, so one `sts:AssumeRole` statement in the
            other account covers every NLB's role, those made later too. Default: `/`.
        :returns: the role (`role_arn` is what the bindings need; give it a `CfnOutput`).
        """
        if not naming.is_dns_label(name):
            raise ValueError(f"grant_controller: name {name!r} is not a DNS label (lowercase letters, digits and '-', starting with a letter, at most 63)")
        construct_id = naming.controller_role_id(name)
        clash = next((other for other in self._controller_roles if naming.controller_role_id(other) == construct_id), None)
        if clash is not None:
            raise ValueError(f"grant_controller: {name!r} gives the same logical ID as cluster {clash!r} ({construct_id}); rename one")
        if not Token.is_unresolved(role_arn) and not re.fullmatch(_ROLE_ARN, role_arn):
            raise ValueError(f"grant_controller {name!r}: role_arn {role_arn!r} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)")
        if not Token.is_unresolved(external_id) and not re.fullmatch(_EXTERNAL_ID, external_id):
            raise ValueError(f"grant_controller {name!r}: external_id {external_id!r} is not valid; allowed: 2-1224 characters of A-Z a-z 0-9 _+=,.@:/- (STS AssumeRole ExternalId)")
        # IAM CreateRole Path: "/" or slash-delimited, 1-512 characters of ASCII 0x21-0x7F (IAM API
        # reference, CreateRole); a role's path cannot change without replacing the role.
        if path is not None and not Token.is_unresolved(path) and not re.fullmatch(r"/|/[\x21-\x7e]{1,510}/", path):
            raise ValueError(f"grant_controller {name!r}: path {path!r} is not an IAM path; allowed: '/' or '/<text>/', at most 512 characters (IAM CreateRole Path)")
        policy = iam.PolicyDocument(
            statements=[
                iam.PolicyStatement(
                    sid="RegisterTargetsInTheseTargetGroups",
                    actions=["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
                    # Resolved at synth: every service's group, in name order, whenever it was added.
                    resources=Lazy.list(_TargetGroupArns(self)),
                ),
                iam.PolicyStatement(
                    sid="DescribeTargetGroupsAndHealth",
                    actions=["elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth"],
                    # Describe actions support no resource-level permissions: the Service Authorization
                    # Reference (Elastic Load Balancing V2, "Actions") lists no resource type for them,
                    # so the Resource must be "*". Write actions never get "*".
                    resources=["*"],
                ),
            ]
        )
        role = iam.Role(
            self,
            construct_id,
            assumed_by=iam.ArnPrincipal(role_arn),
            external_ids=[external_id],
            path=path,
            description=f"AWS Load Balancer Controller of cluster {name}: registers pods in the shared NLB's target groups",
            inline_policies={"TargetGroupBinding": policy},
        )
        # The one wildcard is the describe statement's, which AWS leaves no way to scope (above);
        # the write actions name each target group. Tied to `Resource::*` only, so a wildcard
        # anywhere else is still a finding.
        Validations.of(role).acknowledge(
            Acknowledgment(
                id="AwsSolutions::AwsSolutions-IAM5[Resource::*]",
                reason="DescribeTargetGroups and DescribeTargetHealth support no resource-level permissions (Service Authorization Reference, Elastic Load Balancing V2); RegisterTargets and DeregisterTargets are limited to this construct's target groups.",
            )
        )
        self._controller_roles[name] = (role, role_arn)
        return role

    def allow_to_nodes(self, name: str, security_group_id: str) -> None:
        """Open the nodes of an EKS Auto Mode cluster to the NLB on every service's target rules,
        those added before this call and after: one `AWS::EC2::SecurityGroupIngress` per (protocol,
        port) on `security_group_id`, from the NLB's security group.

        Auto Mode's TargetGroupBinding has no `networking` rules ("spec.networking.ingress.from: Not
        supported", Amazon EKS User Guide, "Use Service Annotations to configure Network Load
        Balancers"), so no controller adds them; without them the NLB's traffic and health checks
        are dropped at the pods.

        :param name: the cluster's name (a DNS label): the rules' IDs, e.g. `auto` -> `AutoNodesFromNlbTcp6380`.
        :param security_group_id: the nodes' security group (the NodeClass's; by default the cluster
            security group `eks-cluster-sg-*`), in this NLB's VPC.
        """
        if not naming.is_dns_label(name):
            raise ValueError(f"allow_to_nodes: name {name!r} is not a DNS label (lowercase letters, digits and '-', starting with a letter, at most 63)")
        if self._security_group_id is None:
            # "EKS Auto Mode only supports Security Group Mode for Network Load Balancers" (Amazon EKS
            # User Guide, "Learn about VPC Networking and Load Balancing in EKS Auto Mode").
            raise ValueError(f"allow_to_nodes {name!r}: the NLB has no security group to admit (security_group_enabled is False); EKS Auto Mode supports only NLBs with security groups")
        self._node_groups[name] = security_group_id
        for space, port in sorted({rule for handle in self._services.values() for rule in (*handle.target_rules, *handle.staged_target_rules)}):
            self._node_ingress(name, space, port)

    def _node_ingress(self, cluster: str, space: str, port: int) -> None:
        key = (cluster, space, port)
        if key in self.node_ingress_rules:
            return
        self.node_ingress_rules[key] = ec2.CfnSecurityGroupIngress(
            self,
            naming.node_ingress_rule_id(cluster, space, port),
            group_id=self._node_groups[cluster],
            source_security_group_id=self._security_group_id,
            ip_protocol=space,
            from_port=port,
            to_port=port,
            description=f"from the shared NLB to the pods of cluster {cluster} on {port}/{space}",
        )

    def _sources_of(self, client: Client) -> list[RuleSource]:
        """A client's rule sources, worked out once however many services it reaches."""
        if id(client) not in self._sources:
            self._sources[id(client)] = sources(client)
        return self._sources[id(client)]

    def _path_mtu(self, source: RuleSource) -> None:
        # ICMP type 3 code 4 ("fragmentation needed"), ICMPv6 type 2 ("packet too big"): what path
        # MTU discovery needs, not all of ICMP (EC2 User Guide, "Path MTU Discovery"). In CloudFormation
        # an ICMP rule's FromPort is the type and ToPort the code.
        if source.key in self.path_mtu_rules:
            return
        v6 = "cidr_ipv6" in source.properties
        self.path_mtu_rules[source.key] = ec2.CfnSecurityGroupIngress(
            self,
            f"PathMtuFrom{source.key}",
            group_id=self._security_group_id,
            ip_protocol="58" if v6 else "icmp",
            from_port=2 if v6 else 3,
            to_port=0 if v6 else 4,
            description=f"path MTU discovery from {source.label}"[:255],
            **source.properties,
        )

    def _binding_facts(self, handle: SharedService, *, staged: bool = False) -> Mapping[str, object]:
        facts = handle.binding_facts(self.load_balancer.load_balancer_name, self._security_group_id, self.vpc.vpc_id, staged=staged)
        if self._security_group_id is None:
            # No group: the pods admit the clients (QUIC and UDP keep their addresses) and the VPC's
            # CIDR (the NLB's own addresses: health checks, TCP without client IP preservation).
            peers = {("cidr", self.vpc.vpc_cidr_block)} | {_peer(source) for source in handle.sources}
            facts = {**{k: v for k, v in facts.items() if k != "securityGroupId"}, "ingressFrom": [list(peer) for peer in sorted(peers)]}
        # Written only for Auto Mode: the outputs of every stack built before the choice stay as they were.
        return {**facts, "controller": self.binding_controller} if self.binding_controller != lbc.SELF_MANAGED else facts

    def _egress(self, space: str, port: int, target: _EgressTarget) -> None:
        # Gap: as for ingress (constructs_lib/service.py), SecurityGroup.add_egress_rule would name the
        # rule after the peer and fold CIDR rules inline; egress is keyed by (protocol, port, CIDR), so
        # two services on one target port share one rule and removing one keeps it.
        key = (space, port, target.cidr)
        if key in self.egress_rules:
            return
        self.egress_rules[key] = ec2.CfnSecurityGroupEgress(
            self,
            f"EgressTo{space.capitalize()}{port}{target.key}",
            group_id=self._security_group_id,
            ip_protocol=space,
            from_port=port,
            to_port=port,
            description=f"to targets on {port}/{space}{target.where}",
            **target.properties,
        )


# An IAM role ARN (IAM API reference, CreateRole RoleName and Path) and an STS external ID (STS API
# reference, AssumeRole ExternalId: 2-1224 characters of [\w+=,.@:/-]); the config checks the same
# (shared_nlb.config.clusters).
_ROLE_ARN = r"arn:aws[a-z-]*:iam::(\d{12}):role/([A-Za-z0-9+=,.@_-]+/)*[A-Za-z0-9+=,.@_-]{1,64}"
_EXTERNAL_ID = r"[A-Za-z0-9_+=,.@:/-]{2,1224}"


@jsii.implements(IStableListProducer)
class _TargetGroupArns:
    """The target group ARNs of every service of a shared NLB, in service name order, at synth."""

    def __init__(self, owner: SharedNetworkLoadBalancer) -> None:
        self.owner = owner

    def produce(self) -> list[str]:
        groups = [g for service in self.owner.services.values() for g in (service.target_group, service.staged_target_group) if g is not None]
        return [group.target_group_arn for group in groups]


@dataclass(frozen=True)
class _EgressTarget:
    """Where the pods live, as an egress rule's destination: `key` for IDs, text for descriptions."""

    cidr: str
    key: str
    where: str
    properties: dict[str, str]


def _peer(source: RuleSource) -> tuple[str, str]:
    """A client as a binding's ingress peer, for an NLB without a security group."""
    properties = source.properties
    if "source_security_group_id" in properties:
        return ("securityGroup", properties["source_security_group_id"])
    if "source_prefix_list_id" in properties:  # refused at synth: no binding peer takes one
        return ("prefixList", properties["source_prefix_list_id"])
    return ("cidr", properties.get("cidr_ip") or properties.get("cidr_ipv6"))


def _egress_target(cidr: str) -> _EgressTarget:
    if Token.is_unresolved(cidr):  # the VPC's CIDR from another stack, say
        return _EgressTarget(cidr, "Vpc", "", {"cidr_ip": cidr})
    network = ipaddress.ip_network(cidr, strict=False)
    return _EgressTarget(cidr, naming.client_key(cidr=cidr), f" in {cidr}", {"cidr_ipv6": cidr} if network.version == 6 else {"cidr_ip": cidr})


def _seconds(value: Duration | None) -> float | None:
    if value is None:
        return None
    seconds = value.to_seconds()
    return None if not isinstance(seconds, int) and Token.is_unresolved(seconds) else seconds


def _service_problems(service: SharedService, ip_address_type: elbv2.IpAddressType) -> list[str]:
    """The AWS rules of one service that the L2 constructs do not check."""
    found = []
    where = f"service {service.name!r}"
    # "Client IP preservation can't be disabled for UDP and TCP_UDP target groups" (ELB
    # TargetGroupAttribute reference, preserve_client_ip.enabled).
    if service.preserve_client_ip is False and service.protocol in ("UDP", "TCP_UDP"):
        found.append(f"{where}: preserve_client_ip false is not allowed for {service.protocol} target groups")
    check = service.health_check
    protocol = check.protocol.value if check.protocol is not None else "TCP"
    interval, timeout = _seconds(check.interval), _seconds(check.timeout)
    # The L2 compares interval and timeout only when both are given; AWS compares the defaults too.
    if protocol in health_checks.DEFAULT_TIMEOUT and (interval is None or timeout is None):
        interval = health_checks.DEFAULT_INTERVAL if interval is None else interval
        timeout = health_checks.DEFAULT_TIMEOUT[protocol] if timeout is None else timeout
        if timeout > interval:
            found.append(f"{where}: health check interval {interval} s is less than its timeout ({timeout} s, the {protocol} default when unset)")
    if ip_address_type == elbv2.IpAddressType.DUAL_STACK and service.protocol in ("UDP", "TCP_UDP"):
        # LoadBalancer EnablePrefixForIpv6SourceNat: "[Network Load Balancers with UDP listeners] ...
        # The IP address type must be dualstack"; UDP on dualstack needs IPv6 target groups.
        found.append(f"{where}: {service.protocol} on a dualstack NLB needs IPv6 target groups and an IPv6 source NAT prefix, which this construct does not build")
    if ip_address_type != elbv2.IpAddressType.DUAL_STACK:
        # the controller refuses the same: "unsupported v6 cidr ... when lb is not dualstack"
        # (aws-load-balancer-controller, pkg/service/model_build_managed_sg.go)
        for source in service.sources:
            if "cidr_ipv6" in source.properties:
                found.append(f"{where}: client {source.label} is IPv6, but the NLB is not dualstack")
    return found


def _settings_problems(owner: SharedNetworkLoadBalancer, services: list[SharedService]) -> list[str]:
    """AWS's rules between the NLB's settings (LCU reservation, zonal shift) and its services."""
    found = []
    if owner.minimum_capacity_units is not None:
        # "LCU reservation is not supported on Network Load Balancers using TLS listeners" ("Request
        # Load balancer Capacity Unit reservation for your Network Load Balancer").
        tls = [s.name for s in services if s.protocol == "TLS"]
        if tls:
            found.append(f"minimum_capacity_units: LCU reservation is not supported on an NLB with TLS listeners (services {', '.join(repr(n) for n in tls)})")
    if owner.zonal_shift and owner.cross_zone_enabled:
        # "If you enable cross-zone load balancing for the load balancer, every target group ... must
        # meet the following requirements before you can enable zonal shift. The target group protocol
        # must be TCP or TLS." ("Enable zonal shift for your Network Load Balancer")
        for service in services:
            if not quic.zonal_shift_allows(ports.target_protocol(service.protocol)):
                found.append(f"service {service.name!r}: {service.protocol} target groups cannot take part in zonal shift with cross-zone load balancing on; use TCP or TLS, or turn off cross_zone_enabled or zonal_shift")
    for service in services:
        draining = _seconds(service.unhealthy_draining)
        if draining is not None and not 0 <= draining <= MAX_UNHEALTHY_DRAINING_SECONDS:
            found.append(f"service {service.name!r}: unhealthy_draining {draining:g} seconds is out of range; allowed: 0-{MAX_UNHEALTHY_DRAINING_SECONDS}")
    return found


@jsii.implements(IValidation)
class _Validation:
    """Rules across services, run at synth so every problem is listed at once (aws-cdk's
    `node.addValidation`); literal values only, tokens are skipped."""

    def __init__(self, owner: SharedNetworkLoadBalancer) -> None:
        self.owner = owner

    def validate(self) -> list[str]:
        from constructs_lib import reach  # imported by add_alarms already when its rules apply

        errors: list[str] = []
        services = list(self.owner.services.values())
        if len(services) > MAX_LISTENERS:
            errors.append(f"{len(services)} services: an NLB takes at most {MAX_LISTENERS} listeners (ELB quota 'Listeners per Network Load Balancer')")
        taken: dict[int, str] = {}
        for service in services:
            port = service.listener_port
            # jsii hands a token number to Python as a float; a literal port is an int.
            if not isinstance(port, int) and Token.is_unresolved(port):
                continue
            if not 1 <= port <= 65535:
                errors.append(f"service {service.name!r}: listener_port {port} is out of range; allowed: 1-65535")
            # AWS keys NLB listeners by port alone: a TCP and a UDP listener on one port fail with
            # DuplicateListener ("Listeners for your Network Load Balancers": use one TCP_UDP listener).
            if port in taken:
                errors.append(f"service {service.name!r}: listener_port {port} is already used by service {taken[port]!r}")
            taken.setdefault(port, service.name)
            errors += _service_problems(service, self.owner.ip_address_type)
            if self.owner._alarms is not None:
                errors += filter(None, [reach.alarm_name_problem(self.owner._alarms, service.name)])
        errors += _settings_problems(self.owner, services)
        errors += [
            f"service {services[index].name!r}: {message}"
            for index, message in quic.listener_problems([(s.name, s.protocol) for s in services], security_group=self.owner._security_group_id is not None, dualstack=self.owner.ip_address_type == elbv2.IpAddressType.DUAL_STACK, without_group="security_group_enabled=False")
        ]
        if self.owner._security_group_id is None:
            # A binding's networking.ingress peers are security groups and CIDRs (TargetGroupBinding
            # CRD, NetworkingPeer): without the NLB's group a prefix list client cannot be admitted.
            errors += [f"service {s.name!r}: client {source.label} is a prefix list, which needs the NLB's security group (security_group_enabled is False)" for s in services for source in s.sources if "source_prefix_list_id" in source.properties]
        errors += self._controller_problems(services)
        if self.owner._binding_outputs and self.owner.binding_controller == lbc.AUTO_MODE and not self.owner._node_groups:
            # Auto Mode's bindings carry no networking rules ("spec.networking.ingress.from: Not
            # supported", Amazon EKS User Guide, "Use Service Annotations to configure Network Load
            # Balancers"): without allow_to_nodes nothing opens the pods to the NLB.
            errors.append("binding_controller 'eks-auto-mode': no node security group to open; call allow_to_nodes(cluster, node_security_group_id)")
        errors += self._private_link_problems(services)
        if self.owner._alarms is not None:
            errors += filter(None, [reach.alarm_topic_problem(self.owner._alarms, Stack.of(self.owner).region)])
        return errors

    def _private_link_problems(self, services: list[SharedService]) -> list[str]:
        # With EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic off, inbound rules are not
        # evaluated for traffic through PrivateLink (ELB API reference, SetSecurityGroups): an accepted
        # endpoint reaches a service whose own clients leave out a source another listener admits.
        owner = self.owner
        if owner.endpoint_service is None or owner._enforce_inbound_rules is not None:
            return []
        keys = {s.name: {source.key for source in s.sources} for s in services}
        widest = set().union(*keys.values())
        return [
            f"service {s.name!r}: its own clients admit fewer sources than another listener, but every accepted PrivateLink endpoint reaches it (add_endpoint_service: enforce_inbound_rules unset, so off); pass enforce_inbound_rules=True, or False to accept that"
            for s in services
            if s.name in owner._own_clients and not widest <= keys[s.name]
        ]

    def _controller_problems(self, services: list[SharedService]) -> list[str]:
        errors = []
        account = Stack.of(self.owner).account
        for name, (_, role_arn) in sorted(self.owner._controller_roles.items()):
            if not services:
                errors.append(f"controller role of cluster {name!r}: no service to grant; add_service first (a policy without resources is invalid)")
            match = None if Token.is_unresolved(role_arn) else re.fullmatch(_ROLE_ARN, role_arn)
            # A controller of this account registers targets with its own permissions: the controller
            # assumes a role only for target groups of another account (aws-load-balancer-controller
            # docs, TargetGroupBinding, "AssumeRole (Cross-Account TargetGroups)").
            if match and not Token.is_unresolved(account) and match.group(1) == account:
                errors.append(f"controller role of cluster {name!r}: {role_arn} is in this stack's account ({account}); a cluster in the same account needs no role")
        return errors
