"""The fixed rate card (``data/services.json``): every fee and duration comes from here, never
from a client."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from pydantic import ConfigDict, Field

from sevamitra.domain import text
from sevamitra.domain.types import Model, Paise, ServiceId
from sevamitra.domain.wages import SkillCategory
from sevamitra.edge.errors import NotFound


class LocalisedName(Model):
    model_config = ConfigDict(frozen=True)

    en: str
    hi: str


class Service(Model):
    model_config = ConfigDict(frozen=True)

    id: ServiceId
    name: LocalisedName
    category: str
    fee_paise: Paise
    duration_minutes: int = Field(gt=0)
    requires_qualification: bool
    skill: SkillCategory = Field(
        description="Skill category under Uttar Pradesh's minimum wages: the floor of job posts for it"
    )


@cache
def rate_card() -> dict[str, Service]:
    raw = json.loads((resources.files("sevamitra.domain") / "services.json").read_text(encoding="utf-8"))
    return {item["id"]: Service.model_validate(item) for item in raw["services"]}


def get_service(service_id: str) -> Service:
    service = rate_card().get(service_id)
    if service is None:
        raise NotFound("unknown_service", f"No service with id {service_id!r} is on the rate card.")
    return service


# --- search: what people type (data/search_terms.json, docs/decisions.md) ------------------------

# Words this short match a word exactly ("ac", "ro", "nal", "car"); longer ones also its beginning
# ("plumb" -> "plumber"), so "car" finds drivers but not carpenters.
_PREFIX_FROM = 4
# A Devanagari word this long (in letters, vowel signs aside) also matches a word of the same
# skeleton: misspelt matras ("मिस्तरी" ~ "मिस्त्री").
_SKELETON_FROM = 3


@dataclass(frozen=True)
class _Vocabulary:
    """One service's words (names, id, category, terms) and phrases: each suffix of a name or
    multi-word term that starts at a word, run together, with the length of that first word."""

    words: frozenset[str]
    skeletons: frozenset[str]
    phrases: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class _Index:
    stopwords: frozenset[str]
    generic: frozenset[str]
    vocabularies: tuple[tuple[Service, _Vocabulary], ...]


def _vocabulary(texts: list[str]) -> _Vocabulary:
    words: set[str] = set()
    phrases: list[tuple[str, int]] = []
    for item in texts:
        item_words = text.words(item)
        if len(item_words) == 1:
            words.update(item_words)
        elif item_words:
            phrases += [("".join(item_words[i:]), len(item_words[i])) for i in range(len(item_words))]
    return _Vocabulary(
        words=frozenset(words),
        skeletons=frozenset(s for w in words if len(s := text.skeleton(w)) >= _SKELETON_FROM),
        phrases=tuple(phrases),
    )


@cache
def _index() -> _Index:
    raw: dict[str, Any] = json.loads(
        (resources.files("sevamitra.domain") / "search_terms.json").read_text(encoding="utf-8")
    )
    vocabularies = []
    for service in rate_card().values():
        texts = [
            service.name.en,
            service.name.hi,
            *service.name.en.replace(":", " ").split(),
            *service.name.hi.replace(":", " ").split(),
            *service.id.split("_"),
            *service.category.split("_"),
            *raw["categories"].get(service.category, []),
            *raw["services"].get(service.id, []),
        ]
        vocabularies.append((service, _vocabulary(texts)))
    return _Index(
        stopwords=frozenset(w for s in raw["stopwords"] for w in text.words(s)),
        generic=frozenset(w for s in raw["generic"] for w in text.words(s)),
        vocabularies=tuple(vocabularies),
    )


def _word_matches(word: str, vocabulary: _Vocabulary) -> bool:
    if word in vocabulary.words:
        return True
    if len(word) >= _PREFIX_FROM and any(v.startswith(word) for v in vocabulary.words):
        return True
    skeleton = text.skeleton(word)
    return skeleton != word and len(skeleton) >= _SKELETON_FROM and skeleton in vocabulary.skeletons


def _phrase_matches(words: list[str], vocabulary: _Vocabulary) -> bool:
    """The query begins a phrase and reaches past its first word: "bijli mistri" (or "bijlimistri")
    begins "bijli mistri", while "mistri" alone is not an electrician's word."""
    joined = "".join(words)
    return any(
        phrase.startswith(joined) and (len(words) > 1 or len(joined) > first)
        for phrase, first in vocabulary.phrases
    )


def search(query: str | None) -> list[Service]:
    """The rate card (in its order) filtered by ``query``: a service matches when every word of
    the query is one of its words (stopwords aside), or the query begins one of its phrases;
    failing any match, generic words ("repair", "mistri") are dropped and the words tried again.
    A blank query is the whole card."""
    index = _index()
    query_words = text.words(query or "")
    if not query_words:
        return [service for service, _ in index.vocabularies]
    content = [w for w in query_words if w not in index.stopwords] or query_words
    attempts = [content]
    specific = [w for w in content if w not in index.generic]
    if specific and specific != content:
        attempts.append(specific)
    for words in attempts:
        found = [
            service
            for service, vocabulary in index.vocabularies
            if all(_word_matches(w, vocabulary) for w in words) or _phrase_matches(query_words, vocabulary)
        ]
        if found:
            return found
    return []
