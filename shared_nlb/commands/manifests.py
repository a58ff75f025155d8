"""`shared-nlb manifests CONFIG --outputs FILE --out DIR`: the TargetGroupBinding tree of a deploy.

Everything is rendered and checked before anything is written, then the folder is swapped in whole:
a bad outputs file leaves the previous tree byte-identical, and files of removed services disappear.
"""

from __future__ import annotations

import argparse

from shared_nlb.config import load_config
from shared_nlb.manifests import check_replaceable, render_tree, write_tree


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    check_replaceable(args.out, config)  # before rendering starts jsii; checked again at the swap
    files = render_tree(config, args.outputs)
    write_tree(args.out, files, config)
    bindings = len(files) - 1  # every file but kustomization.yaml is one binding
    print(f"wrote {args.out}/ ({bindings} TargetGroupBinding(s) + kustomization.yaml)")
    return 0
