"""Decoding the bytes of a text file: byte-order marks, UTF-8, UTF-16 without BOM, GB18030,
Big5 and the rest through charset-normalizer."""

from __future__ import annotations

import codecs

from ..errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode file content; return ``(text, encoding)``.

    Order: byte-order mark, strict UTF-8, UTF-16 without BOM (by its NUL pattern),
    then charset-normalizer (GB18030, Big5 and the rest). Raises ``InputError`` for
    binary content.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", "")
            except UnicodeDecodeError as exc:  # a BOM that lies, a cut file, lone surrogates
                raise InputError(f"not valid {encoding.replace('-sig', '')} after its byte-order mark "
                                 f"({exc.reason} at byte {exc.start})") from exc
    guessed = _guess_utf16(data) if b"\x00" in data else None
    if guessed:
        return data.decode(guessed), guessed
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            return data[: exc.start].decode("utf-8"), "utf-8"  # a file cut inside its last character
        guessed = _guess_utf16(data)
        if guessed:
            return data.decode(guessed), guessed
    else:
        if "\x00" in text:
            raise InputError("binary content (NUL bytes)")
        return text, "utf-8"
    if b"\x00" in data:
        raise InputError("binary content (NUL bytes)")
    cjk = _best_cjk_decoding(data)
    if cjk and cjk[2] >= 0.8:
        return cjk[0], cjk[1]
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_8", "cp1252", "latin_1"]).best()
    if best is None and cjk and cjk[2] >= 0.5:
        return cjk[0], cjk[1]
    if best is None:
        raise InputError("cannot detect the text encoding (binary file?)")
    encoding = best.encoding
    text = str(best)
    if _control_share(text) > 0.05:
        raise InputError("binary content (control characters)")
    return text, encoding.replace("_", "-")


def _is_common_han(ch: str) -> bool:
    """A Han character among the common ones: GB2312 level 1 (the 3,755 most used simplified
    characters) or Big5's frequently used characters (lead bytes A4-C6)."""
    for encoding, low, high in (("gb2312", 0xB0, 0xD7), ("big5", 0xA4, 0xC6)):
        try:
            if low <= ch.encode(encoding)[0] <= high:
                return True
        except UnicodeEncodeError:
            pass
    return False


def _common_han_share(text: str) -> float:
    """Share of common Han characters among the Han and odd characters (kana, Greek, Cyrillic,
    box drawing, private use) of a decoding: high for the right Chinese encoding, low for a wrong one.

    >>> _common_han_share("學習的基礎知識，學習的基礎知識"), round(_common_han_share("ﾑｦｧ" * 10 + "學習的基礎知識" * 2), 2)
    (1.0, 0.32)
    """
    han = odd = common = 0
    for ch in text[:20000]:
        code = ord(ch)
        if 0x4E00 <= code <= 0x9FFF:
            han += 1
            common += _is_common_han(ch)
        elif 0x0370 <= code <= 0x04FF or 0x2500 <= code <= 0x257F or 0x3040 <= code <= 0x30FF \
                or 0xE000 <= code <= 0xF8FF or 0xFF61 <= code <= 0xFF9F:
            odd += 1
    return common / (han + odd) if han >= 10 else 0.0


def _best_cjk_decoding(data: bytes) -> tuple[str, str, float] | None:
    """The strict GB18030 or Big5 decoding whose characters look most like Chinese text."""
    best = None
    for encoding in ("gb18030", "big5", "big5hkscs"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        share = _common_han_share(text)
        if best is None or share > best[2]:
            best = (text, encoding, share)
    return best


def _guess_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: the byte order whose decoding is almost all plausible text
    (ASCII, CJK, common punctuation); random binary decodes to characters all over the map."""
    if len(data) < 4 or len(data) % 2:
        return None
    best, best_share = None, 0.0
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        share = sum(1 for ch in text if _plausible(ch)) / len(text)
        if share > best_share:
            best, best_share = encoding, share
    return best if best_share >= 0.9 else None


def _plausible(ch: str) -> bool:
    code = ord(ch)
    return (
        (32 <= code < 127)
        or ch in "\n\r\t"
        or 0x4E00 <= code <= 0x9FFF
        or 0x3000 <= code <= 0x303F
        or 0xFF00 <= code <= 0xFFEF
        or 0x2000 <= code <= 0x206F
        or 0x00A0 <= code <= 0x024F
    )


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f") or 0xFFF0 <= ord(ch) <= 0xFFFF)
    return bad / len(text)
