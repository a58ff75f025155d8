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

Protocol = Literal["TCP", "UDP", "TCP_UDP", "TLS"]
_PROTOCOLS: tuple[str, ...] = ("TCP", "UDP", "TCP_UDP", "TLS")
