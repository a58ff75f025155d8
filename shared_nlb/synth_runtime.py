"""Imports aws-cdk and the construct library for the commands that synthesize, loaded ahead in a
thread by the command line (see `shared_nlb.preload`) while it reads the config."""

import aws_cdk  # noqa: F401

import constructs_lib  # noqa: F401
