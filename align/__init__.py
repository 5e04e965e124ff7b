"""align: build Chinese-English parallel corpora from documents."""

__version__ = "0.1.0"
DISTRIBUTION = "zhen-align"  # the name on PyPI (``align`` there is another project); the import name is align
