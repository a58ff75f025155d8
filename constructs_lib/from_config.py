"""The config file's front-end to the construct: `shared-nlb.yaml` (a validated `Config`) in,
`SharedNetworkLoadBalancer` out. The only glue between the two.

A config-built stack keeps what every stack deployed from a config already has: the flat logical
IDs of `shared_nlb.naming` (so an upgrade replaces no load balancer, listener, target group or
security group rule) and the output keys `shared-nlb manifests` reads. It therefore holds one shared
NLB per stack, as the config file describes.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import Acknowledgment, Annotations, CfnOutput, Duration, Fn, Validations
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_s3 as s3
from constructs import Construct

from constructs_lib import quic
from constructs_lib.clients import Described
from constructs_lib.service import DeployedTargetGroup
from shared_nlb import naming, ports
from shared_nlb.config import TLS_DEFAULT_POLICY, Client, Config, HealthCheck, Service, TargetGroupHealth

_ALPN = {
    "HTTP1Only": elbv2.AlpnPolicy.HTTP1_ONLY,
    "HTTP2Only": elbv2.AlpnPolicy.HTTP2_ONLY,
    "HTTP2Optional": elbv2.AlpnPolicy.HTTP2_OPTIONAL,
    "HTTP2Preferred": elbv2.AlpnPolicy.HTTP2_PREFERRED,
    "None": elbv2.AlpnPolicy.NONE,
}
# The warning ec2.Subnet.from_subnet_id gives a subnet imported without its route table ID.
_NO_ROUTE_TABLE_ID = "@aws-cdk/aws-ec2:noSubnetRouteTableId"
_NO_ACCESS_LOGS = (
    "Access logs are off because the config names no bucket (load_balancer.access_logs); "
    "NLB access logs only record TLS listeners. README, 'Access logs', says how to turn them on."
)


def build(cls: type, scope: Construct, construct_id: str, config: Config) -> Any:
    """The config's shared NLB under `scope` (a `SharedNetworkLoadBalancer`, the `cls` that
    `SharedNetworkLoadBalancer.from_config` passes, so this module does not import it back), with the
    IDs and outputs of a config-built stack."""
    network = config.network
    # Imported by ID, never looked up: synthesis stays offline. The AZs are not rendered anywhere
    # (the subnets are given), but the import needs a list: one entry per subnet (one subnet per AZ),
    # as the L2 divides minimum_capacity_units by the VPC's zone count.
    zones = [Fn.select(index, Fn.get_azs()) for index in range(len(network.subnet_ids))]
    vpc = ec2.Vpc.from_vpc_attributes(scope, f"{construct_id}Vpc", vpc_id=network.vpc_id, vpc_cidr_block=network.vpc_cidr, availability_zones=zones)
    subnets = [_subnet(scope, f"{construct_id}{naming.pascal(subnet)}", subnet) for subnet in network.subnet_ids]
    lb = config.load_balancer
    bucket = s3.Bucket.from_bucket_name(scope, f"{construct_id}AccessLogs", lb.access_logs.bucket) if lb.access_logs else None
    shared = cls(
        scope,
        construct_id,
        vpc=vpc,
        vpc_subnets=ec2.SubnetSelection(subnets=subnets),
        clients=[_client(c) for c in config.clients],
        internet_facing=lb.scheme == "internet-facing",
        deletion_protection=lb.deletion_protection,
        cross_zone_enabled=lb.cross_zone,
        access_logs_bucket=bucket,
        access_logs_prefix=lb.access_logs.prefix if lb.access_logs else None,
        target_cidrs=network.pod_cidrs,
        load_balancer_name=config.load_balancer_name,
        ip_address_type=elbv2.IpAddressType.DUAL_STACK if lb.ip_address_type == "dualstack" else elbv2.IpAddressType.IPV4,
        security_group_enabled=lb.security_group,
        security_group_description=f"shared-nlb {config.name}: listener ingress from clients, egress to targets",
        path_mtu_discovery=lb.path_mtu_discovery,
        binding_outputs=False,
        zonal_shift=lb.zonal_shift,
        client_routing_policy=elbv2.ClientRoutingPolicy[lb.client_routing_policy.upper()] if lb.client_routing_policy else None,
        minimum_capacity_units=lb.minimum_capacity_units,
    )
    _reach(scope, construct_id, shared, config)
    for service in sorted(config.services, key=lambda s: s.name):
        _add(shared, config, service)
    for cluster in sorted(config.clusters or [], key=lambda c: c.name) if config.services else []:  # an emptied NLB has no group to grant
        if cluster.controller_role_arn is not None:
            # One path for every NLB of the config: one statement in the cluster's account covers them all.
            path = f"/shared-nlb/{config.family_name}/"
            shared.grant_controller(cluster.name, role_arn=cluster.controller_role_arn, external_id=cluster.external_id_of(config.name) or "", path=path)
        if cluster.node_security_group is not None:  # an EKS Auto Mode cluster: its bindings open nothing
            shared.allow_to_nodes(cluster.name, cluster.node_security_group)
    _pin_logical_ids(shared, config)
    _outputs(shared, config)
    if lb.access_logs is None:
        Validations.of(shared.load_balancer).acknowledge(Acknowledgment(id="AwsSolutions::AwsSolutions-ELB2", reason=_NO_ACCESS_LOGS))
    return shared


def _subnet(scope: Construct, construct_id: str, subnet_id: str) -> ec2.ISubnet:
    """A configured subnet, imported by its ID alone. The import warns on every synth that it has no
    route table ID (aws-ec2's ImportedSubnet, warning `@aws-cdk/aws-ec2:noSubnetRouteTableId`): only
    reading the subnet's route table would fail, and nothing here reads it (the NLB and its bindings
    take subnet IDs), while looking it up would take synthesis online. So the warning is acknowledged on
    the subnet, as CDK offers for a warning that does not apply; the template is the same."""
    subnet = ec2.Subnet.from_subnet_id(scope, construct_id, subnet_id)
    Annotations.of(subnet).acknowledge_warning(_NO_ROUTE_TABLE_ID, "the shared NLB reads subnet IDs only, never a subnet's route table")
    return subnet


def _reach(scope: Construct, construct_id: str, shared: Any, config: Config) -> None:
    """`dns`, `privatelink` and `alarms`, before the services are added: each service gets its
    records and alarm as it is added."""
    # Each aws-cdk module is imported for the configs that use it: each costs every synthesis its start-up.
    if config.dns is not None:
        from aws_cdk import aws_route53 as route53

        zone = route53.HostedZone.from_hosted_zone_attributes(scope, f"{construct_id}Zone", hosted_zone_id=config.dns.zone_id, zone_name=config.dns.zone_name)
        shared.add_dns_records(zone)
    if config.privatelink is not None:
        from aws_cdk import aws_iam as iam

        link = config.privatelink
        shared.add_endpoint_service(
            allowed_principals=[iam.ArnPrincipal(p) for p in link.allowed_principals],
            acceptance_required=link.acceptance_required,
            # Unset stays unset: the construct then refuses what the config refuses (docs/reach.md).
            enforce_inbound_rules=link.enforce_inbound_rules if "enforce_inbound_rules" in link.model_fields_set else None,
        )
    if config.alarms is not None:
        from aws_cdk import aws_sns as sns

        topic = sns.Topic.from_topic_arn(scope, f"{construct_id}AlarmTopic", config.alarms.topic_arn)
        shared.add_alarms(topic, alarm_name_prefix=config.stack_name, evaluation_periods=config.alarms.evaluation_periods)


def _client(client: Client) -> Described:
    if client.security_group:
        peer = ec2.Peer.security_group_id(client.security_group)
    elif client.prefix_list:
        peer = ec2.Peer.prefix_list(client.prefix_list)
    elif ":" in (client.cidr or ""):
        peer = ec2.Peer.ipv6(client.cidr)
    else:
        peer = ec2.Peer.ipv4(client.cidr)
    return Described(peer, client.description or client.source)


def _health_check(check: HealthCheck) -> elbv2.HealthCheck:
    seconds = lambda value: None if value is None else Duration.seconds(value)  # noqa: E731
    return elbv2.HealthCheck(
        enabled=True,
        protocol=elbv2.Protocol[check.protocol],
        port=str(check.port),
        path=check.path or ("/" if check.protocol != "TCP" else None),
        interval=seconds(check.interval_seconds),
        timeout=seconds(check.timeout_seconds),
        healthy_threshold_count=check.healthy_threshold,
        unhealthy_threshold_count=check.unhealthy_threshold,
        healthy_http_codes=check.success_codes,
    )


def _target_group_health(health: TargetGroupHealth | None) -> elbv2.TargetGroupHealth | None:
    if health is None:
        return None
    off = lambda value: None if value is None else 0 if value == "off" else value  # noqa: E731  (the L2's 0 is "off")
    return elbv2.TargetGroupHealth(
        dns_minimum_healthy_target_count=off(health.minimum_healthy_targets),
        dns_minimum_healthy_target_percentage=off(health.minimum_healthy_targets_percentage),
    )


def _deployed(config: Config, service: Service) -> DeployedTargetGroup | None:
    """The service's live target group as the state file records it (`Config.target_groups`): kept
    live, under its logical ID, while a replacement is staged beside it."""
    live, staged = config.target_groups(service)
    if staged is None:
        return DeployedTargetGroup(port=live.port, protocol=quic.from_name(live.protocol), construct_id=live.logical_id)
    check = live.health_check
    health = _health_check(HealthCheck(protocol=check.protocol, port=check.port, path=check.path)) if not check.default else None
    return DeployedTargetGroup(port=live.port, protocol=quic.from_name(live.protocol), construct_id=live.logical_id, health_check=health)


def _add(shared: Any, config: Config, service: Service) -> None:
    tls = service.protocol == "TLS"
    handle = shared.add_service(
        service.name,
        namespace=service.namespace,
        service=service.k8s_service,
        service_port=service.service_port,
        target_port=service.pod_port,
        listener_port=service.listener_port,
        protocol=quic.from_name(service.protocol),
        health_check=_health_check(service.health_check),
        clients=None if service.clients is None else [_client(c) for c in service.clients],
        certificates=[elbv2.ListenerCertificate.from_arn(service.certificate_arn)] if tls else (),
        ssl_policy=(service.ssl_policy or TLS_DEFAULT_POLICY) if tls else None,
        alpn_policy=_ALPN[service.alpn_policy] if service.alpn_policy else None,
        deregistration_delay=None if service.deregistration_delay_seconds is None else Duration.seconds(service.deregistration_delay_seconds),
        preserve_client_ip=service.preserve_client_ip,
        proxy_protocol_v2=service.proxy_protocol_v2,
        target_group_health=_target_group_health(service.target_group_health),
        unhealthy_draining=None if service.unhealthy_draining_seconds is None else Duration.seconds(service.unhealthy_draining_seconds),
        connection_termination=service.connection_termination,
        deployed=_deployed(config, service),
    )
    anywhere = {c.key for c in config.clients_of(service) if c.allow_anywhere}
    for (space, key), rule in handle.ingress_rules.items():
        if key in anywhere:
            reason = f"The config asks for {rule.cidr_ip or rule.cidr_ipv6} explicitly (allow_anywhere: true on an internet-facing NLB)."
            Validations.of(rule).acknowledge(Acknowledgment(id="AwsSolutions::AwsSolutions-EC23", reason=reason))


def _pin_logical_ids(shared: Any, config: Config) -> None:
    """The flat IDs every config-built stack has had since its first deploy: a new logical ID is a
    new resource to CloudFormation (a replaced NLB, listener or target group; a security group rule
    revoked when its old resource is deleted)."""
    if shared.security_group is not None:
        shared.security_group.node.default_child.override_logical_id(naming.SECURITY_GROUP_ID)
    shared.load_balancer.node.default_child.override_logical_id(naming.LOAD_BALANCER_ID)
    for name, handle in shared.services.items():
        # A service's groups are created under their flat IDs already (`_deployed`): the plain
        # `<Service>TargetGroup`, or the ID of the staged group that became live, and beside it a
        # staged replacement's `<Service>TargetGroup<digest>`.
        for group, group_id in ((handle.target_group, handle.target_group_id), (handle.staged_target_group, handle.staged_target_group_id)):
            if group is not None:
                group.node.default_child.override_logical_id(group_id)
        handle.listener.node.default_child.override_logical_id(naming.listener_id(name))
        for (space, key), rule in handle.ingress_rules.items():
            rule.override_logical_id(naming.ingress_rule_id(name, space, key))
    for (space, port, cidr), rule in shared.egress_rules.items():
        rule.override_logical_id(naming.egress_rule_id(space, port, None if cidr == config.network.vpc_cidr else cidr))
    for key, rule in shared.path_mtu_rules.items():
        rule.override_logical_id(naming.path_mtu_rule_id(key))
    for rule in shared.node_ingress_rules.values():  # their construct IDs are the flat names already
        rule.override_logical_id(rule.node.id)
    # Records and alarms: their construct IDs are already the flat names (naming.dns_record_id, alarm_id).
    for reached in [r for records in shared.dns_records.values() for r in records] + list(shared.alarms.values()):
        reached.node.default_child.override_logical_id(reached.node.id)
    if shared.endpoint_service is not None:
        for child in shared.endpoint_service.node.children:
            if isinstance(child, ec2.CfnVPCEndpointService):
                child.override_logical_id(naming.ENDPOINT_SERVICE_ID)
            elif isinstance(child, ec2.CfnVPCEndpointServicePermissions):
                child.override_logical_id(naming.ENDPOINT_SERVICE_PERMISSIONS_ID)
    for name, role in shared.controller_roles.items():
        role.node.default_child.override_logical_id(naming.controller_role_id(name))


def _outputs(shared: Any, config: Config) -> None:
    def output(key: str, value: str, description: str) -> None:
        export = naming.export_name(config.stack_name, key) if config.stack.export_outputs else None
        CfnOutput(shared, key, value=value, description=description, export_name=export).override_logical_id(key)

    for name, handle in shared.services.items():
        output(
            naming.target_group_output_key(name),
            handle.target_group.target_group_arn,
            f"Target group of {name} ({handle.namespace}/{handle.service}:{handle.service_port})",
        )
        if handle.staged_target_group is not None:  # read by `shared-nlb manifests`: both groups are bound until the switch
            output(
                naming.staged_target_group_output_key(name),
                handle.staged_target_group.target_group_arn,
                f"Staged replacement of the target group of {name}: forwarded with weight 0 until it has healthy targets",
            )
            output(
                naming.target_rules_output_key(name),
                ports.rules_text(handle.target_rules),
                f"Target rules of the live target group of {name} while its replacement is staged",
            )
    if config.dns is not None:
        for name in shared.services:
            output(naming.dns_name_output_key(name), config.dns.record_name(name), f"DNS name of {name} (alias to the shared NLB)")
    if shared.endpoint_service is not None:
        output(naming.ENDPOINT_SERVICE_NAME_OUTPUT, shared.endpoint_service.vpc_endpoint_service_name, "PrivateLink service name: consumers create an interface endpoint to it")
    output(naming.LOAD_BALANCER_ARN_OUTPUT, shared.load_balancer.load_balancer_arn, "ARN of the shared NLB")
    output(naming.LOAD_BALANCER_DNS_OUTPUT, shared.load_balancer.load_balancer_dns_name, "DNS name clients connect to")
    if shared.security_group is not None:
        output(naming.SECURITY_GROUP_OUTPUT, shared.security_group.security_group_id, "Security group of the NLB (source of the bindings' networking.ingress)")
    output(naming.VPC_ID_OUTPUT, config.network.vpc_id, "VPC of the NLB and its target groups")
    for name, role in shared.controller_roles.items():
        output(naming.controller_role_output_key(name), role.role_arn, f"Role the AWS Load Balancer Controller of cluster {name} assumes (the bindings' iamRoleArnToAssume)")
