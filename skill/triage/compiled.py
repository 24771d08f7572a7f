"""The protocol compiled at build: proved once, loaded in the Lambda one locale at a time.

``compile_protocol`` runs the loader (``loader.load_protocol``: the data validated and the protocol proved safe
by walking it with the machine) and every locale's validation, then writes to ``compiled/``:

- ``protocol.json``: the protocol's data, the locales it was proved with, and the hash of its sources;
- ``<locale>.json``: one locale (its spoken text and its understanding merged, ``extends`` already resolved),
  with the same hash, and only what the function uses: the model generator's phrasings (``understanding`` but
  its ``own_words``, each question's ``patterns``, ``denials`` and ``places``, and its ``says`` where it has
  ``names``) are left to the sources.

Each file is sealed by a digest of its own content: its first line is the SHA-256 of the rest, the body as
compact JSON, so checking it is one hash over the bytes read and one parse (no canonical re-encoding). The
sources' hash covers ``data/protocol.json``, every ``data/locales/*.json`` and ``data/understanding/*.json``,
and the code that validates and proves (this module included), so a change to any of them makes the artifact
stale. Loading checks both: a stale or altered
artifact raises ``ProtocolError`` and refuses to load, as a broken protocol does. Neither the protocol's data
checks (``validate_protocol``, about three milliseconds), nor a locale's (``check_locale``, about two), nor the
walk of the proof run again: all ran at build on the very data the seal covers.

``python -m skill build`` (so ``make build`` and ``sam build``) compiles into the Lambda artifact; a checkout
has no ``compiled/`` and proves the protocol whenever it loads it (so ``make test`` runs the proof).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from typing import TYPE_CHECKING, Any

from .protocol import (
    DEFAULT_LOCALE,
    UNDERSTANDING,
    LocaleText,
    Protocol,
    ProtocolError,
    load_locales,
    parse_locale,
    parse_protocol,
    read_raw_locales,
    resolve_extends,
)

if TYPE_CHECKING:
    from pathlib import Path

# A path as a string, read with os.path: a Lambda's cold start reads two files here and imports no pathlib (~1 ms);
# what builds and checks the sources (a build, a checkout) takes pathlib when it runs
TRIAGE_DIR = os.path.dirname(os.path.realpath(__file__))
COMPILED = "compiled"
PROTOCOL_FILE = "protocol.json"
# the code whose rules the artifact was proved under: a change to any of them makes it stale
PROVING_CODE = ("protocol.py", "machine.py", "safety.py", "loader.py", "compiled.py")


def sources_hash(triage_dir: str | Path = TRIAGE_DIR) -> str:
    """The hash of everything the proof depends on: the protocol, every locale, the code that proves."""
    from pathlib import Path

    triage_dir = Path(triage_dir)
    data = triage_dir / "data"
    paths = [data / "protocol.json", *sorted((data / "locales").glob("*.json")),
             *sorted((data / UNDERSTANDING).glob("*.json")), *(triage_dir / name for name in PROVING_CODE)]
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.relative_to(triage_dir).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def sealed_text(body: dict[str, Any]) -> str:
    """A compiled file: the digest of the body's bytes, a line break, the body."""
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return f"{hashlib.sha256(text.encode('utf-8')).hexdigest()}\n{text}"


def compile_protocol(triage_dir: str | Path = TRIAGE_DIR, out: Path | None = None) -> Path:
    """Prove the protocol in ``triage_dir`` and write its compiled form (``out``, else ``triage_dir/compiled``)."""
    from pathlib import Path

    from .loader import load_protocol  # here: a Lambda loads what this proved, and never imports the prover

    triage_dir = Path(triage_dir)

    out = out or triage_dir / COMPILED
    data = triage_dir / "data"
    protocol = load_protocol(data / "protocol.json")  # the proof: an unsafe protocol refuses to compile
    locales = load_locales(protocol, data)  # every locale's checks
    raws = read_raw_locales(data)
    sources = sources_hash(triage_dir)
    if out.exists():
        import shutil  # here: only a build compiles (shutil brings bz2 and lzma, which a Lambda never needs)

        shutil.rmtree(out)
    out.mkdir(parents=True)
    raw_protocol = json.loads((data / "protocol.json").read_text(encoding="utf-8"))
    _write(out / PROTOCOL_FILE, {"sources": sources, "protocol": raw_protocol, "locales": sorted(locales)})
    for name in locales:
        text = runtime_text(resolve_extends(name, raws))
        _write(out / f"{name}.json", {"sources": sources, "locale": name, "text": text})
    return out


GENERATOR_ONLY = ("patterns", "denials", "places")  # a question's phrasings only the interaction-model generator reads


def runtime_text(raw: dict[str, Any]) -> dict[str, Any]:
    """A resolved locale without what only the model generator reads (the function's own words stay whole)."""
    questions = {}
    for question_id, texts in raw.get("questions", {}).items():
        kept = {key: value for key, value in texts.items() if key not in GENERATOR_ONLY}
        if kept.get("names"):
            kept.pop("says", None)  # the loader needs a phrasing, one kind is enough
        questions[question_id] = kept
    understanding = raw.get("understanding", {})
    own_words = {"own_words": understanding["own_words"]} if "own_words" in understanding else {}
    return {**raw, "questions": questions, "understanding": own_words}


def _write(path: Path, body: dict[str, Any]) -> None:
    path.write_text(sealed_text(body), encoding="utf-8")


def _read(path: str, sources: str | None) -> dict[str, Any]:
    """A compiled file's body, refused when it was altered since it was written or built from other sources
    (``sources`` None: none shipped beside it, the deployed artifact)."""
    name = os.path.basename(path)
    try:
        with open(path, "rb") as file:
            digest, newline, text = file.read().partition(b"\n")
    except OSError as exc:
        raise ProtocolError(f"compiled protocol {name} cannot be read ({type(exc).__name__})") from exc
    if not newline or len(digest) != 64:
        raise ProtocolError(f"compiled protocol {name} is not sealed")
    if not hmac.compare_digest(hashlib.sha256(text).hexdigest().encode("ascii"), digest):
        raise ProtocolError(f"compiled protocol {name} was altered after it was built")
    try:
        body = json.loads(text)
    except ValueError as exc:
        raise ProtocolError(f"compiled protocol {name} cannot be read ({type(exc).__name__})") from exc
    if not isinstance(body, dict):
        raise ProtocolError(f"compiled protocol {name} is not a compiled protocol")
    if sources is not None and body.get("sources") != sources:
        raise ProtocolError(f"compiled protocol {name} is stale: its sources changed since it was built")
    return body


class Compiled:
    """The compiled protocol in ``triage_dir/compiled``, checked against the sources' hash once, its locales
    loaded one at a time, when first asked for."""

    def __init__(self, triage_dir: str | Path = TRIAGE_DIR):
        self.folder = os.path.join(triage_dir, COMPILED)
        # Beside its sources (a checkout, a build) an artifact older than them is stale. The deployed artifact
        # carries none: the build proved them and shipped only what the function reads, so there the seal alone
        # is checked (and no cold start reads and hashes eight locales' training data).
        self.sources = sources_hash(triage_dir) if os.path.isdir(os.path.join(triage_dir, "data")) else None
        body = _read(os.path.join(self.folder, PROTOCOL_FILE), self.sources)
        # checked and proved at build, and sealed since: the checks are not run again on every cold start
        self.protocol: Protocol = parse_protocol(body["protocol"], validate=False)
        names = body.get("locales")
        if not isinstance(names, list) or DEFAULT_LOCALE not in names:
            raise ProtocolError(f"compiled protocol lists no {DEFAULT_LOCALE}")
        self.locales: tuple[str, ...] = tuple(str(name) for name in names)
        self._texts: dict[str, LocaleText] = {}

    def locale(self, name: str) -> LocaleText | None:
        """The locale ``name``, or None for one the protocol was not compiled with (never a path from outside)."""
        if name not in self.locales:
            return None
        if name not in self._texts:
            body = _read(os.path.join(self.folder, f"{name}.json"), self.sources)
            if body.get("locale") != name:
                raise ProtocolError(f"compiled locale {name}.json holds {body.get('locale')!r}")
            # checked at build on this very text, as the protocol was, and sealed since: not checked again here
            self._texts[name] = parse_locale(body["text"], self.protocol, validate=False)
        return self._texts[name]


def is_compiled(triage_dir: str | Path = TRIAGE_DIR) -> bool:
    return os.path.isfile(os.path.join(triage_dir, COMPILED, PROTOCOL_FILE))
