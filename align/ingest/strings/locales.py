"""Where a string file says its language: an Android ``values-zh-rCN`` folder, an Apple
``zh-Hans.lproj``, a name's suffix (``Messages_zh_CN.properties``, ``intl_en.arb``,
``client.en.yml``, ``Resources.zh-CN.resx``), a whole name (``zh-CN.json``) or a folder
(``locales/en/translation.json``); and the *family* of a file: its path with the language
taken out, the same for a file and its translations."""

from __future__ import annotations

import re
from types import MappingProxyType
from dataclasses import dataclass
from pathlib import PurePath

# ISO 639-1 codes (and a few 639-2 ones seen in locale folders), to tell a locale from a word.
_LANGUAGES = frozenset((
    "aa ab af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el "
    "en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu "
    "ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na "
    "nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so "
    "sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu "
    "ast ckb fil haw kab yue zgh").split())
_SCRIPTS = MappingProxyType({"hans": "CN", "hant": "TW"})
_ANDROID_QUALIFIER = re.compile(r"^(?P<lang>[a-z]{2,3})(?:-r(?P<region>[A-Z]{2}))?$")
_TAG = re.compile(r"^(?P<lang>[a-zA-Z]{2,3})(?:[-_](?P<script>[A-Za-z]{4}))?(?:[-_](?P<region>[A-Za-z]{2}|\d{3}))?$")
# Chinese variants, the preferred first: the corpus takes one Chinese file per family.
_ZH_PREFERENCE = ("CN", "", "SG", "MY", "TW", "HK", "MO")


@dataclass(frozen=True)
class Locale:
    """A language (``zh``, ``en``, ``de``) and its region or script as a region (``CN`` for
    ``Hans``, ``TW`` for ``Hant``; ``""`` when not said). ``lang`` is ``""`` for a default
    file (``values/``, ``Messages.properties``, ``Base.lproj``): its content says its language."""

    lang: str
    region: str = ""
    tag: str = ""  # as written

    def rank(self) -> tuple[int, str]:
        """How much a Chinese file is preferred (Simplified first)."""
        region = self.region.upper()
        return (_ZH_PREFERENCE.index(region) if region in _ZH_PREFERENCE else len(_ZH_PREFERENCE), self.tag)


def parse_tag(tag: str) -> Locale | None:
    """A locale tag as written in a name (``zh_CN``, ``zh-Hans``, ``b+zh+Hans``, ``en-US``).

    >>> parse_tag("zh_Hans"), parse_tag("b+zh+Hant+TW").region, parse_tag("main")
    (Locale(lang='zh', region='CN', tag='zh_Hans'), 'TW', None)
    """
    if tag.startswith("b+"):
        parts = tag[2:].split("+")
        script = next((p for p in parts[1:] if len(p) == 4), "")
        region = next((p for p in parts[1:] if len(p) in (2, 3) and p.isupper() or p.isdigit()), "")
        lang = parts[0].lower()
        return Locale(lang, region or _SCRIPTS.get(script.lower(), ""), tag) if lang in _LANGUAGES else None
    m = _TAG.match(tag)
    if not m or m.group("lang").lower() not in _LANGUAGES or (tag != tag.lower() and m.group("lang") != m.group("lang").lower()):
        return None
    region = (m.group("region") or _SCRIPTS.get((m.group("script") or "").lower(), "")).upper()
    return Locale(m.group("lang").lower(), region, tag)


def _android(folder: str) -> tuple[Locale | None, str] | None:
    """``values-zh-rCN-night`` -> (zh-CN, ``values-night``); None for a folder not ``values*``."""
    if folder != "values" and not folder.startswith("values-"):
        return None
    parts = folder.split("-")[1:]
    for k, part in enumerate(parts):
        if part.startswith("b+"):
            return parse_tag(part), "-".join(["values"] + parts[:k] + parts[k + 1:])
        m = _ANDROID_QUALIFIER.match(part)
        if m and m.group("lang") in _LANGUAGES:
            taken = 2 if k + 1 < len(parts) and re.fullmatch(r"r[A-Z]{2}", parts[k + 1]) else 1
            region = parts[k + 1][1:] if taken == 2 else ""
            rest = parts[:k] + parts[k + taken:]
            return Locale(m.group("lang"), region, "-".join(parts[k:k + taken])), "-".join(["values"] + rest)
    return Locale(""), folder


@dataclass(frozen=True)
class Placed:
    """A string file's locale and family (its path with the locale written ``*``)."""

    locale: Locale
    family: str


def _suffix_locale(stem: str) -> tuple[Locale, str] | None:
    """A locale at the end of a name: ``client.en``, ``Messages_zh_CN``, ``intl_en``, ``zh-CN``."""
    whole = parse_tag(stem)
    if whole:
        return whole, ""
    pieces = re.split(r"[._-]", stem)
    for size in (3, 2, 1):  # zh_Hant_TW, zh_CN, en
        if len(pieces) > size:
            tail = stem[len(stem) - sum(len(p) + 1 for p in pieces[-size:]) + 1:]
            found = parse_tag(tail)
            if found:
                return found, stem[: len(stem) - len(tail) - 1]
    return None


def place(relative: str) -> Placed:
    """The locale and family of a string file from its path (relative to its input folder).

    >>> place("app/src/main/res/values-zh-rCN/strings.xml")
    Placed(locale=Locale(lang='zh', region='CN', tag='zh-rCN'), family='app/src/main/res/values/strings.xml')
    >>> place("Resources/Messages_zh_CN.properties").family, place("config/locales/client.en.yml").family
    ('Resources/Messages*.properties', 'config/locales/client*.yml')
    >>> place("public/locales/zh-CN/translation.json")
    Placed(locale=Locale(lang='zh', region='CN', tag='zh-CN'), family='public/locales/*/translation.json')
    """
    path = PurePath(relative)
    folders = list(path.parts[:-1])
    name = path.name
    stem, dot, ext = name.rpartition(".") if "." in name else (name, "", "")
    if folders:
        android = _android(folders[-1])
        if android is not None:
            return Placed(android[0] or Locale(""), "/".join(folders[:-1] + [android[1], name]))
        if folders[-1].endswith(".lproj"):
            tag = folders[-1][: -len(".lproj")]
            locale = parse_tag(tag) or Locale("" if tag.lower() == "base" else tag.lower(), "", tag)
            return Placed(locale, "/".join(folders[:-1] + ["*.lproj", name]))
    found = _suffix_locale(stem)
    if found:
        return Placed(found[0], "/".join(folders + [found[1] + "*" + dot + ext]))
    for k in range(len(folders) - 1, -1, -1):
        locale = parse_tag(folders[k])
        if locale:
            return Placed(locale, "/".join(folders[:k] + ["*"] + folders[k + 1:] + [name]))
    return Placed(Locale(""), "/".join(folders + [stem + "*" + dot + ext]))
