"""AWS and Kubernetes limits the config rules enforce, each with where it comes from, and the
protocols a listener may have."""

from __future__ import annotations

from typing import Literal

from shared_nlb.health_checks import DEFAULT_INTERVAL as DEFAULT_HEALTH_CHECK_INTERVAL  # noqa: F401  (re-exported)
from shared_nlb.health_checks import DEFAULT_TIMEOUT as DEFAULT_HEALTH_CHECK_TIMEOUT  # noqa: F401  (re-exported)
from shared_nlb.ports import PORT_SPACES  # noqa: F401  (re-exported: which IP protocols a listener's port occupies)

# --- AWS and Kubernetes limits, each with where it comes from -------------------------------------
MAX_LISTENERS_PER_NLB = 50  # ELB quota "Listeners per Network Load Balancer"
MAX_NLBS_PER_REGION = 50  # ELB quota "Network Load Balancers per Region"
MAX_RULES_PER_SECURITY_GROUP = 60  # VPC quota "Inbound or outbound rules per security group"
MAX_LOAD_BALANCER_NAME = 32  # ELBv2 CreateLoadBalancer Name
MAX_STACK_NAME = 128  # CloudFormation CreateStack StackName
TLS_DEFAULT_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"  # the AWS-recommended TLS 1.3 policy
# LCU reservation of an NLB, per Availability Zone: the reservation is spread evenly over the zones
# ("Request Load balancer Capacity Unit reservation for your Network Load Balancer"); aws-cdk-lib's
# NetworkLoadBalancer refuses a minimumCapacityUnit outside 2,750-45,000 per zone, the ceiling being
# the ELB quota on reserved NLB LCUs per zone.
MIN_CAPACITY_UNITS_PER_ZONE = 2750
MAX_CAPACITY_UNITS_PER_ZONE = 45000
# target_health_state.unhealthy.draining_interval_seconds: 0-360000 (ELB API reference, TargetGroupAttribute).
MAX_UNHEALTHY_DRAINING_SECONDS = 360000
CLIENT_ROUTING_POLICIES = ("availability_zone_affinity", "partial_availability_zone_affinity", "any_availability_zone")

Protocol = Literal["TCP", "UDP", "TCP_UDP", "TLS", "QUIC", "TCP_QUIC"]
# NLB listener protocols ("Listeners for your Network Load Balancers": TCP, TLS, UDP, TCP_UDP, QUIC,
# TCP_QUIC); QUIC's own rules are in shared_nlb.quic.
_PROTOCOLS: tuple[str, ...] = ("TCP", "UDP", "TCP_UDP", "TLS", "QUIC", "TCP_QUIC")
