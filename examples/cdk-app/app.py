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
    EdgeStack(app, "Edge", vpc=network.vpc, ecs_tasks=network.ecs_tasks, env=env)

    # Reaches every taggable resource of both stacks, the NLBs' children included.
    cdk.Tags.of(app).add("team", "platform")
    return app


if __name__ == "__main__":
    build_app().synth()
