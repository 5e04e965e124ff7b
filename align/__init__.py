"""align: build Chinese-English parallel corpora from documents."""

__version__ = "0.1.0"
