"""A deploy, one module per step, in the order the steps happen:

- `read_deployed`: what the stacks hold, as a state; it wins over the state file; target health.
- `lookup`: a lost state file read back from the deployed stacks (`shared-nlb synth`, app.py).
- `place`: where new services land (placement itself is the config's, `shared_nlb.config.placement`:
  a pure function of the config and the state, so that every path places alike).
- `stage`: make-before-break target group replacements, and when a deploy switches.
- `drift`: what was changed or deleted outside CloudFormation, per service; repaired by a drift-aware change set.
- `handover`: a listener port handed from one listener to another (a leaving service's to a joining one, or
  along a chain of moves), in one change set per link; a cycle of moves refused.
- `change_sets`: each stack's template, its change set shown, one confirmation for all.
- `execute`: the change sets executed one stack at a time, failures labelled by service.
- `recover`: no failed deploy is a dead end (stuck stacks, new stacks created unprotected).
- `record`: the state file beside the config, written by every path that synthesizes.

`shared_nlb.commands.deploy` and `plan` only parse arguments and call these in order.
"""
