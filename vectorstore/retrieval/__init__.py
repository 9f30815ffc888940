"""Retrieval: BM25 over French terms, fusion with the dense search, sentence-level
rescoring, and the per-revision ``Snapshot`` a question reads."""
