"""Reading and writing files: atomic writes, JSONL, TMX, bead files, XML-safe text."""
