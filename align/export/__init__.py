"""Stage 7: export. What the output files hold, and writing them."""
