"""A disk cache of compiled regular expressions, to skip spaCy French's 2–3 s tokenizer regex compile.

``spacy.lang.fr.tokenizer_exceptions`` builds a 1.4 MB alternation (``TOKEN_MATCH``) and
compiles it at import time; CPython's ``re`` spends 2–3 s in ``_optimize_charset`` on its
case-insensitive Unicode classes, in every new process. Pickling a compiled pattern does not
help (pickle recompiles from the source string), but the *compiled program* — the list of
integers ``re._compiler`` hands to ``_sre.compile`` — can be stored and handed back to
``_sre.compile`` in a few milliseconds.

How it is used (``clauselint.nlp.pipeline``):

- ``prime()`` before spaCy's French module is imported: stored programs are compiled with
  ``_sre.compile`` and put into ``re``'s own pattern cache under the key ``re.compile`` looks
  up, so the import finds them there. Nothing else changes: same pattern, same flags, same
  program, hence the same matches.
- ``recording()`` around the first, uncached load: long patterns compiled meanwhile are
  compiled the way ``re._compiler.compile`` does it, and their programs are kept; ``save()``
  writes them.

The cache is keyed by the exact Python build and ``_sre.MAGIC``; any mismatch, unreadable file
or missing private API silently falls back to ordinary compiling. Set
``CLAUSELINT_REGEX_CACHE=0`` to disable it, ``CLAUSELINT_CACHE_DIR`` to move it.
"""

from __future__ import annotations

import array
import hashlib
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Only patterns this long are worth storing (spaCy's French TOKEN_MATCH is ~1.4 M characters;
# its prefix/suffix/infix patterns, 10–20 k characters, compile in 15–30 ms).
MIN_PATTERN_LENGTH = 50_000
_FORMAT = 1


def cache_dir() -> Path:
    explicit = os.environ.get("CLAUSELINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "clauselint"


def enabled() -> bool:
    if os.environ.get("CLAUSELINT_REGEX_CACHE", "1").strip().lower() in {"0", "no", "non", "false"}:
        return False
    return _private_api_available()


def _private_api_available() -> bool:
    try:
        import _sre
        from re import _compiler, _parser  # noqa: F401
    except ImportError:
        return False
    return (
        sys.implementation.name == "cpython"
        and hasattr(_sre, "MAGIC")
        and hasattr(_compiler, "_code")
        and isinstance(getattr(re, "_cache", None), dict)
    )


def _build_tag() -> str:
    import _sre

    raw = f"{_FORMAT}|{sys.version}|{_sre.MAGIC}|{_sre.CODESIZE}|{sys.maxunicode}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _file_for(tag: str) -> Path:
    return cache_dir() / f"regex-{tag}.bin"


def _encode(entries: list[tuple[str, int, int, list[int], int, dict[str, int], tuple]]) -> bytes:
    import pickle

    packed = []
    for pattern, key_flags, flags, code, groups, groupindex, indexgroup in entries:
        # array('I') keeps the program compact and loads in milliseconds (a pickled list of
        # 200 k ints takes ten times longer).
        packed.append((pattern, key_flags, flags, array.array("I", code).tobytes(), groups, dict(groupindex), indexgroup))
    return pickle.dumps((_FORMAT, packed), protocol=pickle.HIGHEST_PROTOCOL)


def prime() -> int:
    """Put stored compiled patterns into ``re``'s cache; returns how many were primed."""
    if not enabled():
        return 0
    path = _file_for(_build_tag())
    try:
        data = path.read_bytes()
    except OSError:
        return 0
    import pickle

    import _sre

    try:
        version, packed = pickle.loads(data)
        if version != _FORMAT:
            return 0
        count = 0
        for pattern, key_flags, flags, code_bytes, groups, groupindex, indexgroup in packed:
            code = array.array("I")
            code.frombytes(code_bytes)
            compiled = _sre.compile(pattern, flags, code.tolist(), groups, groupindex, indexgroup)
            re._cache[(str, pattern, key_flags)] = compiled  # type: ignore[attr-defined]
            count += 1
        return count
    except Exception:  # a corrupt or foreign cache file must never break the linter
        return 0


class _Recorder:
    def __init__(self) -> None:
        self.entries: list[tuple[str, int, int, list[int], int, dict[str, int], tuple]] = []


@contextmanager
def recording() -> Iterator[_Recorder]:
    """Compile long patterns as ``re._compiler.compile`` does, keeping their programs."""
    recorder = _Recorder()
    if not enabled():
        yield recorder
        return
    import _sre
    from re import _compiler, _parser

    original = _compiler.compile

    def compile_and_record(p, flags=0):  # mirrors re._compiler.compile (CPython 3.11–3.13)
        if not isinstance(p, str) or len(p) < MIN_PATTERN_LENGTH:
            return original(p, flags)
        parsed = _parser.parse(p, flags)
        code = _compiler._code(parsed, flags)
        groupindex = parsed.state.groupdict
        indexgroup = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        final_flags = flags | parsed.state.flags
        groups = parsed.state.groups - 1
        compiled = _sre.compile(p, final_flags, code, groups, groupindex, tuple(indexgroup))
        recorder.entries.append((p, flags, final_flags, list(code), groups, dict(groupindex), tuple(indexgroup)))
        return compiled

    _compiler.compile = compile_and_record
    try:
        yield recorder
    finally:
        _compiler.compile = original


def save(recorder: _Recorder) -> Path | None:
    """Write what ``recording()`` kept; returns the file, or None when nothing was written."""
    if not recorder.entries or not enabled():
        return None
    path = _file_for(_build_tag())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(_encode(recorder.entries))
        os.replace(tmp, path)
    except OSError:
        return None
    return path
