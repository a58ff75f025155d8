"""Errors the command line reports as one line each, without a traceback."""

from __future__ import annotations


class UserError(Exception):
    """A failure the user can act on (bad outputs file, unreachable endpoint...): exit status 1."""
