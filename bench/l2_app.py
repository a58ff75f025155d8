#!/usr/bin/env python3
"""The benchmark's peer: the infrastructure `shared-nlb synth` builds from the benchmark's N-service
config (bench/run.py, `write_config`), written by hand with aws-cdk-lib's L2 constructs, the way a
CDK user would without shared-nlb.

    python bench/l2_app.py 50 OUTDIR
    python bench/l2_app.py 1000 OUTDIR      # 20 stacks of 50 services, one app

One internal NLB in two imported subnets with its own security group; per service an IP target
group, a TCP listener forwarding to it, an ingress rule from the clients' security group on the
listener port, an egress rule to the VPC's CIDR on the target port, and an output of the target
group's ARN. Past 50 services, one such stack per 50 (an NLB holds at most 50 listeners), as
`shared-nlb synth` of a `load_balancers:` config with `max_listeners: 50` builds one stack per NLB.
The templates have the same resources, by type and count, as `shared-nlb synth` of the same config.
The app has the floor's settings, or with `--cli-settings` the command line's (see `main`).
"""

from __future__ import annotations

import sys

from aws_cdk import App, CfnOutput, Fn, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2

VPC_ID = "vpc-0a1b2c3d4e5f60718"
VPC_CIDR = "10.0.0.0/16"
SUBNET_IDS = ("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2")
CLIENT_SG = "sg-0ec5000000000001a"


# Listeners per NLB (Elastic Load Balancing quotas, "Listeners per Network Load Balancer").
LISTENERS_PER_NLB = 50


def build_all(app: App, count: int) -> list[Stack]:
    """Services 1..`count`, at most `LISTENERS_PER_NLB` to a stack: one stack up to 50 (named as
    always), else `l2-bench<count>-<n>` for n = 1, 2, ..."""
    if count <= LISTENERS_PER_NLB:
        return [build(app, count)]
    return [
        build(app, min(LISTENERS_PER_NLB, count - first + 1), first=first, name=f"l2-bench{count}-{n}")
        for n, first in enumerate(range(1, count + 1, LISTENERS_PER_NLB), 1)
    ]


def build(app: App, count: int, *, first: int = 1, name: str | None = None) -> Stack:
    """One NLB's stack: `count` services numbered from `first`; `name` names the stack and its NLB."""
    name = name or f"l2-bench{count}"
    stack = Stack(app, name, description=f"hand-written L2 app: one NLB, {count} listener(s)")
    vpc = ec2.Vpc.from_vpc_attributes(stack, "Vpc", vpc_id=VPC_ID, vpc_cidr_block=VPC_CIDR, availability_zones=Fn.get_azs())
    subnets = [ec2.Subnet.from_subnet_id(stack, f"Subnet{n}", subnet_id) for n, subnet_id in enumerate(SUBNET_IDS, 1)]
    # Standalone rule resources, as the CLI's template has them (inline rules would fold 100
    # resources into the group's properties).
    security_group = ec2.SecurityGroup(
        stack,
        "SecurityGroup",
        vpc=vpc,
        description=f"{name}: listener ingress from clients, egress to targets",
        allow_all_outbound=False,
        disable_inline_rules=True,
    )
    nlb = elbv2.NetworkLoadBalancer(
        stack,
        "LoadBalancer",
        vpc=vpc,
        vpc_subnets=ec2.SubnetSelection(subnets=subnets),
        internet_facing=False,
        deletion_protection=True,
        cross_zone_enabled=False,
        ip_address_type=elbv2.IpAddressType.IPV4,
        load_balancer_name=name,
        security_groups=[security_group],
    )
    clients = ec2.Peer.security_group_id(CLIENT_SG)
    targets = ec2.Peer.ipv4(VPC_CIDR)
    for i in range(first, first + count):
        name, target_port, listener_port = f"svc-{i:02d}", 8000 + i, 10000 + i
        scope_id = f"Svc{i:02d}"
        target_group = elbv2.NetworkTargetGroup(
            stack,
            f"{scope_id}TargetGroup",
            vpc=vpc,
            port=target_port,
            protocol=elbv2.Protocol.TCP,
            target_type=elbv2.TargetType.IP,
            health_check=elbv2.HealthCheck(enabled=True, protocol=elbv2.Protocol.TCP, port="traffic-port"),
        )
        elbv2.NetworkListener(
            stack,
            f"{scope_id}Listener",
            load_balancer=nlb,
            port=listener_port,
            protocol=elbv2.Protocol.TCP,
            default_target_groups=[target_group],
        )
        security_group.add_ingress_rule(clients, ec2.Port.tcp(listener_port), f"{name} listener {listener_port}/tcp from {CLIENT_SG}")
        security_group.add_egress_rule(targets, ec2.Port.tcp(target_port), f"to targets on {target_port}/tcp in {VPC_CIDR}")
        CfnOutput(stack, f"{scope_id}TargetGroupArn", value=target_group.target_group_arn, description=f"Target group of {name}")
    CfnOutput(stack, "LoadBalancerArn", value=nlb.load_balancer_arn, description="ARN of the NLB")
    CfnOutput(stack, "LoadBalancerDnsName", value=nlb.load_balancer_dns_name, description="DNS name clients connect to")
    CfnOutput(stack, "LoadBalancerSecurityGroupId", value=security_group.security_group_id, description="Security group of the NLB")
    CfnOutput(stack, "VpcId", value=vpc.vpc_id, description="VPC of the NLB and its target groups")
    return stack


def main(argv: list[str]) -> int:
    """`l2_app.py COUNT OUTDIR [--cli-settings]`."""
    count, outdir = int(argv[0]), argv[1]
    settings = {}
    if "--cli-settings" in argv[2:]:
        # The public App settings `shared-nlb synth` adds (shared_nlb/synth.py, new_app): no tree.json,
        # no creation stack traces. With them the ratio compares the constructs' and the config's
        # work alone; without them, what a user's own app pays.
        settings = {"tree_metadata": False, "context": {"aws:cdk:disable-creation-stack-traces": True}}
    # Built-in validation off in both, as the floor and the command line have it (cfn-lint instead).
    app = App(outdir=outdir, analytics_reporting=False, builtin_cloud_formation_validation=False, **settings)
    build_all(app, count)
    app.synth()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
