"""The running stand-in: moto's threaded server in this process, patched, seeded and bootstrapped.

`running()` applies `patches` before the server handles a request (the fixes replace methods on
moto's classes, so the server must run in this process), seeds moto's random source so that two runs
give the same IDs, and leaves what `cdk bootstrap` would (`seed_bootstrap`): the `CDKToolkit` stack,
created through CloudFormation from the CDK CLI's own template. moto is imported only when the server
starts, so importing this module does not need moto.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import re
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

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
def running(*, region: str = REGION, seed: int | None = SEED, port: int = 0, every_region: bool = True) -> Iterator[StandIn]:
    """Start moto on 127.0.0.1:`port` (0: a free port) in this process, patched, seeded (the
    process's first stand-in: `_seed_once`) and bootstrapped in `region`; stop it on exit. A port
    already taken is a `UserError`.

    With `every_region` (the default) every other region is bootstrapped too, on its first request
    (`_EveryRegion`): a config or app in another region than the stand-in's deploys as in an account
    bootstrapped there. Without it, only `region` is, as after one `cdk bootstrap`."""
    from moto.moto_api._internal import mock_random
    from moto.server import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server

    if port:
        _check_free(port)
    patches.apply_patches()
    quiet()
    from shared_nlb.standin.id_map import IdMap

    app = DomainDispatcherApplication(create_backend_app)
    regions = _EveryRegion(app) if every_region else None
    ids = IdMap(regions or app)
    # What moto.server's own entry point serves (its app and request handler), with the regions'
    # bootstrap and the ID map in front; threaded, since both call back into the server.
    try:
        # werkzeug prints a failed bind in two lines of its own and exits: one line of ours instead
        with contextlib.redirect_stderr(io.StringIO()):
            server = make_server("127.0.0.1", port, ids, threaded=True, request_handler=MotoRequestHandler)
    except SystemExit:  # a second stand-in took the port between the check above and this bind
        raise UserError(f"cannot listen on 127.0.0.1:{port}: Address already in use") from None
    _seed_once(seed, mock_random)
    thread = threading.Thread(target=server.serve_forever, name="shared-nlb stand-in", daemon=True)
    thread.start()
    try:
        standin = StandIn(endpoint_url=f"http://127.0.0.1:{server.server_port}", region=region)
        seed_bootstrap(standin)
        known = _known_regions(standin)
        if regions is not None:
            regions.serve(standin, known)
        ids.serve(standin.endpoint_url, known)
        yield standin
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


_seeded = threading.Event()


def _seed_once(seed: int | None, mock_random: Any) -> None:
    """Seed moto's random source for the process's first stand-in only. moto keeps one state and one
    random source per process, shared by every stand-in it runs: seeded again while an earlier
    stand-in's resources are still there, it would hand out their IDs (and IAM names) a second time,
    and moto keeps one of two resources with one ID, so the other's requests fail."""
    if seed is not None and not _seeded.is_set():
        mock_random.seed(seed)
        _seeded.set()


class _EveryRegion:
    """WSGI middleware in front of moto: the first request signed for a region bootstraps that region
    (`seed_bootstrap`) before moto answers it, so that every region looks like an account bootstrapped
    there. moto would otherwise answer a deploy there with an internal error: the CDK template's
    `BootstrapVersion` parameter names an SSM parameter that region lacks (gap 2).

    The region is the one of the request's SigV4 credential scope (the `Authorization` header, or
    `X-Amz-Credential` of a presigned URL), where moto reads it too. IAM and Route 53 are global:
    their requests are signed for us-east-1 whatever region the caller works in, so they bootstrap
    nothing. The bootstrap's own requests carry `BOOTSTRAP_HEADER` and pass straight through."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._done: set[str] = set()
        self._lock = threading.Lock()
        self._standin: StandIn | None = None
        self._known: frozenset[str] = frozenset()

    def serve(self, standin: StandIn, known: frozenset[str]) -> None:
        """Start bootstrapping the `known` regions other than `standin`'s, which is bootstrapped already."""
        self._known = known
        self._done.add(standin.region)
        self._standin = standin

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if self._standin is not None and not environ.get(_BOOTSTRAP_ENVIRON):
            region = _signed_region(environ)
            if region is not None and region not in self._done and region in self._known:
                with self._lock:
                    if region not in self._done:
                        seed_bootstrap(StandIn(endpoint_url=self._standin.endpoint_url, region=region))
                        self._done.add(region)
        return self.app(environ, start_response)


def _known_regions(standin: StandIn) -> frozenset[str]:
    """The regions AWS has (botocore's list): moto keeps no backend for a name it does not know."""
    session = standin.session()
    return frozenset(r for p in session.get_available_partitions() for r in session.get_available_regions("cloudformation", partition_name=p))


# Marks the bootstrap's own requests (`_EveryRegion`); werkzeug puts it in the WSGI environ as below.
BOOTSTRAP_HEADER = "x-shared-nlb-standin-bootstrap"
_BOOTSTRAP_ENVIRON = "HTTP_" + BOOTSTRAP_HEADER.upper().replace("-", "_")
# A SigV4 credential scope: <key>/<date>/<region>/<service>/aws4_request (AWS General Reference,
# "Elements of an AWS API request signature").
_SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request")
_GLOBAL_SERVICES = frozenset({"iam", "route53"})


def _signed_region(environ: dict[str, Any]) -> str | None:
    """The region a request is signed for, or None (unsigned, or a global service)."""
    from urllib.parse import unquote

    found = _SCOPE.search(environ.get("HTTP_AUTHORIZATION", "")) or _SCOPE.search(unquote(environ.get("QUERY_STRING", "")).replace("X-Amz-Credential=", "Credential="))
    if found is None or found[2] in _GLOBAL_SERVICES:
        return None
    return found[1]


def _check_free(port: int) -> None:
    """werkzeug's `make_server` prints a failed bind and exits the process: try the bind here first,
    as its server would (address reuse on, so a port left in TIME_WAIT by a stopped stand-in counts as
    free)."""
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
    cloudformation.meta.events.register("before-sign.cloudformation.*", _mark_bootstrap)
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


def _mark_bootstrap(request: Any, **_: Any) -> None:
    request.headers[BOOTSTRAP_HEADER] = "1"
