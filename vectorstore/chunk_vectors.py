"""What new chunks need embedded, asked of the encoder in one call: passages and sentences.

A chunk is searched by the vector of its text (with its section path) and answered from the
vectors of its sentences. When the store already holds a chunk with the same embedded text
(a renamed or copied file, a passage moved to another document), its vectors are reused,
found by ``text_hash``; the rest, passages and sentences together, go to the encoder as one
list, which it embeds batch by batch, questions first (``encoders.encoder``). Pure but for
that one call: no store here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from vectorstore.encoders.encoder import Encoder, Progress
from vectorstore.records import Chunk, content_hash
from vectorstore.sentence_vectors import pack


def text_hash(chunk: Chunk) -> str:
    """The key of a chunk's vector within a store (whose model is fixed): its embedded text."""
    return content_hash(chunk.indexed_text)[:32]


def embed_chunks(
    encoder: Encoder,
    chunks: Sequence[Chunk],
    known: Mapping[str, list[float]],
    known_sentences: Mapping[str, str],
    progress: Progress | None = None,
) -> tuple[list[list[float]], list[Chunk]]:
    """The vector of each of ``chunks``, and the chunks with their sentence vectors: those
    of ``known`` and ``known_sentences`` (by ``text_hash``) reused, the others embedded."""
    hashes = [text_hash(chunk) for chunk in chunks]
    texts = {h: chunk.indexed_text for h, chunk in zip(hashes, chunks, strict=True)}
    passages = [h for h in dict.fromkeys(hashes) if h not in known]
    pairs = list(zip(hashes, chunks, strict=True))
    sentences = [[] if known_sentences.get(h) else chunk.sentences for h, chunk in pairs]
    wanted = [texts[h] for h in passages] + [sentence for group in sentences for sentence in group]
    vectors = encoder.embed_documents(wanted, progress) if wanted else []
    vector_of = {**known, **dict(zip(passages, vectors, strict=False))}
    start, embedded = len(passages), []
    for (h, chunk), group in zip(pairs, sentences, strict=True):
        packed = pack(vectors[start : start + len(group)]) if group else known_sentences.get(h, "")
        start += len(group)
        embedded.append(replace(chunk, sentence_vectors=packed) if packed else chunk)
    return [vector_of[h] for h in hashes], embedded
