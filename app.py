#!/usr/bin/env python3
"""CDK app entry point for `cdk synth` / `cdk diff` / `cdk deploy` (see cdk.json).

The config path comes from `-c config=PATH` (default `shared-nlb.yaml`). The templates are built from
the config and the state file beside it (`<config>.state.yaml`), which this writes as the CDK CLI
writes `cdk.context.json`; without the file, the deployed stacks are read with the environment's AWS
credentials, or, for a first deploy with nothing deployed, `-c first-deploy=true` says so. A bad
config prints one line per problem and exits 2 before any construct is made. With the environment of
`shared-nlb standin`, the config is built with the stand-in's IDs (`shared_nlb.mapped_ids`).
"""

import sys

from shared_nlb.config import ConfigError, load_config
from shared_nlb.node import use_project_node

use_project_node()  # `cdk synth` runs this file with .venv/bin/python, whatever Node runs the CDK CLI


def main() -> None:
    from shared_nlb import mapped_ids
    from shared_nlb.deploy import lookup, record
    from shared_nlb.errors import UserError
    from shared_nlb.synth import add_stacks, new_app, synthesize

    app = new_app(tree_metadata=True)
    path = app.node.try_get_context("config") or "shared-nlb.yaml"
    first_deploy = str(app.node.try_get_context("first-deploy")).lower() == "true"
    try:
        # On the stand-in (`shared-nlb standin`), its IDs in place of the config's; elsewhere the config as it is.
        config = mapped_ids.for_endpoint(load_config(path))
        # No state file beside the config: read back from the deployed stacks, never guessed.
        config = lookup.complete(config, path, first_deploy=first_deploy, first_deploy_flag="-c first-deploy=true")
        add_stacks(app, config)  # one stack per NLB (`load_balancers:` may describe several)
        synthesize(app)
    except ConfigError as error:
        print(error, file=sys.stderr)
        sys.exit(2)
    except UserError as error:  # the construct's validations: one line each, no jsii traceback
        print(error, file=sys.stderr)
        sys.exit(1)
    for line in record.record(config, path):  # as the CDK CLI writes cdk.context.json
        print(f"shared-nlb: {line}", file=sys.stderr)


if __name__ == "__main__":
    main()
