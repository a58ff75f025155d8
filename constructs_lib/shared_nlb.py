"""The shared NLB construct: one NLB, one security group, and per service a target group, a listener
and its security group rules, with the outputs the cluster side needs.

Why generic `CfnResource`s and not the typed L1 or L2 classes: every property is already decided by
the config model (constructs_lib/resources.py builds them as plain data), and each jsii round trip
costs about half a millisecond. One call per resource, no attribute reads (references are written as
`Ref` / `Fn::GetAtt` directly) and no import of the large aws_ec2 / aws_elasticloadbalancingv2
modules keep `shared-nlb synth` of 50 services near the floor of an empty CDK app (README, "Speed").
The template is the same as the typed L1 classes would render.
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, CfnOutput, CfnResource, Fn, Stack, Validations
from constructs import Construct

from constructs_lib import resources
from shared_nlb import naming
from shared_nlb.config import Config


class SharedNetworkLoadBalancer(Construct):
    """One internal NLB with one listener per service, forwarding to empty IP target groups that the
    AWS Load Balancer Controller fills through TargetGroupBindings.

    Its resources and outputs are created in the enclosing stack's scope, so their logical IDs are
    exactly those of `shared_nlb.naming` (readable in change sets, shared with the manifests side).
    Use it once per stack.
    """

    def __init__(self, scope: Construct, construct_id: str, *, config: Config) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        self.resources: dict[str, CfnResource] = {}
        for spec in resources.resources(config):
            resource = CfnResource(stack, spec.logical_id, type=spec.type, properties=spec.properties)
            for rule, reason in spec.acknowledge:
                Validations.of(resource).acknowledge(Acknowledgment(id=rule, reason=reason))
            self.resources[spec.logical_id] = resource
        for output in resources.outputs(config):
            export = naming.export_name(config.stack_name, output.key) if config.stack.export_outputs else None
            CfnOutput(stack, output.key, value=_value(output.value), description=output.description, export_name=export)


def _value(value: str | tuple[str, ...]) -> str:
    if isinstance(value, str):
        return value
    if value[0] == "Ref":
        return Fn.ref(value[1])
    return Fn.get_att(value[1], value[2]).to_string()
