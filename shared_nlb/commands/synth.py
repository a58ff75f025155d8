"""`shared-nlb synth CONFIG --out DIR`: the templates `cdk synth` would write, one per stack (one per
NLB of the config), each written atomically once all are rendered."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from shared_nlb import atomic, mapped_ids
from shared_nlb.config import load_config
from shared_nlb.commands import config_inputs
from shared_nlb.errors import BadArguments, UserError


def run(args: argparse.Namespace) -> int:
    if args.manifests_out and not args.outputs:
        raise BadArguments("--manifests-out needs --outputs FILE")
    inputs = {**config_inputs(args.config), "the outputs file": args.outputs}
    if not args.check:
        if args.outputs:
            atomic.refuse_inputs("--manifests-out", args.manifests_out or "manifests", inputs, tree=True)
    config = mapped_ids.for_endpoint(load_config(args.config), endpoint_url=args.endpoint_url, region=args.region)  # the stand-in's IDs, on the stand-in only
    bindings = None
    manifests_out = args.manifests_out or "manifests"
    if args.outputs:
        # Read the outputs before writing anything: a bad outputs file must leave every output as it was.
        from shared_nlb.manifests import check_replaceable, render_tree

        if not args.check:  # --check writes nothing, so any folder may be compared
            check_replaceable(manifests_out, config)
        bindings = render_tree(config, args.outputs)

    from shared_nlb.deploy import lookup
    from shared_nlb.synth import template_file_name, template_texts

    config = lookup.complete(config, args.config, first_deploy=args.first_deploy, first_deploy_flag="--first-deploy", endpoint_url=args.endpoint_url, region=args.region)

    templates = {template_file_name(stack): text for stack, text in template_texts(config).items()}
    if args.lint:
        from shared_nlb.lint import lint_template

        problems = [line for name, text in templates.items() for line in lint_template(text, name=str(Path(args.out) / name))]
        if problems:
            for line in problems:
                print(line, file=sys.stderr)
            raise UserError(f"cfn-lint found {len(problems)} problem(s); nothing written")
    if args.check:
        from shared_nlb.check import check_all

        checks = [(args.out, templates, False)] + ([(manifests_out, bindings, True)] if bindings is not None else [])
        for line in check_all(checks):
            print(line)
        return 0
    for name in templates:
        atomic.refuse_inputs("--out", Path(args.out) / name, inputs)
    for name, text in templates.items():  # each file swapped in whole; all rendered before the first is written
        atomic.write_file(Path(args.out) / name, text)
        print(f"wrote {Path(args.out) / name}")
    from shared_nlb.deploy import record

    for line in record.record(config, args.config):  # as cdk.context.json: what the templates were built from
        print(line)
    if bindings is not None:
        from shared_nlb.manifests import write_tree

        write_tree(manifests_out, bindings, config)
        print(f"wrote {manifests_out}/ ({len(bindings)} file(s))")
    return 0
