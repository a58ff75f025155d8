"""A config on the AWS stand-in (`shared-nlb standin`): the stand-in's IDs in place of the config's,
asked of the stand-in itself, so that users plan and deploy their own `shared-nlb.yaml` there.

moto cannot take the IDs of a user's VPC, subnets, client security groups, prefix lists, certificates
and hosted zones (TOOLCHAIN gap 6): the stand-in makes a resource for each ID the first time a config
names it and keeps the map (`shared_nlb.standin.id_map`, its side). Every command that reads a config
and may meet the stand-in (validate, synth, plan, deploy, manifests, destroy, and app.py under `cdk`)
passes it through `for_endpoint`, which asks the stand-in and applies the answer only when:

- the command has an endpoint (`--endpoint-url`, else `AWS_ENDPOINT_URL`): without one it talks to
  real AWS, and nothing is asked and nothing changes;
- that endpoint is `http://` on this machine's loopback interface, where the stand-in listens: an
  endpoint elsewhere (a VPC endpoint of AWS, say) is never asked;
- and it answers `PATH` with the stand-in's `MARK`: anything else there (LocalStack, a plain moto
  server, nothing listening) leaves the config as it is.

Which IDs land where: templates and the deploy's outputs (and the manifests made from them) hold the
stand-in's IDs, as they describe what the stand-in holds; the state file beside the config holds no
account's IDs at all (NLB names, logical IDs, ports), so it is the same bytes on the stand-in and in
AWS. Outputs of a stand-in carry its VPC, which `manifests` refuses against the config when it does
not talk to that stand-in (docs/deploy.md, "The stand-in as a server").
"""

from __future__ import annotations

import ipaddress
import json
import os
import sys
from urllib.parse import urlsplit

from shared_nlb.config import Config
from shared_nlb.config.ids import named_ids, with_ids
from shared_nlb.errors import InvalidInput, UserError

PATH = "/_shared-nlb/ids"
# The stand-in's answers carry {"stand-in": MARK}: no other server answers with it.
MARK = "shared-nlb"
# The stand-in makes what a config names before it answers (a certificate, a first region's bootstrap).
_TIMEOUT_SECONDS = 60


def for_endpoint(config: Config, *, endpoint_url: str | None = None, region: str | None = None) -> Config:
    """`config` with the stand-in's IDs in place of its own when the command's endpoint (`endpoint_url`,
    else AWS_ENDPOINT_URL) is the stand-in, in `region` (default: the config's, then the
    environment's); otherwise `config` itself. Says on stderr which stand-ins were made now, one line
    each; a config the stand-in cannot map is `InvalidInput`, one line per problem."""
    url = standin_endpoint(endpoint_url)
    if url is None:
        return config
    answer = ask(url, _region(config, region, explicit=bool(endpoint_url)), named_ids(config))
    if answer is None:
        return config
    for configured in answer["created"]:
        print(f"stand-in {url}: {configured} -> {answer['ids'][configured]} (new)", file=sys.stderr)
    return with_ids(config, answer["ids"])


def standin_endpoint(endpoint_url: str | None = None) -> str | None:
    """The endpoint that could be the stand-in: `endpoint_url`, else AWS_ENDPOINT_URL, when it is an
    http URL of a loopback address (127.0.0.0/8, ::1, localhost); else None."""
    url = endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or ""
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        return None
    if parts.hostname != "localhost":
        try:
            if not ipaddress.ip_address(parts.hostname).is_loopback:
                return None
        except ValueError:  # a host name other than localhost
            return None
    return url.rstrip("/")


def ask(url: str, region: str, named: dict[str, object]) -> dict | None:
    """The stand-in's answer for `named` (`named_ids`) in `region`: {"ids", "created"}, or None when
    `url` is no stand-in."""
    import urllib.error
    import urllib.request

    body = json.dumps({"region": region, "ids": named}).encode("utf-8")
    request = urllib.request.Request(url + PATH, data=body, method="POST", headers={"Content-Type": "application/json"})
    # No proxy: the stand-in is on this machine, and HTTP_PROXY would send the request elsewhere.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=_TIMEOUT_SECONDS) as response:
            answer = _stand_in_answer(response.read())
    except urllib.error.HTTPError as error:
        refused = _stand_in_answer(error.read())
        if refused is None:
            return None  # another server, which has no such path
        # a config the stand-in cannot map needs fixing, as an invalid one does (exit 2)
        raise InvalidInput("\n".join(f"{line} (the stand-in at {url} cannot map the config)" for line in refused.get("problems", [])) or f"the stand-in at {url} answered {error.code}") from None
    except TimeoutError:
        raise UserError(f"the stand-in at {url} did not answer within {_TIMEOUT_SECONDS} s: is it busy, or stopped half-way?") from None
    except (urllib.error.URLError, ConnectionError):
        return None  # nothing listens: not a stand-in (the command's own calls say it cannot reach the endpoint)
    if answer is None or not isinstance(answer.get("ids"), dict):
        return None
    return {"ids": answer["ids"], "created": answer.get("created", [])}


def _stand_in_answer(data: bytes) -> dict | None:
    try:
        answer = json.loads(data)
    except ValueError:
        return None
    return answer if isinstance(answer, dict) and answer.get("stand-in") == MARK else None


def _region(config: Config, region: str | None, *, explicit: bool) -> str:
    """The region the command's AWS calls go to, as `shared_nlb.commands.deploy.connect` picks it: an
    --endpoint-url without a region means us-east-1, as there."""
    from shared_nlb.changeset.client import ENDPOINT_DEFAULT_REGION

    if region or config.stack.region:
        return region or config.stack.region  # type: ignore[return-value]
    if not explicit:
        for name in ("AWS_DEFAULT_REGION", "AWS_REGION", "CDK_DEFAULT_REGION"):
            if os.environ.get(name):
                return os.environ[name]
    return ENDPOINT_DEFAULT_REGION
