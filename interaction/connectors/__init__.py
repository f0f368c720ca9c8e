"""Platform connectors: one class per platform turns that platform's live-room push into Veracast webhook messages
(docs/live-interaction.md lists what each platform publishes). The simulator replays a file at real-time pace."""

from __future__ import annotations

from interaction.connectors.base import Connector, connector_for
from interaction.connectors.simulator import replay_file

__all__ = ["Connector", "connector_for", "replay_file"]
