"""Loading the protocol: parsed and validated on its data (``protocol``), then proved safe by walking it with the
machine (``safety``). The one module that needs both, so neither imports the other back:

    machine -> protocol;  safety -> machine, protocol;  loader -> protocol, safety
"""

from __future__ import annotations

import json
from pathlib import Path

from .protocol import Protocol, data_dir, parse_protocol
from .safety import prove_safe


def load_protocol(path: Path | None = None) -> Protocol:
    """The protocol in ``path`` (the sources' by default), validated on the data and then proved safe by walking
    it with the machine."""
    path = path if path is not None else data_dir() / "protocol.json"
    protocol = parse_protocol(json.loads(path.read_text(encoding="utf-8")))
    prove_safe(protocol)
    return protocol
