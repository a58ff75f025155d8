"""AWS's defaults for NLB target group health checks, for the config model and the construct alike
(ELB API reference, CreateTargetGroup: HealthCheckIntervalSeconds, HealthCheckTimeoutSeconds).
Imports nothing heavy."""

from __future__ import annotations

DEFAULT_INTERVAL = 30
# The timeout when none is set, by health check protocol: 6 s for HTTP, 10 s for TCP and HTTPS.
DEFAULT_TIMEOUT = {"TCP": 10, "HTTP": 6, "HTTPS": 10}
