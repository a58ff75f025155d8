"""`shared-nlb import-services SERVICES_YAML ...`: a first config from `kubectl get svc -A -o yaml`.

The config goes to stdout or `--out FILE` (atomic); everything else (what was not carried over, what
to fill in, the `kubectl patch` lines for after the switch) goes to stderr, so stdout can be piped.
"""

from __future__ import annotations

import argparse
import os
import sys

from shared_nlb import atomic, untrusted
from shared_nlb.config import ConfigError, load_yaml, parse_config
from shared_nlb.errors import BadArguments, InvalidInput, UserError
from shared_nlb.importer import PATCH_NOTE, import_services


def _read(path: str) -> str:
    """The input, never more of it than `untrusted.MAX_IMPORT_BYTES` (InvalidInput past that)."""
    limit = untrusted.MAX_IMPORT_BYTES
    try:
        if path == "-":
            text = sys.stdin.read(limit + 1)
            untrusted.check_size(text, max_bytes=limit)
            return text
        return untrusted.read_text(path, max_bytes=limit)
    except untrusted.LimitExceeded as error:
        raise InvalidInput(f"{path}: {error.message}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"{path}: cannot be read: {error}") from None


def run(args: argparse.Namespace) -> int:
    if args.out:
        atomic.refuse_inputs("--out", args.out, {"the Services file": args.services_yaml})
        if os.path.lexists(args.out) and not args.force:  # a config written by hand is not replaced unasked
            raise BadArguments(f"--out {args.out} exists; give --force to replace it, or name another file")
    result = import_services(
        _read(args.services_yaml),
        source=args.services_yaml,
        name=args.name or "imported",
        vpc_id=args.vpc_id,
        vpc_cidr=args.vpc_cidr,
        subnet_ids=args.subnet_id,
        client_sgs=args.client_sg,
        client_cidrs=args.client_cidr,
    )
    where = args.out or "<stdout>"
    if args.out:
        atomic.write_file(args.out, result.text)
    else:
        sys.stdout.write(result.text)
    err = sys.stderr
    for note in result.notes:
        print(f"import-services: {note}", file=err)
    # Validate what was written, so the user sees now exactly what `shared-nlb validate` will ask for.
    try:
        data, root = load_yaml(result.text, file=where)  # one parse: the data and its nodes for line numbers
        parse_config(data, file=where, root=root)
        print(f"import-services: {len(result.data['services'])} service(s) written to {where}; valid", file=err)
    except ConfigError as error:
        print(f"import-services: {len(result.data['services'])} service(s) written to {where}; fill in before use:", file=err)
        for problem in error.problems:
            print(f"  {problem}", file=err)
    print("import-services: after the switch, make the old Services ClusterIP:", file=err)
    for command in result.patch_commands:
        print(f"  {command}", file=err)
    print(f"  ({PATCH_NOTE})", file=err)
    return 0
