"""moto 5.2.5 as an embedded AWS stand-in, for `shared-nlb demo`, `shared-nlb standin` and the tests;
never the real deploy path.

moto is an optional extra (`pip install 'shared-nlb[standin]'`): only the `demo` and `standin`
commands import this package, and importing it does not import moto (each module imports moto only when it
runs), so the product works without it; `require_standin` says so in one line. The package, by job:

- `patches`: the fixes for moto's CloudFormation gaps, one function per gap (`FIXES`, `apply_patches`),
  in a module per service (`patches.elbv2`, `patches.ec2`, `patches.route53`, `patches.cloudwatch`,
  `patches.cloudformation`, `patches.cloudformation_failures`, `patches.cloudformation_drift`; what they share in `patches.state`);
- `rules`: security group rules as CloudFormation makes them, used by the security group fixes;
- `alarms`: `AWS::CloudWatch::Alarm` as CloudFormation makes it, used by the alarm fix;
- `drift`: a stack resource's drift, its actual state compared with the template, used by the drift fixes;
- `rollback`: failed operations as CloudFormation ends them (rollbacks, ContinueUpdateRollback), used by those fixes;
- `classify`: which resources a change set replaces (the stand-in's `Replacement`), pure;
- `server`: the running stand-in (`running()`, `StandIn`, `quiet`, `seed_bootstrap`);
- `network`: the config's VPC, subnets, client sources and certificates created on the stand-in
  (`stand_ins`, `create_network`), and the config's text with the stand-in's IDs (`mapped_config_text`);
- `id_map`: the running stand-in's map of configs' IDs to its own, served to shared-nlb and app.py
  (`IdMap`; `shared_nlb.mapped_ids` is the product's side).

The names below are the ones callers use, re-exported so that `from shared_nlb import standin` is
enough.
"""

from __future__ import annotations

from shared_nlb.errors import UserError
from shared_nlb.standin.classify import classify
from shared_nlb.standin.network import create_network, mapped_config_text
from shared_nlb.standin.patches import FIXES, apply_patches, remove_patches
from shared_nlb.standin.server import ACCOUNT, BOOTSTRAP_PARAMETER, BOOTSTRAP_VERSION, REGION, SEED, StandIn, quiet, running, seed_bootstrap

__all__ = [
    "ACCOUNT",
    "BOOTSTRAP_PARAMETER",
    "BOOTSTRAP_VERSION",
    "FIXES",
    "MISSING_EXTRA",
    "REGION",
    "SEED",
    "StandIn",
    "apply_patches",
    "classify",
    "create_network",
    "mapped_config_text",
    "quiet",
    "remove_patches",
    "require_standin",
    "running",
    "seed_bootstrap",
]

# moto (the stand-in's engine) is the optional extra `standin` (pyproject.toml), not a dependency.
MISSING_EXTRA = "the AWS stand-in needs the optional extra: pip install 'shared-nlb[standin]'"


def require_standin() -> None:
    """Fail with one line naming the extra when moto (with its server) is not installed."""
    try:
        import moto.server  # noqa: F401 - the stand-in's server needs the `server` extra of moto too
    except ImportError:
        raise UserError(MISSING_EXTRA) from None
