"""The stack that holds one config file's shared NLB, as `cdk synth` and `shared-nlb synth` build it."""

from __future__ import annotations

from aws_cdk import Environment, Stack, Tags
from constructs import Construct

from constructs_lib.shared_nlb import SharedNetworkLoadBalancer
from shared_nlb.config import Config


class SharedNlbStack(Stack):
    """A CloudFormation stack named after the config, with the shared NLB and its outputs.

    Environment-agnostic unless the config names an account or region; the VPC is imported by ID,
    so synthesis never looks anything up and works offline. Termination protection is
    `stack.termination_protection` (default on), the same setting `shared-nlb deploy` gives the stack:
    it is not in the template but in the cloud assembly's manifest, from which `cdk deploy` sets it
    on the stack (UpdateTerminationProtection), so `cdk destroy` is refused before anything is deleted.
    """

    def __init__(self, scope: Construct, *, config: Config) -> None:
        env = None
        if config.stack.account or config.stack.region:
            env = Environment(account=config.stack.account, region=config.stack.region)
        super().__init__(
            scope,
            config.stack_name,
            env=env,
            description=f"shared-nlb {config.name}: one NLB, {len(config.services)} listener(s), managed by shared-nlb",
            termination_protection=config.stack.termination_protection,
        )
        self.shared_nlb = SharedNetworkLoadBalancer.from_config(self, "SharedNlb", config)
        for key, value in sorted(config.stack.tags.items()):
            Tags.of(self).add(key, value)
