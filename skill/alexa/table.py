"""The conversation's one table: (moment, what was heard) -> the move that answers it.

The moment is explicit (``Turn.moment``): ``asking`` a triage question, an offer of a
given kind waiting for its yes or no (its kind: ``resume``, ``follow_up``, ...), or
``idle`` (no triage in progress: a one-shot "ask back pain check ...", or a session
whose state was lost). What was heard is read once per request (``heard.hear``).

Each module fills its own ``Router`` with rows (the triage's moves in ``handlers``,
memory's offers in ``offers``, the reminder offer in ``reminder_handlers``) and the
conversation includes them all (``conversation.TABLE``), as Powertools'
``include_router`` does: one place decides, no handler order to get right.

A row may name ``ANY`` moment or ``ANY`` heard; the most specific row wins:
(moment, heard), then (ANY, heard), then (moment, ANY), then the fallback row (ANY, ANY).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ask_sdk_model import Response

from .heard import Heard
from .turn import Turn

ANY = "*"
Move = Callable[[Turn, Heard], Response]


def _many(names: str | Iterable[str]) -> tuple[str, ...]:
    return (names,) if isinstance(names, str) else tuple(names)


class Router:
    """Rows of the table, from one module (or all of them, once included)."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], Move] = {}

    def add(self, moments: str | Iterable[str], heard: str | Iterable[str], move: Move) -> None:
        for moment in _many(moments):
            for key in _many(heard):
                if (moment, key) in self.rows:
                    raise ValueError(f"two moves for ({moment}, {key})")
                self.rows[(moment, key)] = move

    def route(self, moments: str | Iterable[str], heard: str | Iterable[str]) -> Callable[[Move], Move]:
        """Decorator: ``@router.route(ASKING, ANSWER)`` makes the function the move for that row (or rows)."""
        def register(move: Move) -> Move:
            self.add(moments, heard, move)
            return move
        return register

    def include_router(self, other: "Router") -> None:
        """Another module's rows; a row two modules both claim is refused, not silently replaced."""
        for (moment, key), move in other.rows.items():
            self.add(moment, key, move)

    def resolve(self, moment: str, heard: str) -> Move:
        """The move for (moment, heard): the most specific row, else the fallback row."""
        rows = self.rows
        return (rows.get((moment, heard)) or rows.get((ANY, heard)) or rows.get((moment, ANY))
                or rows[(ANY, ANY)])
