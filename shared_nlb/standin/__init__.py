"""moto 5.2.5 as an embedded AWS stand-in, for `shared-nlb demo` and the tests; never the real deploy path.

moto is an optional extra (`pip install 'shared-nlb[standin]'`): no command but `demo` imports this
package, and importing it does not import moto (each module imports moto only when it runs), so the
product works without it. The package, by job:

- `patches`: the fixes for moto's CloudFormation gaps, one function per gap (`FIXES`, `apply_patches`);
- `rules`: security group rules as CloudFormation makes them, used by the security group fixes;
- `rollback`: failed operations as CloudFormation ends them (rollbacks, ContinueUpdateRollback), used by those fixes;
- `classify`: which resources a change set replaces (the stand-in's `Replacement`), pure;
- `server`: the running stand-in (`running()`, `StandIn`, `quiet`, `seed_bootstrap`);
- `network`: the config's VPC, subnets and client sources created on the stand-in (`create_network`).

The names below are the ones callers use, re-exported so that `from shared_nlb import standin` is
enough.
"""

from __future__ import annotations

from shared_nlb.standin.classify import classify
from shared_nlb.standin.network import create_network
from shared_nlb.standin.patches import FIXES, apply_patches, remove_patches
from shared_nlb.standin.server import ACCOUNT, BOOTSTRAP_PARAMETER, BOOTSTRAP_VERSION, REGION, SEED, StandIn, quiet, running, seed_bootstrap

__all__ = [
    "ACCOUNT",
    "BOOTSTRAP_PARAMETER",
    "BOOTSTRAP_VERSION",
    "FIXES",
    "REGION",
    "SEED",
    "StandIn",
    "apply_patches",
    "classify",
    "create_network",
    "quiet",
    "remove_patches",
    "running",
    "seed_bootstrap",
]
