"""The placement the deployed stacks hold, as a safety net under the committed placement file.

The file beside the config (`shared_nlb.config.placement`) is the record, but it can be lost or stale
(not committed, a branch merged without it). A service's NLB is its clients' address, so before
deploy or plan builds anything, the stacks of each entry's NLBs are read, and a service found in one
of them stays there: what AWS holds wins over the file, the file is then rewritten by deploy, and
each difference is said in one line. A service whose `load_balancer` names another entry now was
moved by hand and is placed anew.
"""

from __future__ import annotations

from typing import Any

from shared_nlb import naming
from shared_nlb.changeset import CloudFormation
from shared_nlb.config import Config
from shared_nlb.config import placement as placing
from shared_nlb.errors import UserError


def read(aws: CloudFormation, config: Config) -> dict[str, str]:
    """service name -> NLB, for every service of the config found in a deployed stack of its entry.

    The NLBs of an entry are read in order, past the ones the config needs now, until one has no
    stack: an NLB whose last services left the config may still hold one the file forgot."""
    by_output = {naming.target_group_output_key(s.name): s for s in config.services}
    needed = {unit.shard for unit in config.units()}
    found: dict[str, str] = {}
    for entry in config.load_balancers or []:
        number = 1
        while True:
            shard = placing.shard_name(entry.name, number)
            template = aws.template(config.shard_stack_name(shard))
            if template is None and shard not in needed:
                break
            for key in (template or {}).get("Outputs", {}):
                service = by_output.get(key)
                if service is not None and config.entry_of(service) == entry.name:
                    found[service.name] = shard
            number += 1
    return found


def adopt(console: Any, aws: CloudFormation, config: Config) -> Config:
    """The config with every deployed service kept on its NLB (see the module's docstring)."""
    if not config.load_balancers:
        return config
    committed = config.committed_placement
    deployed = read(aws, config)
    differs = {name: shard for name, shard in deployed.items() if committed.get(name) != shard}
    if not differs:
        return config
    for name, shard in sorted(differs.items()):
        said = f"not on {committed[name]} as the placement file says" if name in committed else "which the placement file does not record"
        console.print(f"placement: service {name} is deployed on NLB {shard}, {said}: it stays there")
    adopted = config.with_placement({**committed, **deployed})
    problems = adopted.problems()
    if problems:
        raise UserError("\n".join(f"with the deployed placement: {path}: {message}" for path, message in sorted(set(problems))))
    return adopted
