"""Moved to ``skill.local.local_server`` (a helper for tests and local tools, not part of the endpoint); this name
stays for code written against it (the web package may use the laptop tools, not the other way round)."""

from skill.local.local_server import LISTENING, served_child, serving, stop

__all__ = ["LISTENING", "served_child", "serving", "stop"]
