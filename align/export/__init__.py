"""Stage 7: export. TMX 1.4b and JSONL corpora, unaligned sentences, edit log and run report."""
