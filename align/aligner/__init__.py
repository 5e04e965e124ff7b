"""Stage 5: alignment. Pure numpy algorithms over embeddings (no model is loaded here).

- ``parallel``: monotonic many-to-many alignment of translations (anchors, then a banded DP).
- ``mining``: margin-based mining of comparable texts.
- ``documents``: deciding which documents go together, and how.
"""
