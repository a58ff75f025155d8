"""The base of every model of `shared-nlb.yaml`: unknown keys refused, values frozen."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Model(BaseModel):
    """A section of the config: unknown keys are refused (a typo is an error, not a default), and a
    loaded config never changes (`model_copy` makes a changed one)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
