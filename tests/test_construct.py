"""`SharedNetworkLoadBalancer` used as a CDK user uses it: typed props, tokens from another stack,
two per stack, tags, `connections`, alarms from the target group's metrics, and cdk-nag findings."""

from __future__ import annotations

import json
import re

import pytest
from aws_cdk import App, Aspects, Duration, IAspect, Stack, Tags, Validations
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk.assertions import Match, Template
from constructs import IConstruct
import jsii

from constructs_lib import Described, SharedNetworkLoadBalancer

SETTINGS = {"analytics_reporting": False, "context": {"aws:cdk:disable-creation-stack-traces": True}}


def network_and_edge(app: App) -> tuple[Stack, ec2.Vpc, ec2.SecurityGroup, Stack]:
    network = Stack(app, "Network")
    vpc = ec2.Vpc(network, "Vpc", max_azs=2, nat_gateways=0)
    tasks = ec2.SecurityGroup(network, "EcsTasks", vpc=vpc, description="ECS tasks")
    edge = Stack(app, "Edge")
    return network, vpc, tasks, edge


@pytest.fixture(scope="session")
def built():
    """An app as a CDK user writes it: a VPC and an ECS security group in one stack, two shared NLBs
    in another, an alarm on a target group, tags on the app."""
    app = App(**SETTINGS)
    network, vpc, tasks, edge = network_and_edge(app)
    shared = SharedNetworkLoadBalancer(edge, "Shared", vpc=vpc, clients=[tasks, ec2.Peer.ipv4("10.20.0.0/16")])
    redis = shared.add_service("redis", namespace="data", service_port=6380, listener_port=6379)
    kafka = shared.add_service("kafka", namespace="kafka", service="kafka-bootstrap", service_port=9092, listener_port=31021, deregistration_delay=Duration.seconds(30))
    other = SharedNetworkLoadBalancer(edge, "Other", vpc=vpc, clients=[Described(tasks, "ECS tasks")], deletion_protection=False)
    other.add_service("redis", namespace="cache", service_port=6379, listener_port=6379)
    shared.connections.allow_from(ec2.Peer.ipv4("10.30.0.0/16"), ec2.Port.tcp(6379), "extra peer")
    alarm = cloudwatch.Alarm(
        edge,
        "RedisNoHealthyTarget",
        metric=redis.target_group.metrics.healthy_host_count(),
        threshold=1,
        evaluation_periods=1,
        comparison_operator=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    )
    Tags.of(app).add("team", "platform")
    return {"app": app, "edge": edge, "shared": shared, "other": other, "redis": redis, "kafka": kafka, "alarm": alarm, "template": Template.from_stack(edge)}


def test_handles_expose_the_l2_objects(built) -> None:
    shared, redis = built["shared"], built["redis"]
    assert isinstance(redis.target_group, elbv2.NetworkTargetGroup)
    assert isinstance(redis.listener, elbv2.NetworkListener)
    assert isinstance(shared.load_balancer, elbv2.NetworkLoadBalancer)
    assert isinstance(shared.security_group, ec2.SecurityGroup)
    assert isinstance(shared.connections, ec2.Connections)
    assert list(shared.services) == ["kafka", "redis"]  # name order, not call order
    assert shared.services["redis"] is redis


def test_two_shared_nlbs_in_one_stack_with_readable_ids(built) -> None:
    template = built["template"]
    template.resource_count_is("AWS::ElasticLoadBalancingV2::LoadBalancer", 2)
    ids = set(template.find_resources("AWS::ElasticLoadBalancingV2::TargetGroup"))
    # CDK's path-based IDs: the construct's ID, then the service's name, then a digest of the path
    assert {re.sub(r"[0-9A-F]{8}$", "", i) for i in ids} == {"SharedKafkaTargetGroup", "SharedRedisTargetGroup", "OtherRedisTargetGroup"}


def test_tokens_from_another_stack_are_referenced_not_refused(built) -> None:
    template = built["template"]
    groups = template.find_resources("AWS::EC2::SecurityGroup")
    vpc_ids = {json.dumps(g["Properties"]["VpcId"]) for g in groups.values()}
    assert all("Fn::ImportValue" in v for v in vpc_ids)
    ingress = template.find_resources("AWS::EC2::SecurityGroupIngress", {"Properties": {"FromPort": 31021}})
    sources = sorted(json.dumps(r["Properties"].get("SourceSecurityGroupId") or r["Properties"].get("CidrIp")) for r in ingress.values())
    assert len(sources) == 2 and "10.20.0.0/16" in sources[0] + sources[1] and any("Fn::ImportValue" in s for s in sources)
    # egress goes to the VPC's CIDR (a token from the network stack), on the target ports only
    egress = template.find_resources("AWS::EC2::SecurityGroupEgress")
    assert sorted((r["Properties"]["FromPort"], r["Properties"]["IpProtocol"]) for r in egress.values()) == [(6379, "tcp"), (6380, "tcp"), (9092, "tcp")]
    assert all("Fn::ImportValue" in json.dumps(r["Properties"]["CidrIp"]) for r in egress.values())


def test_defaults_are_internal_protected_and_least_privilege(built) -> None:
    template = built["template"]
    template.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        {
            "Scheme": "internal",
            "Type": "network",
            "LoadBalancerAttributes": Match.array_with([{"Key": "deletion_protection.enabled", "Value": "true"}, {"Key": "load_balancing.cross_zone.enabled", "Value": "false"}]),
        },
    )
    template.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        {"Port": 9092, "Protocol": "TCP", "TargetType": "ip", "TargetGroupAttributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}]},
    )
    for group in template.find_resources("AWS::EC2::SecurityGroup").values():
        assert group["Properties"]["SecurityGroupEgress"] == [{"CidrIp": "255.255.255.255/32", "Description": "Disallow all traffic", "FromPort": 252, "IpProtocol": "icmp", "ToPort": 86}]


def test_connections_allow_from_adds_a_rule(built) -> None:
    built["template"].has_resource_properties("AWS::EC2::SecurityGroup", {"SecurityGroupIngress": [Match.object_like({"CidrIp": "10.30.0.0/16", "FromPort": 6379, "Description": "extra peer"})]})


def test_described_client_names_its_rules(built) -> None:
    rules = built["template"].find_resources("AWS::EC2::SecurityGroupIngress", {"Properties": {"Description": "redis listener 6379/tcp from ECS tasks"}})
    assert len(rules) == 1


def test_alarm_on_the_target_groups_healthy_host_count(built) -> None:
    built["template"].has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {"MetricName": "HealthyHostCount", "Namespace": "AWS/NetworkELB", "Dimensions": Match.array_with([Match.object_like({"Name": "LoadBalancer"}), Match.object_like({"Name": "TargetGroup"})])},
    )


def test_tags_of_the_app_reach_every_taggable_resource(built) -> None:
    template = built["template"]
    for kind in ("AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancingV2::TargetGroup", "AWS::EC2::SecurityGroup"):
        for resource in template.find_resources(kind).values():
            assert {"Key": "team", "Value": "platform"} in resource["Properties"]["Tags"], kind


def test_aspects_visit_every_child() -> None:
    @jsii.implements(IAspect)
    class Count:
        def __init__(self) -> None:
            self.types: set[str] = set()

        def visit(self, node: IConstruct) -> None:
            resource_type = getattr(node, "cfn_resource_type", None)
            if resource_type:
                self.types.add(resource_type)

    app = App(**SETTINGS)
    _, vpc, tasks, edge = network_and_edge(app)
    shared = SharedNetworkLoadBalancer(edge, "Shared", vpc=vpc, clients=[tasks])
    shared.add_service("redis", service_port=6379, listener_port=6379)
    count = Count()
    Aspects.of(shared).add(count)
    app.synth()
    assert count.types == {
        "AWS::EC2::SecurityGroup",
        "AWS::EC2::SecurityGroupIngress",
        "AWS::EC2::SecurityGroupEgress",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        "AWS::ElasticLoadBalancingV2::Listener",
    }


def test_binding_output_carries_what_the_binding_needs(built) -> None:
    outputs = built["template"].find_outputs("*")
    binding = next(v for k, v in outputs.items() if k.startswith("SharedRedisBinding"))
    text = json.dumps(binding["Value"])
    for fact in ('\\"kind\\":\\"shared-nlb/binding/v1\\"', '\\"namespace\\":\\"data\\"', '\\"servicePort\\":6380', '\\"targetRules\\":[[\\"tcp\\",6380]]'):
        assert fact in text, fact
    assert "SharedRedisTargetGroup" in text  # the ARN, resolved at deploy


def test_reordering_services_gives_the_same_resources() -> None:
    def template(order: list[str]) -> dict:
        app = App(**SETTINGS)
        _, vpc, tasks, edge = network_and_edge(app)
        shared = SharedNetworkLoadBalancer(edge, "Shared", vpc=vpc, clients=[tasks])
        ports = {"a": 1001, "b": 1002, "c": 1003}
        for name in order:
            shared.add_service(name, service_port=ports[name], listener_port=ports[name])
        return Template.from_stack(edge).to_json()

    assert template(["a", "b", "c"]) == template(["c", "a", "b"])
    grown, base = template(["a", "b", "c"]), template(["a", "c"])
    changed = {k for k in grown["Resources"] if grown["Resources"][k] != base["Resources"].get(k)}
    assert changed and all(k.startswith("SharedB") or k.startswith("SharedEgressToTcp1002") for k in changed)
    assert all(grown["Resources"][k] == v for k, v in base["Resources"].items())


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda s: s.add_service("Redis", service_port=1, listener_port=1), "name 'Redis' is not a DNS label"),
        (lambda s: (s.add_service("x-1", service_port=1, listener_port=1), s.add_service("x1", service_port=2, listener_port=2)), "'x1' gives the same logical IDs as service 'x-1' (X1)"),
        (lambda s: s.add_service("redis", service_port="client", listener_port=1), "target_port is required when service_port is a port name ('client')"),
    ],
)
def test_add_service_refuses_bad_arguments_at_once(setup, message: str) -> None:
    app = App(**SETTINGS)
    _, vpc, tasks, edge = network_and_edge(app)
    shared = SharedNetworkLoadBalancer(edge, "Shared", vpc=vpc, clients=[tasks])
    with pytest.raises(ValueError, match=re.escape(message)):
        setup(shared)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"protocol": "UDP"}, "add_service: protocol must be an elbv2.Protocol (TCP, UDP, TCP_UDP, TLS) or 'QUIC' or 'TCP_QUIC', got str 'UDP'"),
        ({"protocol": elbv2.Protocol.HTTP}, "add_service: protocol must be an elbv2.Protocol (TCP, UDP, TCP_UDP, TLS) or 'QUIC' or 'TCP_QUIC', got Protocol.HTTP"),
        ({"listener_port": "6379"}, "add_service: listener_port must be an int, got str '6379'"),
        ({"listener_port": True}, "add_service: listener_port must be an int, got bool True"),
        ({"service_port": 6.5}, "add_service: service_port must be an int or a str, got float 6.5"),
        ({"target_port": "6379"}, "add_service: target_port must be an int, or None, got str '6379'"),
        ({"namespace": None}, "add_service: namespace must be a str, got NoneType None"),
        ({"clients": ["10.0.0.0/8"]}, "add_service: clients must be a list of clients (ec2.IConnectable, ec2.IPeer or Described), or None, got list ['10.0.0.0/8']"),
        ({"health_check": {"port": "80"}}, "add_service: health_check must be an elbv2.HealthCheck, or None, got dict {'port': '80'}"),
        ({"certificates": ["arn:aws:acm:us-east-1:111111111111:certificate/x"]}, "add_service: certificates must be a list of elbv2.IListenerCertificate, got list ['arn:aws:acm:us-east-1:111111111111:certificate/x']"),
        ({"ssl_policy": 12}, "add_service: ssl_policy must be an elbv2.SslPolicy or a str, or None, got int 12"),
        ({"alpn_policy": "HTTP2Only"}, "add_service: alpn_policy must be an elbv2.AlpnPolicy (HTTP1_ONLY, HTTP2_ONLY, HTTP2_OPTIONAL, HTTP2_PREFERRED, NONE), or None, got str 'HTTP2Only'"),
        ({"deregistration_delay": 30}, "add_service: deregistration_delay must be a Duration, or None, got int 30"),
        ({"unhealthy_draining": "5m"}, "add_service: unhealthy_draining must be a Duration, or None, got str '5m'"),
        ({"preserve_client_ip": "yes"}, "add_service: preserve_client_ip must be a bool, or None, got str 'yes'"),
        ({"proxy_protocol_v2": 1}, "add_service: proxy_protocol_v2 must be a bool, or None, got int 1"),
        ({"connection_termination": "true"}, "add_service: connection_termination must be a bool, or None, got str 'true'"),
        ({"target_group_health": {"dns_minimum_healthy_target_count": 2}}, "add_service: target_group_health must be an elbv2.TargetGroupHealth, or None, got dict {'dns_minimum_healthy_target_count': 2}"),
        ({"deployed": (6379, "TCP")}, "add_service: deployed must be a DeployedTargetGroup, or None, got tuple (6379, 'TCP')"),
    ],
)
def test_add_service_refuses_a_wrong_type_at_the_call_naming_the_accepted_ones(arguments: dict, message: str) -> None:
    """As aws-cdk-lib's props refuse a wrong type through jsii: at the call, one line, nothing built
    (on main, `protocol="UDP"` died with AttributeError: 'str' object has no attribute 'value')."""
    app = App(**SETTINGS)
    _, vpc, tasks, edge = network_and_edge(app)
    shared = SharedNetworkLoadBalancer(edge, "Shared", vpc=vpc, clients=[tasks])
    before = len(shared.node.children)
    with pytest.raises(TypeError) as refused:
        shared.add_service("redis", **{"service_port": 6379, "listener_port": 6379, **arguments})
    assert str(refused.value) == message
    assert len(shared.node.children) == before and shared.services == {}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"vpc": "vpc-0a1b2c3d4e5f60718"}, "SharedNetworkLoadBalancer: vpc must be an ec2.IVpc, got str 'vpc-0a1b2c3d4e5f60718'"),
        ({"vpc": "tasks"}, "SharedNetworkLoadBalancer: vpc must be an ec2.IVpc, got SecurityGroup"),
        ({"clients": "tasks"}, "SharedNetworkLoadBalancer: clients must be a list of clients (ec2.IConnectable, ec2.IPeer or Described), got SecurityGroup"),
        ({"clients": ["10.20.0.0/16"]}, "SharedNetworkLoadBalancer: clients must be a list of clients (ec2.IConnectable, ec2.IPeer or Described), got list ['10.20.0.0/16']"),
        ({"vpc_subnets": ["subnet-0aaaaaaaaaaaaaaa1"]}, "SharedNetworkLoadBalancer: vpc_subnets must be an ec2.SubnetSelection, or None, got list ['subnet-0aaaaaaaaaaaaaaa1']"),
        ({"internet_facing": "no"}, "SharedNetworkLoadBalancer: internet_facing must be a bool, got str 'no'"),
        ({"deletion_protection": None}, "SharedNetworkLoadBalancer: deletion_protection must be a bool, got NoneType None"),
        ({"cross_zone_enabled": 1}, "SharedNetworkLoadBalancer: cross_zone_enabled must be a bool, got int 1"),
        ({"access_logs_bucket": "my-nlb-logs"}, "SharedNetworkLoadBalancer: access_logs_bucket must be an s3.IBucket, or None, got str 'my-nlb-logs'"),
        ({"access_logs_prefix": 1}, "SharedNetworkLoadBalancer: access_logs_prefix must be a str, or None, got int 1"),
        ({"target_cidrs": "10.0.0.0/16"}, "SharedNetworkLoadBalancer: target_cidrs must be a list of str, or None, got str '10.0.0.0/16'"),
        ({"load_balancer_name": 7}, "SharedNetworkLoadBalancer: load_balancer_name must be a str, or None, got int 7"),
        ({"ip_address_type": "dualstack"}, "SharedNetworkLoadBalancer: ip_address_type must be an elbv2.IpAddressType (IPV4, DUAL_STACK, DUAL_STACK_WITHOUT_PUBLIC_IPV4), or None, got str 'dualstack'"),
        ({"security_group": "sg-0ec5000000000001a"}, "SharedNetworkLoadBalancer: security_group must be an ec2.ISecurityGroup, or None, got str 'sg-0ec5000000000001a'"),
        ({"security_group_description": None}, "SharedNetworkLoadBalancer: security_group_description must be a str, got NoneType None"),
        ({"path_mtu_discovery": "on"}, "SharedNetworkLoadBalancer: path_mtu_discovery must be a bool, got str 'on'"),
        ({"binding_outputs": 0}, "SharedNetworkLoadBalancer: binding_outputs must be a bool, got int 0"),
        ({"zonal_shift": "true"}, "SharedNetworkLoadBalancer: zonal_shift must be a bool, got str 'true'"),
        ({"client_routing_policy": "any_availability_zone"}, "SharedNetworkLoadBalancer: client_routing_policy must be an elbv2.ClientRoutingPolicy (AVAILABILITY_ZONE_AFFINITY, PARTIAL_AVAILABILITY_ZONE_AFFINITY, ANY_AVAILABILITY_ZONE), or None, got str 'any_availability_zone'"),
        ({"minimum_capacity_units": "5500"}, "SharedNetworkLoadBalancer: minimum_capacity_units must be an int, or None, got str '5500'"),
    ],
)
def test_the_construct_refuses_a_wrong_type_at_the_call_naming_the_accepted_ones(arguments: dict, message: str) -> None:
    app = App(**SETTINGS)
    _, vpc, tasks, edge = network_and_edge(app)
    given = {name: tasks if value == "tasks" else value for name, value in arguments.items()}
    with pytest.raises(TypeError) as refused:
        SharedNetworkLoadBalancer(edge, "Shared", **{"vpc": vpc, "clients": [tasks], **given})
    assert str(refused.value) == message
    assert edge.node.try_find_child("Shared") is None  # nothing built


def test_an_imported_vpc_and_bucket_and_a_certificate_are_taken() -> None:
    """Objects jsii hands back as interface proxies (imports) pass the interface checks."""
    from aws_cdk import aws_s3 as s3

    app = App(**SETTINGS)
    edge = Stack(app, "Edge", env={"account": "111111111111", "region": "us-east-1"})
    vpc = ec2.Vpc.from_vpc_attributes(edge, "Vpc", vpc_id="vpc-0a1b2c3d4e5f60718", vpc_cidr_block="10.0.0.0/16", availability_zones=["us-east-1a"], private_subnet_ids=["subnet-0aaaaaaaaaaaaaaa1"])
    bucket = s3.Bucket.from_bucket_name(edge, "Logs", "my-nlb-logs")
    group = ec2.SecurityGroup.from_security_group_id(edge, "Tasks", "sg-0ec5000000000001a")
    shared = SharedNetworkLoadBalancer(edge, "Shared", vpc=vpc, clients=[group, ec2.Peer.prefix_list("pl-0123456789abcdef0")], access_logs_bucket=bucket)
    certificate = elbv2.ListenerCertificate.from_arn("arn:aws:acm:us-east-1:111111111111:certificate/0f0e0d0c-0b0a-4908-8706-050403020100")
    shared.add_service("gateway", service_port=8443, listener_port=443, protocol=elbv2.Protocol.TLS, certificates=[certificate])
    assert list(shared.services) == ["gateway"]


def test_help_lists_every_public_attribute_with_its_docstring() -> None:
    """`help(SharedNetworkLoadBalancer)` and a handle's `help()` show what aws-cdk-lib's classes
    show for their props: each public attribute and what it is."""
    import pydoc

    from constructs_lib import SharedService

    for cls, names in (
        (SharedNetworkLoadBalancer, ["connections", "load_balancer", "security_group", "vpc", "clients", "target_cidrs", "ip_address_type", "services", "controller_roles", "dns_records", "alarms", "endpoint_service", "egress_rules", "path_mtu_rules"]),
        (SharedService, ["target_group", "staged_target_group", "listener", "ingress_rules", "name", "namespace", "service", "service_port", "target_port", "listener_port", "protocol", "target_rules", "staged_target_rules"]),
    ):
        page = pydoc.render_doc(cls, renderer=pydoc.plaintext)
        for name in names:
            documented = re.search(rf"^ \|  {name}\n \|      (\S.*)$", page, re.MULTILINE)
            assert documented, f"{cls.__name__}.{name} is not listed with a docstring by help()"


def test_validation_lists_every_problem_at_synth() -> None:
    app = App(**SETTINGS)
    _, vpc, tasks, edge = network_and_edge(app)
    shared = SharedNetworkLoadBalancer(edge, "Shared", vpc=vpc, clients=[tasks])
    shared.add_service("dns-tcp", service_port=53, listener_port=53)
    shared.add_service("dns-udp", service_port=53, listener_port=53, protocol=elbv2.Protocol.UDP)
    shared.add_service("big", service_port=70000, target_port=80, listener_port=70000)
    with pytest.raises(RuntimeError) as error:
        app.synth()
    text = str(error.value)
    assert "service 'dns-udp': listener_port 53 is already used by service 'dns-tcp'" in text
    assert "service 'big': listener_port 70000 is out of range; allowed: 1-65535" in text


def test_a_51st_listener_is_refused_and_a_second_construct_takes_it() -> None:
    # ELB quota "Listeners per Network Load Balancer": 50. Past it, the CDK idiom is a second construct.
    app = App(**SETTINGS)
    _, vpc, tasks, edge = network_and_edge(app)
    full = SharedNetworkLoadBalancer(edge, "Full", vpc=vpc, clients=[tasks], binding_outputs=False)
    for port in range(10001, 10051):
        full.add_service(f"s{port}", service_port=port, listener_port=port)
    assert list(full.node.validate()) == []
    full.add_service("s10051", service_port=10051, listener_port=10051)
    assert list(full.node.validate()) == ["51 services: an NLB takes at most 50 listeners (ELB quota 'Listeners per Network Load Balancer')"]
    second = SharedNetworkLoadBalancer(edge, "Second", vpc=vpc, clients=[tasks], binding_outputs=False)
    second.add_service("s10051", service_port=10051, listener_port=10051)
    assert list(second.node.validate()) == []


def test_aws_rules_the_l2_does_not_check_are_construct_validations() -> None:
    app = App(**SETTINGS)
    _, vpc, tasks, edge = network_and_edge(app)
    shared = SharedNetworkLoadBalancer(edge, "Shared", vpc=vpc, clients=[tasks, ec2.Peer.ipv6("fd00::/8")])
    shared.add_service("syslog", service_port=514, listener_port=514, protocol=elbv2.Protocol.UDP, preserve_client_ip=False)
    shared.add_service("dns", service_port=53, listener_port=53, protocol=elbv2.Protocol.TCP_UDP, preserve_client_ip=False)
    shared.add_service("web", service_port=443, listener_port=443, preserve_client_ip=False)  # TCP may turn it off
    shared.add_service("fast", service_port=80, listener_port=80, health_check=elbv2.HealthCheck(interval=Duration.seconds(5)))
    shared.add_service("ok", service_port=81, listener_port=81, health_check=elbv2.HealthCheck(protocol=elbv2.Protocol.HTTP, interval=Duration.seconds(6)))
    dual = SharedNetworkLoadBalancer(edge, "Dual", vpc=vpc, clients=[tasks], ip_address_type=elbv2.IpAddressType.DUAL_STACK)
    dual.add_service("dns", service_port=53, listener_port=53, protocol=elbv2.Protocol.TCP_UDP)
    with pytest.raises(RuntimeError) as error:
        app.synth()
    lines = [line.strip() for line in str(error.value).splitlines() if line.strip().startswith("[")]
    assert sorted(lines) == sorted(
        [
            "[Edge/Shared] service 'syslog': preserve_client_ip false is not allowed for UDP target groups",
            "[Edge/Shared] service 'syslog': client fd00::/8 is IPv6, but the NLB is not dualstack",
            "[Edge/Shared] service 'dns': preserve_client_ip false is not allowed for TCP_UDP target groups",
            "[Edge/Shared] service 'dns': client fd00::/8 is IPv6, but the NLB is not dualstack",
            "[Edge/Shared] service 'web': client fd00::/8 is IPv6, but the NLB is not dualstack",
            "[Edge/Shared] service 'fast': health check interval 5 s is less than its timeout (10 s, the TCP default when unset)",
            "[Edge/Shared] service 'fast': client fd00::/8 is IPv6, but the NLB is not dualstack",
            "[Edge/Shared] service 'ok': client fd00::/8 is IPv6, but the NLB is not dualstack",
            "[Edge/Dual] service 'dns': TCP_UDP on a dualstack NLB needs IPv6 target groups and an IPv6 source NAT prefix, which this construct does not build",
        ]
    )


def test_path_mtu_discovery_opens_only_fragmentation_needed_per_client() -> None:
    app = App(**SETTINGS)
    _, vpc, tasks, edge = network_and_edge(app)
    shared = SharedNetworkLoadBalancer(edge, "Shared", vpc=vpc, clients=[tasks, ec2.Peer.ipv4("10.20.0.0/16")], path_mtu_discovery=True)
    shared.add_service("a", service_port=1, listener_port=1)
    shared.add_service("b", service_port=2, listener_port=2)
    icmp = Template.from_stack(edge).find_resources("AWS::EC2::SecurityGroupIngress", {"Properties": {"IpProtocol": "icmp"}})
    assert sorted((r["Properties"]["FromPort"], r["Properties"]["ToPort"], r["Properties"].get("CidrIp", "sg")) for r in icmp.values()) == [(3, 4, "10.20.0.0/16"), (3, 4, "sg")]


def test_a_token_listener_port_is_not_checked() -> None:
    """Rules on literal values skip tokens (aws-cdk's `Token.isUnresolved` convention): two services
    on one parameter's port pass, the same two on one literal port do not."""
    from aws_cdk import CfnParameter, Token

    app = App(**SETTINGS)
    _, vpc, tasks, edge = network_and_edge(app)
    port = Token.as_number(CfnParameter(edge, "Port", type="Number").value_as_number)
    shared = SharedNetworkLoadBalancer(edge, "Shared", vpc=vpc, clients=[tasks])
    shared.add_service("a", service_port=80, listener_port=port)
    shared.add_service("b", service_port=81, listener_port=port)
    assert list(shared.node.validate()) == []
    listeners = Template.from_stack(edge).find_resources("AWS::ElasticLoadBalancingV2::Listener")
    assert [r["Properties"]["Port"] for r in listeners.values()] == [{"Ref": "Port"}, {"Ref": "Port"}]
    _, vpc, tasks, edge = network_and_edge(App(**SETTINGS))
    literal = SharedNetworkLoadBalancer(edge, "Shared", vpc=vpc, clients=[tasks])
    literal.add_service("a", service_port=80, listener_port=8080)
    literal.add_service("b", service_port=81, listener_port=8080)
    assert list(literal.node.validate()) == ["service 'b': listener_port 8080 is already used by service 'a'"]


def nag_report(make) -> str:
    from cdk_nag import AwsSolutionsChecks

    app = App(**SETTINGS)
    _, vpc, tasks, edge = network_and_edge(app)
    make(edge, vpc, tasks)
    Validations.of(edge).add_plugins(AwsSolutionsChecks())
    try:
        app.synth()
    except Exception as error:  # jsii raises the plugin's report as one error
        return str(error)
    return ""


def test_cdk_nag_flags_an_open_internet_facing_nlb_without_access_logs() -> None:
    def open_to_all(edge, vpc, tasks):
        shared = SharedNetworkLoadBalancer(edge, "Public", vpc=vpc, internet_facing=True, clients=[ec2.Peer.any_ipv4()])
        shared.add_service("web", service_port=443, listener_port=443)

    report = nag_report(open_to_all)
    assert "AwsSolutions-ELB2" in report
    assert "AwsSolutions-EC23" in report


def test_cdk_nag_passes_an_internal_nlb_with_access_logs() -> None:
    def compliant(edge, vpc, tasks):
        from aws_cdk import aws_s3 as s3

        edge_region = Stack(edge.node.scope, "EdgeWithRegion", env={"region": "us-east-1", "account": "111111111111"})
        vpc2 = ec2.Vpc(edge_region, "Vpc", max_azs=2, nat_gateways=0, restrict_default_security_group=False)
        bucket = s3.Bucket.from_bucket_name(edge_region, "Logs", "my-nlb-logs")
        shared = SharedNetworkLoadBalancer(edge_region, "Internal", vpc=vpc2, clients=[ec2.Peer.ipv4("10.20.0.0/16")], access_logs_bucket=bucket)
        shared.add_service("redis", service_port=6379, listener_port=6379)

    report = nag_report(compliant)
    assert "ELB2" not in report and "EC23" not in report


def test_nlb_and_target_group_settings_are_l2_props_and_attributes() -> None:
    """The settings through the construct: the rules kept (no TLS beside the LCU reservation; zonal
    shift without cross-zone takes UDP), every value where AWS reads it."""
    app = App(**SETTINGS)
    _, vpc, tasks, edge = network_and_edge(app)
    shared = SharedNetworkLoadBalancer(
        edge, "Shared", vpc=vpc, clients=[tasks], zonal_shift=True, client_routing_policy=elbv2.ClientRoutingPolicy.PARTIAL_AVAILABILITY_ZONE_AFFINITY, minimum_capacity_units=5500
    )
    shared.add_service(
        "kafka", service_port=9092, listener_port=9092, target_group_health=elbv2.TargetGroupHealth(dns_minimum_healthy_target_count=0, dns_minimum_healthy_target_percentage=25),
        unhealthy_draining=Duration.seconds(360000), connection_termination=False,
    )
    shared.add_service("syslog", service_port=514, listener_port=514, protocol=elbv2.Protocol.UDP, unhealthy_draining=Duration.seconds(0))
    template = Template.from_stack(edge)
    template.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        {
            "MinimumLoadBalancerCapacity": {"CapacityUnits": 5500},
            "LoadBalancerAttributes": Match.array_with([{"Key": "dns_record.client_routing_policy", "Value": "partial_availability_zone_affinity"}, {"Key": "zonal_shift.config.enabled", "Value": "true"}]),
        },
    )
    groups = {re.sub(r"[0-9A-F]{8}$", "", k): v["Properties"].get("TargetGroupAttributes") for k, v in template.find_resources("AWS::ElasticLoadBalancingV2::TargetGroup").items()}
    assert groups["SharedKafkaTargetGroup"] == [
        {"Key": "target_group_health.dns_failover.minimum_healthy_targets.count", "Value": "off"},
        {"Key": "target_group_health.dns_failover.minimum_healthy_targets.percentage", "Value": "25"},
        {"Key": "deregistration_delay.connection_termination.enabled", "Value": "false"},
        {"Key": "target_health_state.unhealthy.connection_termination.enabled", "Value": "false"},
        {"Key": "target_health_state.unhealthy.draining_interval_seconds", "Value": "360000"},
    ]
    assert groups["SharedSyslogTargetGroup"] == [
        {"Key": "target_health_state.unhealthy.connection_termination.enabled", "Value": "false"},
        {"Key": "target_health_state.unhealthy.draining_interval_seconds", "Value": "0"},
    ]


def test_settings_rules_are_construct_validations() -> None:
    app = App(**SETTINGS)
    _, vpc, tasks, edge = network_and_edge(app)
    from aws_cdk import aws_certificatemanager as acm

    reserved = SharedNetworkLoadBalancer(edge, "Reserved", vpc=vpc, clients=[tasks], minimum_capacity_units=5500)
    certificate = elbv2.ListenerCertificate.from_certificate_manager(acm.Certificate.from_certificate_arn(edge, "Cert", "arn:aws:acm:us-east-1:111111111111:certificate/12345678-1234-1234-1234-123456789012"))
    reserved.add_service("gw", service_port=8443, listener_port=443, protocol=elbv2.Protocol.TLS, certificates=[certificate])
    shifted = SharedNetworkLoadBalancer(edge, "Shifted", vpc=vpc, clients=[tasks], zonal_shift=True, cross_zone_enabled=True)
    shifted.add_service("dns", service_port=53, listener_port=53, protocol=elbv2.Protocol.TCP_UDP)
    shifted.add_service("web", service_port=80, listener_port=80, unhealthy_draining=Duration.seconds(360001))
    with pytest.raises(RuntimeError) as error:
        app.synth()
    lines = [line.strip() for line in str(error.value).splitlines() if line.strip().startswith("[")]
    assert sorted(lines) == [
        "[Edge/Reserved] minimum_capacity_units: LCU reservation is not supported on an NLB with TLS listeners (services 'gw')",
        "[Edge/Shifted] service 'dns': TCP_UDP target groups cannot take part in zonal shift with cross-zone load balancing on; use TCP or TLS, or turn off cross_zone_enabled or zonal_shift",
        "[Edge/Shifted] service 'web': unhealthy_draining 360001 seconds is out of range; allowed: 0-360000",
    ]


def test_capacity_units_outside_the_l2s_range_per_zone_are_refused() -> None:
    app = App(**SETTINGS)
    _, vpc, tasks, edge = network_and_edge(app)  # a VPC of two zones: 5500 is 2750 per zone
    with pytest.raises(RuntimeError, match="between 2750 and 45000 per AZ"):
        SharedNetworkLoadBalancer(edge, "Shared", vpc=vpc, clients=[tasks], minimum_capacity_units=5000)
