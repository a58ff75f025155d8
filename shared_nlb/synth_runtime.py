"""Imports aws-cdk and the construct library for the commands that synthesize, loaded ahead in a
thread by the command line (see `shared_nlb.preload`).

It also turns off the jsii *Python-side* argument type checks (typeguard) for this process. They
re-check what the jsii kernel checks again on the Node side against the assembly's types, and cost
~0.1 s for a 50-service stack (about a third of the construct time). Only the command line does
this; `cdk synth` (app.py) keeps the checks, and so do the tests (SHARED_NLB_JSII_TYPE_CHECKS=1, set
in tests/conftest.py, even when they run the command line in-process), so a wrong argument type in our
code still fails there. If a jsii release renames this private hook, the assignment does nothing and the
checks simply stay on.
"""

import os

if os.environ.get("SHARED_NLB_JSII_TYPE_CHECKS") != "1":  # the tests set it: they keep the checks
    import jsii._type_checking

    jsii._type_checking._resolved_check = lambda **_: None

import aws_cdk  # noqa: E402,F401

import constructs_lib.shared_nlb_stack  # noqa: E402,F401
