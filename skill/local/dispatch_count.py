"""How much work the SDK's dispatcher does for one request: its ``can_handle`` calls, counted by profiling.

Shared by ``make bench`` (benchmarks/bench.py prints it) and tests/test_conversation_table.py (which holds it).
"""

from __future__ import annotations

import sys
from collections.abc import Callable


def can_handle_calls(send: Callable[[], object]) -> int:
    """How many times any ``can_handle`` is called while ``send()`` runs."""
    calls = 0

    def profile(frame, event, arg):
        nonlocal calls
        if event == "call" and frame.f_code.co_name == "can_handle":
            calls += 1

    sys.setprofile(profile)
    try:
        send()
    finally:
        sys.setprofile(None)
    return calls
