#!/usr/bin/env python3
"""CDK app entry point for `cdk synth` / `cdk diff` / `cdk deploy` (see cdk.json).

The config path comes from `-c config=PATH` (default `shared-nlb.yaml`). A bad config prints one line
per problem and exits 2 before any construct is made.
"""

import sys

from shared_nlb.config import ConfigError, load_config
from shared_nlb.node import use_project_node

use_project_node()  # `cdk synth` runs this file with .venv/bin/python, whatever Node runs the CDK CLI


def main() -> None:
    from shared_nlb.errors import UserError
    from shared_nlb.synth import add_stacks, new_app, synthesize

    app = new_app(tree_metadata=True)
    path = app.node.try_get_context("config") or "shared-nlb.yaml"
    try:
        config = load_config(path)
    except ConfigError as error:
        print(error, file=sys.stderr)
        sys.exit(2)
    add_stacks(app, config)  # one stack per NLB (`load_balancers:` may describe several)
    try:
        synthesize(app)
    except UserError as error:  # the construct's validations: one line each, no jsii traceback
        print(error, file=sys.stderr)
        sys.exit(1)
    from shared_nlb import placement_file

    if written := placement_file.record(config, path):  # as the CDK CLI writes cdk.context.json
        print(f"shared-nlb: wrote {written}: {placement_file.COMMIT_HINT}", file=sys.stderr)


if __name__ == "__main__":
    main()
