"""Config -> CloudFormation template, in one process, with the same bytes as `cdk synth`."""

from __future__ import annotations

import tempfile
from pathlib import Path

from shared_nlb.config import Config
from shared_nlb.errors import UserError

# Creation stack traces (`aws:cdk:creationStack` metadata in the cloud assembly's manifest, never in
# the template) point at the same few lines of constructs_lib for every resource of a config-built
# stack, so they tell a user nothing, and capturing them is a large share of building a big stack.
# `cdk synth --debug` still records them.
_CONTEXT = {"aws:cdk:disable-creation-stack-traces": True}


def new_app(*, outdir: str | None = None, validation: bool = False, tree_metadata: bool = False):
    """An `App` with shared-nlb's settings, for the command line and for `cdk synth` (app.py).

    `validation` is aws-cdk-lib's built-in CloudFormation validation plugin: off by default because
    the config model already rejects bad input and cfn-lint runs as an explicit step (tests, CI,
    `shared-nlb synth --lint`), while the plugin costs 1.5-2.6 s on every synth. Version reporting
    is off so the template holds no CDK metadata resource and is the same from every CLI version.
    `tree_metadata` (tree.json, the construct tree for consoles) costs ~5 % of a 50-service synth and
    does not change the template: only the CDK CLI's cloud assembly keeps it.
    """
    from shared_nlb import preload

    preload.wait()  # the command line may be loading aws-cdk in a thread
    from aws_cdk import App

    return App(
        outdir=outdir,
        analytics_reporting=False,
        builtin_cloud_formation_validation=validation,
        tree_metadata=tree_metadata,
        context=_CONTEXT,
    )


def build_app(config: Config, *, outdir: str | None = None, validation: bool = False):
    """`new_app` holding the config's stack: (app, stack). A config of one NLB only (a `Unit`'s)."""
    app = new_app(outdir=outdir, validation=validation)
    stacks = add_stacks(app, config)
    assert len(stacks) == 1, "build_app takes a config of one NLB; use template_texts"
    return app, stacks[0]


def add_stacks(app, config: Config) -> list:
    """One `SharedNlbStack` per NLB of the config (`Config.units`), in unit order."""
    from constructs_lib.shared_nlb_stack import SharedNlbStack

    return [SharedNlbStack(app, config=unit.config) for unit in config.units()]


def template_text(config: Config) -> str:
    """The stack's template, byte for byte as `cdk synth` writes it to cdk.out (one NLB's config)."""
    (text,) = template_texts(config).values()
    return text


def template_texts(config: Config) -> dict[str, str]:
    """stack name -> template, for every NLB of the config, all synthesized in one app (one jsii
    session), byte for byte as `cdk synth` writes them to cdk.out."""
    return templates_of([unit.config for unit in config.units()])


def templates_of(configs: list[Config]) -> dict[str, str]:
    """stack name -> template for one-NLB configs (`Unit.config`s), synthesized in one app."""
    from constructs_lib.shared_nlb_stack import SharedNlbStack

    with tempfile.TemporaryDirectory(prefix="shared-nlb-synth-") as outdir:
        app = new_app(outdir=outdir)
        stacks = [SharedNlbStack(app, config=config) for config in configs]
        assembly = synthesize(app)
        return {stack.stack_name: Path(assembly.directory, f"{stack.artifact_id}.template.json").read_text(encoding="utf-8") for stack in stacks}


def synthesize(app):
    """`app.synth()`, with the constructs' validation errors (every one, as aws-cdk collects them)
    raised as a UserError of one line each instead of a jsii traceback."""
    try:
        return app.synth()
    except RuntimeError as error:
        text = str(error)
        if not text.startswith("ValidationFailedWithErrors"):
            raise
        lines = [line.strip() for line in text.splitlines()[1:] if line.strip().startswith("[")]
        raise UserError("\n".join(_one_problem(line) for line in lines) or text) from None


def _one_problem(line: str) -> str:
    """`[stack/SharedNlb] message` -> `stack/SharedNlb: message`."""
    path, _, message = line[1:].partition("] ")
    return f"{path}: {message}"


def template_file_name(config: Config | str) -> str:
    """`<stack>.template.json`, as `cdk synth` names it; takes a one-NLB config or a stack name."""
    return f"{config if isinstance(config, str) else config.stack_name}.template.json"
