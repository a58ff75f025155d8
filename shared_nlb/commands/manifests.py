"""`shared-nlb manifests [CONFIG] --outputs FILE --out DIR`: the TargetGroupBinding tree of a deploy.

With CONFIG, the config's services and its stack's outputs; without, the binding outputs that
`SharedNetworkLoadBalancer` puts in the stacks of a user's own CDK app (`cdk deploy --outputs-file`).
Everything is rendered and checked before anything is written, then the folder is swapped in whole:
a bad outputs file leaves the previous tree byte-identical, and files of removed services disappear.
`--check` writes nothing and names each file that differs (exit 1), for CI and pre-commit.
`--controller eks-auto-mode` (no CONFIG) writes EKS Auto Mode's bindings for outputs that name no
controller; with CONFIG, each cluster's `controller` decides.
"""

from __future__ import annotations

import argparse

from shared_nlb import atomic
from shared_nlb.commands import config_inputs
from shared_nlb.errors import BadArguments
from shared_nlb.manifests import KUSTOMIZATION, check_replaceable, owner_of, render_specs, render_tree, write_tree


def run(args: argparse.Namespace) -> int:
    if args.controller is not None and args.config is not None:
        raise BadArguments("--controller: is for the binding outputs of your own CDK app (no CONFIG); with a config, set clusters[].controller")
    if not args.check:
        atomic.refuse_inputs("--out", args.out, {**config_inputs(args.config), "the outputs file": args.outputs}, tree=True)
    if args.config is None:
        from shared_nlb.binding_outputs import read_binding_outputs

        specs = read_binding_outputs(args.outputs, args.controller)
        owner: object = owner_of(specs)
        if not args.check:  # --check writes nothing, so any folder may be compared
            check_replaceable(args.out, owner)  # before rendering starts jsii; checked again at the swap
        files = render_specs(specs)
    else:
        from shared_nlb.config import load_config

        from shared_nlb import mapped_ids

        owner = config = mapped_ids.for_endpoint(load_config(args.config))  # the stand-in's outputs hold its IDs
        if not args.check:
            check_replaceable(args.out, config)
        files = render_tree(config, args.outputs)
    if args.check:
        from shared_nlb.check import check

        print(check(args.out, files, whole_folder=True))
        return 0
    write_tree(args.out, files, owner)
    trees = sorted(path.rpartition("/")[0] for path in files if path.rpartition("/")[2] == KUSTOMIZATION)
    bindings = len(files) - len(trees)  # every file but a kustomization.yaml is one binding
    if trees == [""]:
        print(f"wrote {args.out}/ ({bindings} TargetGroupBinding(s) + kustomization.yaml)")
    else:  # `clusters:`: one tree per cluster
        print(f"wrote {args.out}/ ({len(trees)} cluster trees: {', '.join(trees)}; {bindings // len(trees)} TargetGroupBinding(s) + kustomization.yaml each)")
    return 0
