"""Text as people type it, folded so that spellings of one word compare equal (search, districts).

Applied to both sides of every comparison: what is typed and what it is compared with.

- ``fold``: Unicode NFKD (``क़`` -> ``क`` + nukta, ``ﬁ`` -> ``fi``), Latin accents, the nukta and
  invisible format characters (zero-width joiners) dropped, case folded. In Devanagari:
  chandrabindu -> anusvara (``बाँदा`` = ``बांदा``), a nasal consonant + virama before a consonant ->
  anusvara (``प्लम्बर`` = ``प्लंबर``), long i/u -> short (``बीजली`` = ``बिजली``), candra o -> aa
  (``वॉशिंग`` = ``वाशिंग``), candra e -> e. Punctuation and spaces separate words.
- ``romanised``: a Latin word as Hinglish spellings vary: ``ee`` -> ``i``, ``oo`` -> ``u``, ``aa``
  -> ``a``, ``z`` -> ``j`` (``darzi`` = ``darji``), ``w`` -> ``v``, ``ph`` -> ``f``, doubled letters
  single, a final ``y`` -> ``i`` (``mistry`` = ``mistri``), a final ``s`` dropped from longer words.
- ``skeleton``: a Devanagari word without its vowel signs, virama and nasalisation, for a loose
  comparison of words of three or more letters (``मिस्तरी`` ~ ``मिस्त्री``).

Never used for identity numbers: those refuse anything but ASCII digits (types.py).
"""

from __future__ import annotations

import re
import unicodedata

_NUKTA = "\u093c"
_VIRAMA = "\u094d"
_ANUSVARA = "\u0902"
_CHANDRABINDU = "\u0901"
_NASALS = "ङञणनम"
_SIGN_FOLD = str.maketrans(
    {
        _CHANDRABINDU: _ANUSVARA,
        "\u0940": "\u093f",  # vowel sign ii -> i
        "\u0942": "\u0941",  # vowel sign uu -> u
        "\u0949": "\u093e",  # vowel sign candra o -> aa
        "\u0945": "\u0947",  # vowel sign candra e -> e
        "\u0908": "\u0907",  # letter ii -> i
        "\u090a": "\u0909",  # letter uu -> u
        "\u0911": "\u0906",  # letter candra o -> aa
        "\u090d": "\u090f",  # letter candra e -> e
    }
)
_NASAL_CLUSTER = re.compile(f"[{_NASALS}]{_VIRAMA}(?=[\u0915-\u0939])")
_DEVANAGARI_SIGNS = re.compile("[\u093e-\u094c\u094d\u0900-\u0903\u093c]")
_LATIN_WORD = re.compile(r"[a-z0-9]+")
_ROMAN_RULES = (
    (re.compile("ee"), "i"),
    (re.compile("oo"), "u"),
    (re.compile("ph"), "f"),
    (re.compile("z"), "j"),
    (re.compile("w"), "v"),
    (re.compile(r"([a-z])\1+"), r"\1"),
    (re.compile(r"(?<=[a-z]{2})y$"), "i"),
    (re.compile(r"(?<=[a-z]{3})s$"), ""),
)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or unicodedata.category(ch)[0] == "M"


def fold(text: str) -> str:
    """``text`` folded (module docstring), its words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = []
    for ch in decomposed:
        category = unicodedata.category(ch)
        if ch == _NUKTA or category == "Cf" or (category == "Mn" and ch < "\u0900"):
            continue  # nukta, zero-width (non-)joiners, Latin accents
        kept.append(ch if _is_word_char(ch) else " ")
    folded = unicodedata.normalize("NFC", "".join(kept)).casefold().translate(_SIGN_FOLD)
    folded = _NASAL_CLUSTER.sub(_ANUSVARA, folded)
    return " ".join(folded.split())


def romanised(word: str) -> str:
    """A folded Latin word in its Hinglish-tolerant form (other words unchanged)."""
    if not _LATIN_WORD.fullmatch(word):
        return word
    for pattern, replacement in _ROMAN_RULES:
        word = pattern.sub(replacement, word)
    return word


def skeleton(word: str) -> str:
    """A folded Devanagari word without vowel signs, virama and nasalisation."""
    return _DEVANAGARI_SIGNS.sub("", word)


def words(text: str) -> list[str]:
    """The folded words of ``text``, each in its ``romanised`` form."""
    return [romanised(word) for word in fold(text).split()]


def key(text: str) -> str:
    """One comparable string for a whole name: folded, romanised words run together."""
    return "".join(words(text))
