"""`shared-nlb standin [--port P] [--config CONFIG [--write-config FILE]]`: the AWS stand-in as a server.

The stand-in of `demo` and the tests (moto in this process, with every fix of `shared_nlb.standin`),
kept running for other processes: shared-nlb's own commands, boto3, the real `cdk` CLI. moto cannot
take the IDs a config names, so the stand-in keeps a map of them to resources it makes
(`shared_nlb.standin.id_map`), and shared-nlb and app.py apply it whenever they talk to it
(`shared_nlb.mapped_ids`): users plan and deploy their own config. With a config, its IDs are mapped
at once and the map printed; `--write-config` also writes the config's own text with the stand-in's
IDs, for those who want a copy.

Everything printed on stdout can be sourced by a POSIX shell: the environment as `export` lines and
everything else as `#` comments, the last of them saying the stand-in is ready. SIGINT and SIGTERM stop
it: exit 0, one line.
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import sys
from pathlib import Path
from typing import Any

from shared_nlb.config import Config, load_config
from shared_nlb.config.ids import named_ids, with_ids
from shared_nlb.errors import UserError
from shared_nlb.mapped_ids import PATH, ask

EXIT_INVALID = 2


def run(args: argparse.Namespace) -> int:
    if args.write_config is not None and args.config is None:
        return _invalid("--write-config needs --config: the copy is of that config, with the stand-in's IDs")
    from shared_nlb import standin

    standin.require_standin()
    config = load_config(args.config) if args.config else None
    if args.config and args.write_config and _same_file(args.config, args.write_config):
        return _invalid(f"--write-config {args.write_config} is the config itself; name another file (the config keeps its real IDs)")
    region = (config.stack.region if config else None) or standin.REGION
    stop = _Stop()
    try:
        with standin.running(region=region, port=args.port) as aws:
            if config is not None:
                _map(aws, config, args.config, args.write_config)
            _comment("the environment for shared-nlb, boto3 and the cdk CLI (source or eval these lines):")
            for line in environment_lines(aws.endpoint_url, aws.region):
                print(line)
            config_file = shlex.quote(args.config) if args.config else "CONFIG"
            _comment(f"shared-nlb: shared-nlb plan {config_file}; shared-nlb deploy {config_file} --outputs-file outputs.json")
            _comment(cdk_hint(args.config))
            _comment(f"the stand-in maps every new ID of a config as a command names it; its map: curl {aws.endpoint_url}{PATH}")
            if not stop.signal_name:
                _comment(f"stand-in ready on {aws.endpoint_url}; Ctrl-C stops it")
            sys.stdout.flush()
            stop.wait()
    finally:
        stop.restore()
    _comment(f"stand-in stopped ({stop.signal_name}); what it held is gone")
    sys.stdout.flush()
    return 0


def _map(aws: Any, config: Config, config_path: str, write_config: str | None) -> None:
    """Map the config's IDs on the running stand-in, as every later command will find them, and print
    the map; write the copy with the stand-in's IDs when asked."""
    from shared_nlb import standin

    answer = ask(aws.endpoint_url, aws.region, named_ids(config))
    if answer is None:  # the stand-in serves its map from the start
        raise UserError(f"the stand-in at {aws.endpoint_url} did not answer {PATH}")
    mapping = answer["ids"]
    _comment(f"{config_path} on the stand-in (moto cannot take the configured IDs; shared-nlb and cdk use these there):")
    for configured, created in mapping.items():
        _comment(f"  {configured} -> {created}")
    if write_config:
        from shared_nlb import atomic

        text = standin.mapped_config_text(Path(config_path).read_text(encoding="utf-8"), mapping, with_ids(config, mapping))
        atomic.write_file(write_config, text)
        _comment(f"wrote {write_config}: {config_path} with the stand-in's IDs (a copy; {config_path} itself plans and deploys here too)")


def environment_lines(endpoint_url: str, region: str) -> list[str]:
    """Shell lines that point shared-nlb, boto3 and the `cdk` CLI at the stand-in, and at nothing of
    the user's own AWS setup."""
    port = endpoint_url.rsplit(":", 1)[1]
    variables = {
        "AWS_ENDPOINT_URL": endpoint_url,
        # The cdk CLI builds the TemplateURL of its change sets from this one; with an IP address as
        # the host, the stand-in reads the URL's first label ("127") as the bucket.
        "AWS_ENDPOINT_URL_S3_FOR_CLOUDFORMATION": f"http://localhost:{port}",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        # No profile, credentials or settings of the user's real accounts can take part.
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "CDK_DISABLE_VERSION_CHECK": "1",
    }
    lines = [f"export {name}={shlex.quote(value)}" for name, value in variables.items()]
    # A profile named in the environment would be looked up in the empty config file and fail; a
    # session token would go with the stand-in's keys.
    return lines + ["unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN"]


def cdk_hint(config_file: str | None) -> str:
    """The `cdk` command line that works against the stand-in."""
    context = f" -c config={shlex.quote(config_file)}" if config_file else ""
    # Without --no-previous-parameters an update asks for the BootstrapVersion parameter's previous
    # value, which the stand-in answers with an internal error.
    return f"cdk CLI: cdk --no-notices deploy --require-approval never --no-previous-parameters{context} --outputs-file outputs.json"


class _Stop:
    """Waits for SIGINT or SIGTERM and says which came. The kernel may hand a signal to any thread,
    the server's included, and the main thread would then sleep on through a plain wait (seen:
    `threading.Event.wait`). The interpreter's signal handler writes the signal's number to the
    wake-up pipe (`signal.set_wakeup_fd`) from whichever thread it runs on, and the main thread reads
    that pipe. The server is then stopped by `running()`'s exit, and the exit status is 0."""

    def __init__(self) -> None:
        self._read, write = os.pipe()
        os.set_blocking(write, False)  # set_wakeup_fd requires it: a signal must never block on a full pipe
        self._write = write
        self._previous_fd = signal.set_wakeup_fd(write)
        self._previous = {number: signal.signal(number, self._on_signal) for number in (signal.SIGINT, signal.SIGTERM)}
        self.signal_name = ""

    def _on_signal(self, number: int, frame: object) -> None:
        self.signal_name = signal.Signals(number).name

    def wait(self) -> None:
        while not self.signal_name:
            number = os.read(self._read, 1)[0]
            if number in (signal.SIGINT, signal.SIGTERM):
                self.signal_name = signal.Signals(number).name

    def restore(self) -> None:
        signal.set_wakeup_fd(self._previous_fd)
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        os.close(self._read)
        os.close(self._write)


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # FILE does not exist yet
        return Path(a).resolve() == Path(b).resolve()


def _comment(text: str) -> None:
    print(f"# {text}")


def _invalid(message: str) -> int:
    print(f"shared-nlb standin: {message}", file=sys.stderr)
    return EXIT_INVALID
