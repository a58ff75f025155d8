"""The running stand-in: moto's threaded server in this process, patched, seeded and bootstrapped.

`running()` applies `patches` before the server handles a request (the fixes replace methods on
moto's classes, so the server must run in this process), seeds moto's random source so that two runs
give the same IDs, and leaves what `cdk bootstrap` would (`seed_bootstrap`): the `CDKToolkit` stack,
created through CloudFormation from the CDK CLI's own template. moto is imported only when the server
starts, so importing this module does not need moto.
"""

from __future__ import annotations

import functools
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from shared_nlb.changeset import ENDPOINT_DEFAULT_REGION
from shared_nlb.errors import UserError
from shared_nlb.standin import patches


# The region `deploy --endpoint-url` assumes when none is given, so the two meet without --region.
REGION = ENDPOINT_DEFAULT_REGION
ACCOUNT = "123456789012"  # moto's default account
# The CDK template's `BootstrapVersion` parameter is read from this SSM parameter (TOOLCHAIN gap 2);
# the template's rule asks for version 6 or later.
BOOTSTRAP_PARAMETER = "/cdk-bootstrap/hnb659fds/version"
# The CDK CLI's bootstrap template, vendored (shared_nlb/data/SOURCE.md), and the version it sets
# that parameter to (its `CdkBootstrapVersion` resource; tests/test_standin.py checks they agree).
BOOTSTRAP_TEMPLATE = "cdk-bootstrap-template.yaml"
BOOTSTRAP_VERSION = "33"
# The stack `cdk bootstrap` deploys that template as (the CLI's default `--toolkit-stack-name`).
TOOLKIT_STACK = "CDKToolkit"
# The parameters a first `cdk bootstrap` without options passes; the others keep the template's
# defaults (aws-cdk-cli, toolkit-lib's bootstrap-environment.ts, `modernBootstrap`). The same values
# make a later `cdk bootstrap` find nothing to change.
TOOLKIT_PARAMETERS = {
    "FileAssetsBucketKmsKeyId": "AWS_MANAGED_KEY",
    "TrustedAccounts": "",
    "TrustedAccountsForLookup": "",
    "CloudFormationExecutionPolicies": "",
    "PublicAccessBlockConfiguration": "true",
}
# What the CLI acknowledges for it: the template creates named IAM roles (its `deployStack` passes
# these three on every deploy).
TOOLKIT_CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]
# moto's IDs and ARNs come from one random source; seeding it makes a demo run give the same IDs as
# the last one, so its outputs and manifests are byte-identical between runs.
SEED = 20261123


@dataclass(frozen=True)
class StandIn:
    """A running stand-in: where it listens and a boto3 session with its (fake) credentials."""

    endpoint_url: str
    region: str

    def session(self):
        return _session(self.region)

    def client(self, service: str):
        return self.session().client(service, endpoint_url=self.endpoint_url)


@functools.lru_cache(maxsize=None)
def _session(region: str):
    """One boto3 Session per region for every stand-in of the process: a new Session loads botocore's
    service models again for each client it makes, and the stand-in's credentials never change."""
    import boto3

    return boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region)


@contextmanager
def running(*, region: str = REGION, seed: int | None = SEED, port: int = 0) -> Iterator[StandIn]:
    """Start moto on 127.0.0.1:`port` (0: a free port) in this process, patched and seeded with the
    CDK bootstrap version; stop it on exit. A port already taken is a `UserError`."""
    from moto.moto_api._internal import mock_random
    from moto.server import ThreadedMotoServer

    if port:
        _check_free(port)
    patches.apply_patches()
    quiet()
    if seed is not None:
        mock_random.seed(seed)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        standin = StandIn(endpoint_url=f"http://{host}:{port}", region=region)
        seed_bootstrap(standin)
        yield standin
    finally:
        server.stop()


def _check_free(port: int) -> None:
    """ThreadedMotoServer binds in its own thread and, when the bind fails, `start()` waits for it
    forever: try the bind here first, as its server would (address reuse on, so a port left in
    TIME_WAIT by a stopped stand-in counts as free)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as error:
            raise UserError(f"cannot listen on 127.0.0.1:{port}: {error.strerror or error}") from None


def quiet() -> None:
    """Silence what the stand-in prints for every request and for resource types it does not model:
    noise next to the demo's own lines."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    logging.getLogger("moto").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message=r"Tried to parse AWS::", category=UserWarning)
    warnings.filterwarnings("ignore", message=r"Unable to delete .* as it was never created", category=UserWarning)


def seed_bootstrap(standin: StandIn) -> None:
    """What `cdk bootstrap` leaves in a real account and a deploy uses: the `CDKToolkit` stack, created
    through CloudFormation from the CDK CLI's own template with the parameters a first `cdk bootstrap`
    passes. It holds the SSM parameter the CDK `BootstrapVersion` parameter resolves from (gap 2),
    the asset bucket that takes templates too large for a change set's TemplateBody, and the roles
    and repository of a bootstrapped environment; a later `cdk bootstrap` finds nothing to change.
    A region bootstrapped already is left as it is (moto keeps one state per process, shared by every
    stand-in it runs)."""
    from importlib import resources

    from botocore.exceptions import ClientError

    cloudformation = standin.client("cloudformation")
    try:
        cloudformation.describe_stacks(StackName=TOOLKIT_STACK)
        return
    except ClientError as error:
        if "does not exist" not in str(error):
            raise
    body = resources.files("shared_nlb").joinpath("data", BOOTSTRAP_TEMPLATE).read_text(encoding="utf-8")
    cloudformation.create_stack(
        StackName=TOOLKIT_STACK,
        TemplateBody=body,
        Parameters=[{"ParameterKey": key, "ParameterValue": value} for key, value in TOOLKIT_PARAMETERS.items()],
        Capabilities=TOOLKIT_CAPABILITIES,
    )

