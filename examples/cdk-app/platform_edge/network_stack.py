from aws_cdk import Stack
from aws_cdk import aws_ec2 as ec2
from constructs import Construct


class NetworkStack(Stack):
    """The VPC and the ECS tasks' security group: what the edge stack receives as cross-stack tokens."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        # No NAT gateways: each is billed by the hour and internal NLBs need none. CDK then makes
        # public and isolated subnets; the NLBs go in the isolated ones.
        self.vpc = ec2.Vpc(self, "Vpc", max_azs=2, nat_gateways=0)

        self.ecs_tasks = ec2.SecurityGroup(
            self,
            "EcsTasks",
            vpc=self.vpc,
            description="ECS tasks that call the in-cluster services",
        )
