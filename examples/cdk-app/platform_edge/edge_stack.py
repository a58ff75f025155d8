from aws_cdk import Duration, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_route53_targets as route53_targets
from constructs import Construct

from constructs_lib import Described, SharedNetworkLoadBalancer

# Clients outside this app (a peered VPC, say): CIDR peers are fine where there is no security group.
PEERED_VPC = ec2.Peer.ipv4("10.20.0.0/16")


class EdgeStack(Stack):
    """Two shared NLBs in front of the cluster's services, a DNS name and an alarm.

    `vpc` and `ecs_tasks` come from the network stack: CDK turns them into exports and imports.
    """

    def __init__(self, scope: Construct, construct_id: str, *, vpc: ec2.IVpc, ecs_tasks: ec2.ISecurityGroup, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        # One NLB per domain, each shared by its services (one listener per port). The construct IDs
        # ("Data", "Observability") and service names make the logical IDs: adding or removing a
        # service touches only that service's resources.
        data = SharedNetworkLoadBalancer(self, "Data", vpc=vpc, clients=[Described(ecs_tasks, "ECS tasks"), PEERED_VPC])
        redis = data.add_service("redis", namespace="data", service_port=6380, listener_port=6379)
        data.add_service("kafka", namespace="data", service="kafka-bootstrap", service_port=9092, listener_port=31021)

        observability = SharedNetworkLoadBalancer(self, "Observability", vpc=vpc, clients=[ecs_tasks, PEERED_VPC])
        observability.add_service(
            "openobserve",
            namespace="observability",
            service_port=5080,
            listener_port=5080,
            # A TCP check only proves the port is open; /healthz proves the server answers.
            health_check=elbv2.HealthCheck(protocol=elbv2.Protocol.HTTP, path="/healthz"),
        )

        # No healthy Redis pod behind the NLB. Minimum over one minute: a single empty minute counts.
        cloudwatch.Alarm(
            self,
            "RedisNoHealthyTarget",
            alarm_description="No healthy Redis target behind the Data NLB",
            metric=redis.target_group.metrics.healthy_host_count(statistic=cloudwatch.Stats.MINIMUM, period=Duration.minutes(1)),
            threshold=1,
            comparison_operator=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
            evaluation_periods=1,
            # Missing data is not health: before the TargetGroupBinding registers any pod there may
            # be no data point at all, and this alarm should fire then rather than stay quiet.
            treat_missing_data=cloudwatch.TreatMissingData.BREACHING,
        )

        # Clients connect by name, not by the NLB's generated DNS name. The zone is private: these
        # services are internal, so only the VPC resolves it.
        zone = route53.PrivateHostedZone(self, "InternalZone", zone_name="internal.example.com", vpc=vpc)
        route53.ARecord(
            self,
            "RedisRecord",
            zone=zone,
            record_name="redis",
            target=route53.RecordTarget.from_alias(route53_targets.LoadBalancerTarget(data.load_balancer)),
        )
