"""pydantic's plugin discovery, skipped while plugins are disabled (the command line disables them).

With `PYDANTIC_DISABLE_PLUGINS` set, pydantic's plugin loader still imports `importlib.metadata`
(email, zipfile, csv...: ~40 ms, a fifth of `shared-nlb validate`) only to return no plugins.
`skip_loader()` puts a stand-in module in its place that gives the same answer. It replaces a private
module, so only for the pydantic release it was checked against (TESTED_PYDANTIC, pinned in
requirements.txt), and a `PYDANTIC_DISABLE_PLUGINS` that names some plugins keeps pydantic's loader.
"""

from __future__ import annotations

import os
import sys
import types

TESTED_PYDANTIC = "2.14.3"
_LOADER = "pydantic.plugin._loader"


def skip_loader() -> bool:
    """Install the stand-in before pydantic builds its first model; True when installed."""
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") not in ("1", "true", "__all__") or _LOADER in sys.modules:
        return False
    from pydantic.version import VERSION

    if VERSION != TESTED_PYDANTIC:
        return False
    loader = types.ModuleType(_LOADER, "shared-nlb's stand-in: plugins are disabled")
    loader.get_plugins = lambda: ()  # what pydantic's own loader returns when plugins are disabled
    sys.modules[_LOADER] = loader
    return True
