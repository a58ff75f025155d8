#!/usr/bin/env python3
import os

import aws_cdk as cdk

from platform_edge.edge_stack import EdgeStack
from platform_edge.network_stack import NetworkStack


def build_app(app: cdk.App | None = None) -> cdk.App:
    app = app or cdk.App()

    # The account and region of the CLI's credentials when `cdk` runs with them; without them the
    # stacks are environment-agnostic, so `cdk synth` works offline.
    env = cdk.Environment(account=os.getenv("CDK_DEFAULT_ACCOUNT"), region=os.getenv("CDK_DEFAULT_REGION"))

    network = NetworkStack(app, "Network", env=env)
    # Termination protection: `cdk destroy` (or any DeleteStack) is refused before anything is
    # deleted. Without it, a destroy deletes every listener and target group first and then stops at
    # the NLBs' deletion protection: every service down and the stack in DELETE_FAILED.
    EdgeStack(app, "Edge", vpc=network.vpc, ecs_tasks=network.ecs_tasks, env=env, termination_protection=True)

    # Reaches every taggable resource of both stacks, the NLBs' children included.
    cdk.Tags.of(app).add("team", "platform")
    return app


if __name__ == "__main__":
    build_app().synth()
