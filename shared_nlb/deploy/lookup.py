"""A lost state file, CDK's way: synthesis outside `plan` and `deploy` (`shared-nlb synth`, and
`cdk synth/diff/deploy` through app.py) that finds no complete state file beside the config reads
the deployed stacks once with the caller's AWS credentials, as `Vpc.from_lookup` reads the account
and `cdk.context.json` keeps what it found, and the caller records the result. It never places a
service in config order while stacks may be deployed: without credentials it stops with one line
saying how to get the file back, unless the user says that nothing is deployed yet.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from shared_nlb.config import Config
from shared_nlb.config import state as states
from shared_nlb.errors import UserError

if TYPE_CHECKING:  # imported where the stacks are read: app.py with a complete state file never loads boto3
    from shared_nlb.changeset import CloudFormation


def complete(config: Config, config_path: str | Path, *, first_deploy: bool, first_deploy_flag: str, endpoint_url: str | None = None, region: str | None = None) -> Config:
    """`config` with a complete state: its own, or (no file, a placement-only version 1 file, or a file
    changed by hand) the deployed stacks' read over what the file has, or, with `first_deploy`,
    nothing deployed. What is deployed always wins: a hand-edited file never moves a deployed service."""
    if config.state.complete:
        return config
    if first_deploy:  # nothing deployed: what the file says (if anything) is all there is
        return config.with_state(states.State(config.state.services, nlbs=config.state.nlbs))
    from shared_nlb.changeset import ENDPOINT_DEFAULT_REGION, CloudFormation
    from shared_nlb.deploy import read_deployed

    endpoint_url = endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None
    try:
        aws = CloudFormation(endpoint_url=endpoint_url, region=region or config.stack.region or (ENDPOINT_DEFAULT_REGION if endpoint_url else None))
        _same_account(aws, config)
        deployed = read_deployed.read(aws, config)
    except UserError as error:
        reason = " ".join(str(error).split())
        path = states.path_beside(config_path)
        if config.state.edited:
            raise UserError(
                f"{config_path}: the state file {path} was changed by hand (its digest does not match), and the deployed stacks cannot be read to check it "
                f"({reason}); run with the AWS credentials of the stacks' account (or `shared-nlb plan`, which reads them), or restore the file from version control"
            ) from None
        raise UserError(
            f"{config_path}: no state file {path} to build the templates from, and the deployed stacks cannot be read ({reason}); "
            f"restore the file from version control (it is committed beside the config), or run with the AWS credentials of the stacks' account "
            f"so that it is read back from them; for a first deploy, with nothing deployed yet, pass {first_deploy_flag}"
        ) from None
    return config.with_state(states.State({**config.state.services, **deployed.services}, nlbs=tuple(sorted(set(config.state.nlbs) | set(deployed.nlbs)))))


def _same_account(aws: CloudFormation, config: Config) -> None:
    """Reading the wrong account finds no stacks and would place every service anew: the credentials'
    account must be the config's (`stack.account`) and the CDK CLI's (`CDK_DEFAULT_ACCOUNT`, which it
    sets from its own credentials, `--profile` included), where those are known."""
    wanted = {account for account in (config.stack.account, os.environ.get("CDK_DEFAULT_ACCOUNT")) if account}
    if not wanted:
        return
    sts = aws.client("sts")
    account = aws.call("read the credentials' account", sts.get_caller_identity)["Account"]
    if account not in wanted:
        raise UserError(f"the AWS credentials are of account {account}, not {' or '.join(sorted(wanted))}")
