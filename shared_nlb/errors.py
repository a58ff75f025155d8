"""Errors the command line reports as one line each, without a traceback."""

from __future__ import annotations


class UserError(Exception):
    """A failure the user can act on (bad outputs file, unreachable endpoint...): exit status 1."""


class InvalidInput(UserError):
    """A file that must not be used as it is: past a size, nesting or alias limit
    (`shared_nlb.untrusted`), or holding a value that fails the check the config applies to the same
    value. Exit status 2, as for an invalid config: the file needs fixing, not the environment."""


class BadArguments(InvalidInput):
    """Arguments that cannot go together, found after argparse (an output path that is one of the
    run's inputs): exit status 2, as argparse's own errors."""
