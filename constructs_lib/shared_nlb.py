"""The shared NLB construct: one NLB, one security group, and per service a target group, a listener
and its security group rules, with the outputs the cluster side needs.

It is built from CloudFormation (L1) resources on purpose: the L2 `NetworkLoadBalancer` adds nothing
this config model does not already decide, and costs several jsii round trips per service (see
README, "Speed"). Every logical ID comes from `shared_nlb.naming`, so the manifests side and the
change set reviewer see the same names, and none depends on a list position.
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, CfnOutput, Stack, Validations
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from constructs import Construct

from shared_nlb import naming
from shared_nlb.config import TLS_DEFAULT_POLICY, Client, Config, Service, egress_rules

# CDK's own trick for a security group with no egress (aws-ec2 security-group.ts MATCH_NO_TRAFFIC):
# CloudFormation adds allow-all egress to a group declared without egress; a rule that matches
# nothing replaces it, and the real egress rules are added as separate resources.
_NO_TRAFFIC_EGRESS = {
    "cidrIp": "255.255.255.255/32",
    "description": "Disallow all traffic",
    "ipProtocol": "icmp",
    "fromPort": 252,
    "toPort": 86,
}


class SharedNetworkLoadBalancer(Construct):
    """One internal NLB with one listener per service, forwarding to empty IP target groups that the
    AWS Load Balancer Controller fills through TargetGroupBindings.

    Use it once per stack: its logical IDs are the stack-wide IDs of `shared_nlb.naming`.
    """

    def __init__(self, scope: Construct, construct_id: str, *, config: Config) -> None:
        super().__init__(scope, construct_id)
        self._config = config
        self._stack_name = config.stack_name
        lb = config.load_balancer

        self.security_group = self._named(
            ec2.CfnSecurityGroup(
                self,
                naming.SECURITY_GROUP_ID,
                group_description=f"shared-nlb {config.name}: listener ingress from clients, egress to targets",
                vpc_id=config.network.vpc_id,
                security_group_egress=[_NO_TRAFFIC_EGRESS],
            ),
            naming.SECURITY_GROUP_ID,
        )
        self.security_group_id = self.security_group.attr_group_id

        self.load_balancer = self._named(
            elbv2.CfnLoadBalancer(
                self,
                naming.LOAD_BALANCER_ID,
                name=config.load_balancer_name,
                type="network",
                scheme=lb.scheme,
                ip_address_type=lb.ip_address_type,
                subnets=list(config.network.subnet_ids),
                security_groups=[self.security_group_id],
                load_balancer_attributes=self._load_balancer_attributes(),
            ),
            naming.LOAD_BALANCER_ID,
        )
        self.load_balancer_arn = self.load_balancer.ref
        if lb.access_logs is None:
            Validations.of(self.load_balancer).acknowledge(
                Acknowledgment(
                    id="AwsSolutions::AwsSolutions-ELB2",
                    reason="Access logs are off because the config names no bucket (load_balancer.access_logs); "
                    "NLB access logs only record TLS listeners. README, 'Access logs', says how to turn them on.",
                )
            )

        for protocol, port in egress_rules(config.services):
            self._egress(protocol, port)
        # Sorted by name: reordering services in the file leaves the template byte-identical.
        for service in sorted(config.services, key=lambda s: s.name):
            self._add_service(service)

        self._output(naming.LOAD_BALANCER_ARN_OUTPUT, self.load_balancer_arn, "ARN of the shared NLB")
        self._output(naming.LOAD_BALANCER_DNS_OUTPUT, self.load_balancer.attr_dns_name, "DNS name clients connect to")
        self._output(
            naming.SECURITY_GROUP_OUTPUT,
            self.security_group_id,
            "Security group of the NLB (source of the bindings' networking.ingress)",
        )
        self._output(naming.VPC_ID_OUTPUT, config.network.vpc_id, "VPC of the NLB and its target groups")

    def _named(self, resource, logical_id: str):
        resource.override_logical_id(logical_id)
        return resource

    def _load_balancer_attributes(self) -> list[dict[str, str]]:
        lb = self._config.load_balancer
        attributes = {
            "deletion_protection.enabled": _flag(lb.deletion_protection),
            "load_balancing.cross_zone.enabled": _flag(lb.cross_zone),
            "access_logs.s3.enabled": _flag(lb.access_logs is not None),
        }
        if lb.access_logs is not None:
            attributes["access_logs.s3.bucket"] = lb.access_logs.bucket
            if lb.access_logs.prefix:
                attributes["access_logs.s3.prefix"] = lb.access_logs.prefix
        return [{"key": k, "value": v} for k, v in sorted(attributes.items())]

    def _egress(self, protocol: str, port: int) -> None:
        rule_id = naming.egress_rule_id(protocol, port)
        self._named(
            ec2.CfnSecurityGroupEgress(
                self,
                rule_id,
                group_id=self.security_group_id,
                ip_protocol=protocol,
                from_port=port,
                to_port=port,
                cidr_ip=self._config.network.vpc_cidr,
                description=f"to targets on {port}/{protocol} inside the VPC",
            ),
            rule_id,
        )

    def _add_service(self, service: Service) -> None:
        target_group = self._named(
            elbv2.CfnTargetGroup(self, naming.target_group_id(service.name), **_target_group_props(service, self._config)),
            naming.target_group_id(service.name),
        )
        listener_props = {
            "load_balancer_arn": self.load_balancer_arn,
            "port": service.listener_port,
            "protocol": service.protocol,
            "default_actions": [{"type": "forward", "targetGroupArn": target_group.ref}],
        }
        if service.protocol == "TLS":
            listener_props["certificates"] = [{"certificateArn": service.certificate_arn}]
            listener_props["ssl_policy"] = service.ssl_policy or TLS_DEFAULT_POLICY
            if service.alpn_policy:
                listener_props["alpn_policy"] = [service.alpn_policy]
        self._named(elbv2.CfnListener(self, naming.listener_id(service.name), **listener_props), naming.listener_id(service.name))

        for client in self._config.clients_of(service):
            for protocol in service.port_spaces:
                self._ingress(service, protocol, client)

        output_key = naming.target_group_output_key(service.name)
        self._output(
            output_key,
            target_group.ref,
            f"Target group of {service.name} ({service.namespace}/{service.k8s_service}:{service.service_port})",
        )

    def _ingress(self, service: Service, protocol: str, client: Client) -> None:
        rule_id = naming.ingress_rule_id(service.name, protocol, client.key)
        source: dict[str, str] = {}
        if client.security_group:
            source["source_security_group_id"] = client.security_group
        elif client.prefix_list:
            source["source_prefix_list_id"] = client.prefix_list
        elif client.cidr and ":" in client.cidr:
            source["cidr_ipv6"] = client.cidr
        else:
            source["cidr_ip"] = client.cidr or ""
        rule = self._named(
            ec2.CfnSecurityGroupIngress(
                self,
                rule_id,
                group_id=self.security_group_id,
                ip_protocol=protocol,
                from_port=service.listener_port,
                to_port=service.listener_port,
                description=f"{service.name} listener {service.listener_port}/{protocol} from {client.description or client.source}",
                **source,
            ),
            rule_id,
        )
        if client.allow_anywhere:
            Validations.of(rule).acknowledge(
                Acknowledgment(
                    id="AwsSolutions::AwsSolutions-EC23",
                    reason=f"The config asks for {client.cidr} explicitly (allow_anywhere: true on an internet-facing NLB).",
                )
            )

    def _output(self, key: str, value: str, description: str) -> None:
        export = naming.export_name(self._stack_name, key) if self._config.stack.export_outputs else None
        CfnOutput(Stack.of(self), key, value=value, description=description, export_name=export)


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _target_group_props(service: Service, config: Config) -> dict:
    """Properties of a service's target group. No `name`: a fixed name blocks the replacement that a
    port, protocol or VPC change requires."""
    check = service.health_check
    props: dict = {
        "target_type": "ip",
        "protocol": service.target_protocol,
        "port": service.pod_port,
        "vpc_id": config.network.vpc_id,
        "health_check_enabled": True,
        "health_check_protocol": check.protocol,
        "health_check_port": str(check.port),
    }
    optional = {
        "health_check_path": check.path or ("/" if check.protocol != "TCP" else None),
        "health_check_interval_seconds": check.interval_seconds,
        "health_check_timeout_seconds": check.timeout_seconds,
        "healthy_threshold_count": check.healthy_threshold,
        "unhealthy_threshold_count": check.unhealthy_threshold,
    }
    props.update({k: v for k, v in optional.items() if v is not None})
    if check.success_codes:
        props["matcher"] = {"httpCode": check.success_codes}
    attributes = {
        "deregistration_delay.timeout_seconds": service.deregistration_delay_seconds,
        "preserve_client_ip.enabled": service.preserve_client_ip,
        "proxy_protocol_v2.enabled": service.proxy_protocol_v2,
    }
    chosen = sorted((k, _flag(v) if isinstance(v, bool) else str(v)) for k, v in attributes.items() if v is not None)
    if chosen:
        props["target_group_attributes"] = [{"key": k, "value": v} for k, v in chosen]
    return props
