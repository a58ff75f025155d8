"""shared-nlb's AWS CDK construct library: `SharedNetworkLoadBalancer` and its service handles."""

from constructs_lib.clients import Described
from constructs_lib.service import DeployedTargetGroup, SharedService
from constructs_lib.shared_nlb import SharedNetworkLoadBalancer

__all__ = ["DeployedTargetGroup", "Described", "SharedNetworkLoadBalancer", "SharedService"]
