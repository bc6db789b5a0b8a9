"""The handles of every provider as the tagged unions the run record stores.

`PreparedHandle` is what `prepare` made, `LaunchedHandle` what `launch` started. The tag is the
provider, and for Synthflow its kind too (`synthflow.case`, ...), read from the stored JSON:
each stored handle reads back as its own provider's class.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Discriminator, Tag

from agentsim.providers.bluejay.handles import BluejayLaunched, BluejayPrepared
from agentsim.providers.omnidimension.handles import (
    OmniDimensionLaunched,
    OmniDimensionPrepared,
)
from agentsim.providers.synthflow.handles import (
    SynthflowCase,
    SynthflowSession,
    SynthflowSimulation,
    SynthflowSuite,
)


def handle_tag(value: Any) -> str:
    """`<provider>`, or `synthflow.<kind>`: which class a handle (or its JSON) is."""
    if isinstance(value, dict):
        provider, kind = value.get("provider"), value.get("kind")
    else:
        provider, kind = getattr(value, "provider", None), getattr(value, "kind", None)
    name = str(provider or "")
    return f"synthflow.{kind}" if name == "synthflow" else name


PreparedHandle = Annotated[
    Annotated[OmniDimensionPrepared, Tag("omnidimension")]
    | Annotated[BluejayPrepared, Tag("bluejay")]
    | Annotated[SynthflowCase, Tag("synthflow.case")]
    | Annotated[SynthflowSuite, Tag("synthflow.suite")],
    Discriminator(handle_tag),
]
LaunchedHandle = Annotated[
    Annotated[OmniDimensionLaunched, Tag("omnidimension")]
    | Annotated[BluejayLaunched, Tag("bluejay")]
    | Annotated[SynthflowSimulation, Tag("synthflow.simulation")]
    | Annotated[SynthflowSession, Tag("synthflow.session")],
    Discriminator(handle_tag),
]
