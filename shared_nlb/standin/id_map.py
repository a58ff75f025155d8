"""The running stand-in's map of the IDs users' configs name to the resources it made for them (gap 6:
moto cannot take custom IDs), kept for as long as it runs and served at `PATH`, so that a user plans
and deploys their own config and every command that talks to the stand-in builds from the stand-in's
IDs (`shared_nlb.mapped_ids`, the product's side).

- `POST PATH` with `{"region": R, "ids": <shared_nlb.config.ids.named_ids of a config>}`: every ID
  the stand-in does not hold yet is created in region R now (`network.stand_ins`), whatever ran
  before; answers `{"stand-in": MARK, "region": R, "ids": {configured: stand-in}, "created": [...]}`
  (the IDs that are the stand-in's own already are left out), or status 400 with `"problems"`, one
  line each, when a config cannot be mapped (nothing is created then).
- `GET PATH`: the whole map, `{"stand-in": MARK, "regions": {R: {configured: stand-in}}}`.

A path of the form `/_...` is no S3 request: a bucket name begins with a letter or a digit (Amazon S3
User Guide, "General purpose bucket naming rules"), so no path-style S3 call of a client reaches it.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from shared_nlb.errors import UserError
from shared_nlb.mapped_ids import MARK, PATH


class IdMap:
    """WSGI middleware in front of the stand-in: serves `PATH` and passes every other request on.
    Maps one request at a time: two commands naming the same new subnet get one stand-in for it."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._endpoint_url = ""
        self._regions: frozenset[str] = frozenset()
        self._ids: dict[str, dict[str, str]] = {}
        self._lock = threading.Lock()

    def serve(self, endpoint_url: str, regions: frozenset[str]) -> None:
        """Start answering at `PATH`, creating through the stand-in at `endpoint_url`, in `regions`."""
        self._regions = regions
        self._endpoint_url = endpoint_url

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") != PATH or not self._endpoint_url:
            return self.app(environ, start_response)
        method = environ.get("REQUEST_METHOD")
        if method == "GET":
            with self._lock:
                return _answer(start_response, 200, {"stand-in": MARK, "regions": self._ids})
        if method != "POST":
            return _answer(start_response, 405, {"stand-in": MARK, "problems": [f"{method} {PATH}: allowed: GET, POST"]})
        try:
            request = json.loads(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)))
            region, named = request["region"], request["ids"]
        except (ValueError, KeyError, TypeError):
            return _answer(start_response, 400, {"stand-in": MARK, "problems": [f"POST {PATH}: allowed: a JSON object with region and ids"]})
        if region not in self._regions:
            return _answer(start_response, 400, {"stand-in": MARK, "problems": [f"region {region!r} is not an AWS region the stand-in serves"]})
        try:
            mapping, created = self.map(region, named)
        except UserError as error:
            return _answer(start_response, 400, {"stand-in": MARK, "problems": str(error).splitlines()})
        return _answer(start_response, 200, {"stand-in": MARK, "region": region, "ids": mapping, "created": created})

    def map(self, region: str, named: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
        """({configured ID: stand-in ID} for `named`, the configured IDs whose stand-in was made now)."""
        from shared_nlb.standin.network import stand_ins
        from shared_nlb.standin.server import StandIn

        with self._lock:
            known = self._ids.setdefault(region, {})
            mapping = stand_ins(StandIn(endpoint_url=self._endpoint_url, region=region), named, known)
            created = [configured for configured, made in mapping.items() if known.get(configured) != made]
            known.update(mapping)
        return mapping, created


def _answer(start_response: Any, status: int, body: dict[str, Any]) -> list[bytes]:
    data = json.dumps(body, sort_keys=False).encode("utf-8")
    reason = {200: "OK", 400: "Bad Request", 405: "Method Not Allowed"}[status]
    start_response(f"{status} {reason}", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]
