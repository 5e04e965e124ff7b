"""What a translation copies: numbers, Latin names, identifiers, placeholders and URLs.

A Chinese sentence's Latin tokens (``Pod``, ``kubectl``, ``gzip``, ``%s``) and an English
sentence's code-like tokens (with a digit, an underscore, inner capitals or a format
placeholder) reappear in a translation as they are, and their numbers reappear in either
script (``numbers.compare_numbers``). ``copied_token_agreement`` is the share of these
tokens found on the other side less the share missing, in (-1, 1): positive when the
sides share what was copied, negative when one side has tokens the other lacks, 0 when
neither has any. A neighbouring sentence of the same document rarely has the same ones.
"""

from __future__ import annotations

import re

from .numbers import compare_numbers

_LATIN_TOKEN = re.compile(r"%[-+ #0-9.$]*[a-zA-Z]|\{\w*\}|[A-Za-z][A-Za-z0-9_.+#/-]*[A-Za-z0-9+#]")
_CODE_LIKE = re.compile(r"[0-9_%{}#+/]|[a-z][A-Z]|^[A-Z]{2,}$")


def zh_copied_tokens(zh: str) -> set[str]:
    """The Latin tokens of a Chinese text, in lower case.

    >>> sorted(zh_copied_tokens("使用 kubectl 查看 Pod 的 %s 日志。"))
    ['%s', 'kubectl', 'pod']
    """
    return {t.lower() for t in _LATIN_TOKEN.findall(zh)}


def en_copied_tokens(en: str) -> set[str]:
    """The tokens of an English text that a translation copies: identifiers, placeholders,
    acronyms (not its ordinary words), in lower case.

    >>> sorted(en_copied_tokens("Run kubeProxy with %d NODES and the API, see README_v2."))
    ['%d', 'api', 'kubeproxy', 'nodes', 'readme_v2']
    """
    return {t.lower() for t in _LATIN_TOKEN.findall(en) if _CODE_LIKE.search(t)}


def copied_token_agreement(zh: str, en: str) -> float:
    """(found - missing) / (found + missing + 1) over the copied tokens of both sides and
    their strong numbers.

    >>> copied_token_agreement("在 Pod 中运行 3 个容器。", "Run 3 containers in a Pod.")
    0.6667
    >>> copied_token_agreement("在 Pod 中运行 3 个容器。", "The kubelet restarts it after 5 seconds.")
    -0.75
    >>> copied_token_agreement("他笑了。", "He laughed.")
    0.0
    """
    zh_lower, en_lower = zh.lower(), en.lower()
    zh_tokens, en_tokens = zh_copied_tokens(zh), en_copied_tokens(en)
    found = sum(t in en_lower for t in zh_tokens) + sum(t in zh_lower for t in en_tokens)
    missing = len(zh_tokens) + len(en_tokens) - found
    numbers = compare_numbers(zh, en)
    if numbers.zh_strong or numbers.en_strong:
        found += len(numbers.shared)
        missing += len(numbers.zh_only) * numbers.zh_strong + len(numbers.en_only) * numbers.en_strong
    return round((found - missing) / (found + missing + 1), 4)
