"""Config -> CloudFormation template, in one process, with the same bytes as `cdk synth`."""

from __future__ import annotations

import tempfile
from pathlib import Path

from shared_nlb.config import Config



def build_app(config: Config, *, outdir: str | None = None, validation: bool = False):
    """An `App` holding the config's stack.

    `validation` is aws-cdk-lib's built-in CloudFormation validation plugin: off by default because
    the config model already rejects bad input and cfn-lint runs as an explicit step (tests, CI,
    `shared-nlb synth --lint`), while the plugin costs 1.5-2.6 s on every synth. Version reporting
    is off so the template holds no CDK metadata resource and is the same from every CLI version.
    """
    from shared_nlb import preload

    preload.wait()  # the command line may be loading aws-cdk in a thread
    from aws_cdk import App

    from constructs_lib.shared_nlb_stack import SharedNlbStack

    # No tree.json: it describes every construct for the console's tree view, and costs ~5 % of a
    # 50-service synth; the template does not depend on it.
    app = App(outdir=outdir, analytics_reporting=False, builtin_cloud_formation_validation=validation, tree_metadata=False)
    stack = SharedNlbStack(app, config=config)
    return app, stack


def template_text(config: Config) -> str:
    """The stack's template, byte for byte as `cdk synth` writes it to cdk.out."""
    with tempfile.TemporaryDirectory(prefix="shared-nlb-synth-") as outdir:
        app, stack = build_app(config, outdir=outdir)
        assembly = app.synth()
        return Path(assembly.directory, f"{stack.artifact_id}.template.json").read_text(encoding="utf-8")


def template_file_name(config: Config) -> str:
    return f"{config.stack_name}.template.json"
