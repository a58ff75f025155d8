"""A deploy, in the order it happens: read what is deployed, place new services, stage target group
replacements, make change sets, execute them, recover from failures, record the state.

- `read_deployed`: the deployed stacks as a state; what AWS holds wins over the state file.
- `lookup`: a lost state file read back from the deployed stacks (`shared-nlb synth`, app.py).
- `stage`: make-before-break target group replacements, and when a deploy switches.
- `record`: the state file beside the config, written by every path that synthesizes.

Placement itself is the config's (`shared_nlb.config.placement`): a pure function of the config and
the state, so that every path places alike.
"""
