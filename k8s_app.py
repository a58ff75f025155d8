#!/usr/bin/env python3
"""cdk8s app entry point for `cdk8s synth` (see cdk8s.yaml): the TargetGroupBinding tree.

Inputs come from the environment, since `cdk8s synth` passes no arguments to the app:
`SHARED_NLB_CONFIG` (default `shared-nlb.yaml`) and `SHARED_NLB_OUTPUTS` (the `cdk deploy
--outputs-file` JSON, default `outputs.json`). The output folder is `CDK8S_OUTDIR`, which `cdk8s synth`
sets (`dist`, or `--output DIR`).

It writes the very tree `shared-nlb manifests` writes, `<namespace>/<service>.yaml` plus
`kustomization.yaml`, through the same code (same chart, same bytes), rather than cdk8s's own
`App.synth()`: that one names files after charts (`dist/<chart>.k8s.yaml`) and cannot lay out one
folder per namespace, and a GitOps repo should not depend on which of the two commands made the tree.
A bad config prints one line per problem and exits 2; bad outputs exit 1; nothing is written then.
"""

import os
import sys

from shared_nlb.config import ConfigError, load_config
from shared_nlb.errors import UserError
from shared_nlb.node import use_project_node

use_project_node()  # `cdk8s synth` runs this file with .venv/bin/python, whatever Node runs the cdk8s CLI


def main() -> int:
    from shared_nlb.manifests import check_replaceable, render_tree, write_tree

    config_path = os.environ.get("SHARED_NLB_CONFIG", "shared-nlb.yaml")
    outputs_path = os.environ.get("SHARED_NLB_OUTPUTS", "outputs.json")
    outdir = os.environ.get("CDK8S_OUTDIR", "dist")
    try:
        config = load_config(config_path)
        check_replaceable(outdir, config)  # before rendering starts jsii; checked again at the swap
        write_tree(outdir, render_tree(config, outputs_path), config)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    except UserError as error:
        print(f"k8s_app.py: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
