"""Stage 6: quality scores for aligned pairs, and translation metrics for ``align score``."""
