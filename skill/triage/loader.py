"""Loading the protocol: parsed and validated on its data (``protocol``), then proved safe by walking it with the
machine (``safety``). The one module that needs both, so neither imports the other back:

    machine -> protocol;  safety -> machine, protocol;  loader -> protocol, safety
"""

from __future__ import annotations

import json
from pathlib import Path

from .protocol import DATA_DIR, Protocol, parse_protocol
from .safety import prove_safe


def load_protocol(path: Path = DATA_DIR / "protocol.json") -> Protocol:
    """The protocol in ``path``, validated on the data and then proved safe by walking it with the machine."""
    protocol = parse_protocol(json.loads(path.read_text(encoding="utf-8")))
    prove_safe(protocol)
    return protocol
