"""`shared-nlb`: the command line. `main(argv) -> int`, in the style of pre-commit.

Argument parsing for every command lives here; each command's work lives in its own module and is
imported only when that command runs, so `shared-nlb validate` never imports aws-cdk or starts jsii.
Exit status: 0 success, 2 invalid input (config, arguments, or a file read that fails its checks:
`InvalidInput`), 1 any other failure.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
from collections.abc import Sequence

from shared_nlb.errors import InvalidInput, UserError
from shared_nlb.node import old_node_note, use_project_node

use_project_node()  # at import, ahead of every jsii start (main's preload thread starts it early)

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2
# `shared-nlb standin`'s port: not moto_server's 5000 (macOS's AirPlay receiver listens there) nor
# LocalStack's 4566 (its ports are 4510-4566), so the stand-in can run beside either.
STANDIN_PORT = 4590

# command -> module with `run(args) -> int`
_COMMANDS = {
    "validate": "shared_nlb.commands.validate",
    "synth": "shared_nlb.commands.synth",
    "manifests": "shared_nlb.commands.manifests",
    "deploy": "shared_nlb.commands.deploy",
    "plan": "shared_nlb.commands.plan",
    "destroy": "shared_nlb.commands.destroy",
    "demo": "shared_nlb.commands.demo",
    "standin": "shared_nlb.commands.standin",
    "cost": "shared_nlb.commands.cost",
    "graph": "shared_nlb.commands.graph",
    "import-services": "shared_nlb.commands.import_services",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too; keep its one-line usage style
        self.print_usage(sys.stderr)
        self.exit(EXIT_INVALID, f"{self.prog}: error: {message}\n")


class _Version(argparse.Action):
    """`--version`, looked up only when asked: importlib.metadata costs every command ~15 ms."""

    def __call__(self, parser, namespace, values, option_string=None):
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("shared-nlb")
        except PackageNotFoundError:
            found = "unknown (not installed)"
        print(f"shared-nlb {found}")
        parser.exit(0)


def _port(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port; allowed: 0-65535 (0: any free port)")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="shared-nlb", description="One internal NLB for many in-cluster TCP/UDP services: CDK stack + TargetGroupBinding manifests from one config.")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks of unexpected errors")
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    # --debug is accepted after the command too (`shared-nlb synth --debug ...`), as users type it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    add_parser = sub.add_parser
    sub.add_parser = lambda name, **kw: add_parser(name, parents=[common], **kw)  # type: ignore[method-assign]
    sub.required = True

    p = sub.add_parser("validate", help="check configs; one line per problem, exit 2 if any")
    p.add_argument("config", metavar="CONFIG", nargs="+", help="one or more config files (pre-commit passes several)")

    p = sub.add_parser("synth", help="write DIR/<stack>.template.json, as `cdk synth` does")
    p.add_argument("config", metavar="CONFIG")
    p.add_argument("--out", metavar="DIR", default="cdk.out", help="output folder (default: cdk.out)")
    p.add_argument("--lint", action="store_true", help="also run cfn-lint over the template (the CloudFormation check done once, not on every synth)")
    p.add_argument("--outputs", metavar="FILE", help="also write the manifests tree from this outputs file, in the same process")
    p.add_argument("--manifests-out", metavar="DIR", help="where --outputs writes the manifests tree (default: manifests)")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 and name each file that is not what this command would write")
    p.add_argument("--first-deploy", action="store_true", help="no state file beside the config and nothing deployed yet: build every service anew, offline (without it, a missing state file is read back from the deployed stacks)")
    p.add_argument("--endpoint-url", metavar="URL", help="AWS endpoint to read a missing state file back from (default: real AWS)")
    p.add_argument("--region", metavar="REGION", help="AWS region to read it from (default: the config's, then the usual chain)")

    p = sub.add_parser("manifests", help="TargetGroupBinding tree from a deploy's outputs file")
    p.add_argument("config", metavar="CONFIG", nargs="?", help="the config the stack was built from; without it, the binding outputs of stacks built by the construct in your own CDK app")
    p.add_argument("--outputs", metavar="FILE", required=True, help="`cdk deploy --outputs-file` JSON")
    p.add_argument("--out", metavar="DIR", default="manifests", help="tree root (default: manifests)")
    p.add_argument("--controller", choices=("aws-load-balancer-controller", "eks-auto-mode"), help="without CONFIG: the controller the bindings are for (default: the one each output names, else aws-load-balancer-controller)")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 and name each file of the tree that is not what this command would write")

    for name, text in (("deploy", "create, show and execute a change set; write the outputs file"), ("plan", "review a change set without executing it")):
        p = sub.add_parser(name, help=text)
        p.add_argument("config", metavar="CONFIG")
        p.add_argument("--endpoint-url", metavar="URL", help="AWS endpoint (e.g. the embedded stand-in); default: real AWS")
        p.add_argument("--region", metavar="REGION", help="AWS region (default: the config's, then the usual chain)")
        if name == "deploy":
            p.add_argument("--outputs-file", metavar="FILE", required=True, help="where to write the outputs, `cdk deploy --outputs-file` shape")
            p.add_argument("--yes", action="store_true", help="execute without asking")
            p.add_argument("--rollback-skip", metavar="LOGICAL_ID", action="append", default=[], help="with a stack in UPDATE_ROLLBACK_FAILED: a resource the continued rollback leaves as it is (deploy names them when the rollback fails)")
        else:
            p.add_argument("--fail-on-replace", action="store_true", help="exit 1 when a replacement costs connectivity (not for security group rules swapped in place)")
            p.add_argument("--fail-on-drift", action="store_true", help="exit 1 when a deployed resource was changed or deleted outside CloudFormation (deploy repairs it)")

    p = sub.add_parser(
        "destroy",
        help="the one way to tear down: show what goes and which bindings to remove first, ask, lift the protections, delete",
        description=(
            "Delete the config's stacks (one per NLB; --nlb picks one). It shows what goes (the NLB, listeners, target groups, "
            "DNS records, alarms, roles) and the TargetGroupBindings to remove from the GitOps tree first, asks once, then lifts "
            "the stack's termination protection and the load balancer's deletion protection and deletes the stack. "
            "Running it again finishes a destroy that failed half-way."
        ),
    )
    p.add_argument("config", metavar="CONFIG")
    p.add_argument("--nlb", metavar="NAME", help="only this NLB's stack (a name of load_balancers, such as internal or internal-2; with load_balancer:, its name)")
    p.add_argument("--yes", action="store_true", help="destroy without asking")
    p.add_argument("--endpoint-url", metavar="URL", help="AWS endpoint (e.g. the embedded stand-in); default: real AWS")
    p.add_argument("--region", metavar="REGION", help="AWS region (default: the config's, then the usual chain)")
    p.add_argument("--outputs-file", metavar="FILE", help="the deploy's outputs file: the destroyed stacks' outputs are removed from it, so that `manifests` prunes their bindings")

    p = sub.add_parser("demo", help="the whole path offline against an embedded AWS stand-in")
    p.add_argument("--out", metavar="DIR", default="demo-output", help="demo folder (default: demo-output)")

    p = sub.add_parser(
        "standin",
        help="the embedded AWS stand-in as a server, until Ctrl-C; prints the environment for shared-nlb, boto3 and the cdk CLI",
        description=(
            "Run the embedded AWS stand-in (moto with shared-nlb's fixes) on 127.0.0.1 until SIGINT or SIGTERM. "
            "It prints `export` lines for AWS_ENDPOINT_URL and the rest (source them, then run shared-nlb plan/deploy, boto3 or the cdk CLI), "
            "then a line saying it is ready. moto cannot take the IDs a config names, so the stand-in makes a VPC, subnets, client "
            "security groups, prefix lists and TLS certificates for them and keeps the map; shared-nlb and cdk (app.py) apply it "
            "whenever they talk to the stand-in, so you plan and deploy your own config. With --config, that config's IDs are "
            "mapped at start and the map printed; --write-config also writes a copy of the config with the stand-in's IDs."
        ),
    )
    p.add_argument("--port", metavar="P", type=_port, default=STANDIN_PORT, help=f"port on 127.0.0.1 (default: {STANDIN_PORT}; 0: any free port)")
    p.add_argument("--config", metavar="CONFIG", help="map this config's IDs at start and print the map (later commands map new IDs as they name them)")
    p.add_argument("--write-config", metavar="FILE", help="also write a copy of CONFIG with the stand-in's IDs here (not the config itself)")

    p = sub.add_parser("cost", help="monthly cost: one NLB per service against one shared NLB")
    p.add_argument("config", metavar="CONFIG")
    p.add_argument("--region", metavar="REGION", help="price region (default: the config's, then us-east-1)")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = sub.add_parser("graph", help="the topology: clients -> listeners -> target groups -> Services")
    p.add_argument("config", metavar="CONFIG")
    p.add_argument("--format", choices=("mermaid", "svg"), default="mermaid")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")

    p = sub.add_parser("import-services", help="a shared-nlb.yaml from `kubectl get svc -A -o yaml`")
    p.add_argument("services_yaml", metavar="SERVICES_YAML")
    p.add_argument("--vpc-id")
    p.add_argument("--vpc-cidr")
    p.add_argument("--subnet-id", action="append", default=[])
    p.add_argument("--client-sg", action="append", default=[])
    p.add_argument("--client-cidr", action="append", default=[])
    p.add_argument("--name", default=None, help="config name (default: imported)")
    p.add_argument("--out", metavar="FILE", help="write the config here (default: stdout); an existing file only with --force")
    p.add_argument("--force", action="store_true", help="replace --out FILE when it exists")
    return parser


# What each command loads ahead while it reads the config (see shared_nlb/preload.py).
_PRELOAD = {
    "synth": "shared_nlb.synth_runtime",
    "deploy": "shared_nlb.synth_runtime",
    "plan": "shared_nlb.synth_runtime",
    "demo": "shared_nlb.synth_runtime",
    "manifests": "k8s_charts.target_group_bindings",
}


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so that the clean-up of an interrupt runs."""


def _terminated(signum: int, frame: object) -> None:
    raise Terminated()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in _PRELOAD:
        import shutil

        from shared_nlb import preload

        node = os.environ.get("JSII_NODE", "node")
        if shutil.which(node) is None:  # jsii would fail with a traceback from its own clean-up
            print(f"shared-nlb {args.command}: Node.js ({node}) is not on PATH; the CDK and cdk8s run on it: install Node 22 or later (scripts/setup does, in a checkout)", file=sys.stderr)
            return EXIT_FAILURE
        note = old_node_note(node)  # one line instead of jsii's banner on every start
        if note is not None:
            print(f"shared-nlb {args.command}: {note}", file=sys.stderr)
        preload.start(_PRELOAD[args.command])
        preload.started()  # let Node start before the config model takes the interpreter lock
    # Imported only now: with a jsii command, the config model (pydantic) loads while jsii starts Node.
    from shared_nlb.config import ConfigError

    # SIGTERM (a CI job cancelled, a container stopped) cleans up as Ctrl-C does: this run's change
    # sets are deleted, and each stack's state is said.
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        command = importlib.import_module(_COMMANDS[args.command])
        return command.run(args)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return EXIT_INVALID
    except UserError as error:
        for line in str(error).splitlines():  # several problems: one line each, each saying where it comes from
            print(f"shared-nlb {args.command}: {line}", file=sys.stderr)
        return EXIT_INVALID if isinstance(error, InvalidInput) else EXIT_FAILURE
    except Terminated:
        print(f"shared-nlb {args.command}: terminated", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print(f"shared-nlb {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # the last line of defence: never a bare traceback
        if args.debug:
            raise
        print(f"shared-nlb {args.command}: internal error: {type(error).__name__}: {error} (run with --debug for the traceback)", file=sys.stderr)
        return EXIT_FAILURE
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
