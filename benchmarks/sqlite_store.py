"""What one save costs the chat's SQLite store as its file grows (expired rows are swept as it goes).

    python benchmarks/sqlite_store.py [--rows 100000] [--saves 200]

Fills a fresh file with ``--rows`` people's records (a tenth of them expired),
then times ``--saves`` saves, each of a different person, through the store's
own ``save`` as the chat calls it. Prints the median and p99 per save in ms.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from skill.store import Resume, SqliteStore  # noqa: E402
from skill.store.port import epoch  # noqa: E402


def fill(path: Path, rows: int, now: datetime) -> None:
    """Rows as the store writes them, inserted in one transaction (the schema comes from the store itself)."""
    SqliteStore(path).items("warm-up")
    connection = sqlite3.connect(path)
    with connection:
        connection.executemany(
            "INSERT OR REPLACE INTO memory (user_key, kind, item, expires_at) VALUES (?, ?, ?, ?)",
            ((f"person-{n}", "resume", '{"q": "injury"}', epoch(now) + (-60 if n % 10 == 0 else 3600))
             for n in range(rows)))
    connection.close()


def measure(rows: int, saves: int) -> dict:
    now = datetime.now(timezone.utc)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "memory.sqlite3"
        fill(path, rows, now - timedelta(seconds=1))
        store = SqliteStore(path)
        timings = []
        for n in range(saves):
            start = time.perf_counter()
            store.save(f"saver-{n}", Resume("injury"), now)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {"rows": rows, "saves": saves, "median_ms": statistics.median(timings),
            "p99_ms": timings[min(len(timings) - 1, int(0.99 * len(timings)))]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--saves", type=int, default=200)
    args = parser.parse_args(argv)
    result = measure(args.rows, args.saves)
    print(f"{result['saves']} saves into {result['rows']} rows: median {result['median_ms']:.2f} ms, "
          f"p99 {result['p99_ms']:.2f} ms per save")
    return 0


if __name__ == "__main__":
    sys.exit(main())
