"""Hybrid cross-lingual retrieval: dense (Chroma) and BM25, fused by reciprocal rank.

Sentences are grouped into *units* — an original sentence and its aligned
translation — so that a Vietnamese question finds the French line of a fact and
vice versa, and the answer can be written in the asker's language.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
from cachetools import LRUCache
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, PrivateAttr

from .config import Settings
from .diacritics import DiacriticRestorer
from .index import Index
from .instructions import instruction_like
from .knowledge import Knowledge, forms_by_language
from .lexicon import Lexicon
from .question import Question, analyse_question
from .text import SUPPORTED_LANGS, analyse, detect_language, typed_plain


@dataclass
class Unit:
    """One statement (an original sentence and its translations) with its retrieval evidence."""

    unit_id: str
    sentence_ids: list[str] = field(default_factory=list)
    rrf: float = 0.0
    dense: float = 0.0  # best cosine similarity of any of its sentences (language versions)
    similarity: float = 0.0  # cosine similarity to the question averaged over its readings (_measure_similarity)
    glossed: float = 0.0  # in the other language only: how much closer the glossed question is (glossed_question)
    bm25: float = 0.0


@dataclass
class Retrieval:
    units: list[Unit]
    query_vector: np.ndarray | None
    dense_top: float
    elapsed_ms: float
    first_stage: list[str] = field(default_factory=list)  # unit ids in fusion order, once re-ordered

    def reordered(self, leading: list[Unit]) -> Retrieval:
        """The same units with `leading` first (the answerer's rescoring of the top), the rest in
        fusion order; the fusion order is kept in `first_stage` for evaluation."""
        ids = {unit.unit_id for unit in leading}
        rest = [unit for unit in self.units if unit.unit_id not in ids]
        return replace(self, units=[*leading, *rest],
                       first_stage=self.first_stage or [unit.unit_id for unit in self.units])


def expand_query(question: Question, expansion_weight: float = 1.0,
                 lexicon: Lexicon | None = None) -> dict[str, float]:
    """Weighted BM25 tokens: the parsed question's own (`Question.query_tokens`, by count), then the
    glossary forms of the terms it names (`Question.terms`: retrieval and the answer step read the
    question alike) and the other language's words for its own (`lexicon`), each token once and at
    `expansion_weight`, so that an entity with many forms does not outweigh the words that say what is
    asked about it."""
    query: dict[str, float] = {}
    own = list(question.query_tokens)
    for token in own:
        query[token] = query.get(token, 0.0) + 1.0
    for token in lexicon.translate(own, question.lang) if lexicon is not None else []:
        query.setdefault(token, expansion_weight)
    for form_lang, forms in forms_by_language(question.terms).items():
        for form in dict.fromkeys(forms):
            for token in analyse(form, form_lang):
                if token.startswith(("f:", "v:")):
                    query.setdefault(token, expansion_weight)
    return query


def quarantined_units(knowledge: Knowledge, min_encoded_chars: int) -> frozenset[str]:
    """Units one of whose versions addresses the assistant: never retrieved, so never quoted or handed on."""
    return frozenset(
        knowledge.unit_id(line.id)
        for article in knowledge.articles.values()
        for line in article.lines
        if instruction_like(line.text, min_encoded_chars)
    )


class HybridRetriever(BaseRetriever):
    """LangChain retriever over the coopbot index; `mode` selects hybrid, dense or bm25."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: Index
    knowledge: Knowledge
    settings: Settings
    mode: Literal["hybrid", "dense", "bm25"] = "hybrid"
    _vectors: LRUCache = PrivateAttr(default=None)
    _quarantined: frozenset[str] = PrivateAttr(default=frozenset())
    _restorer: DiacriticRestorer | None = PrivateAttr(default=None)
    _one_language: dict[str, bool] = PrivateAttr(default_factory=dict)  # are there sentences without a `lang` version?

    def model_post_init(self, context: object) -> None:
        self._vectors = LRUCache(maxsize=self.settings.query_cache_size)
        self._quarantined = quarantined_units(self.knowledge, self.settings.encoded_payload_min_chars)
        self._one_language = {lang: any(self.knowledge.aligned(line.id, lang) is None
                                        for article in self.knowledge.articles.values() for line in article.lines)
                              for lang in SUPPORTED_LANGS}

    @property
    def quarantined(self) -> frozenset[str]:
        """The units never retrieved (`quarantined_units`), scanned once per loaded knowledge."""
        return self._quarantined

    def embed_query(self, question: str) -> np.ndarray:
        """Query embedding, remembered for repeated questions (delegates often ask the same); kept as
        float32, the precision the vector store searches in, at an eighth of a list of floats' memory.
        A cache of size 0 (`COOPBOT_QUERY_CACHE_SIZE=0`, to time the embedder) keeps nothing."""
        vector = self._vectors.get(question)
        if vector is None:
            vector = np.asarray(self.index.embedder.embed_query(question), dtype=np.float32)
            if self._vectors.maxsize:
                self._vectors[question] = vector
        return vector

    def dense_query(self, question: str, lang: str) -> str:
        """What the embedder reads: Vietnamese typed without tone marks gets them back first."""
        if lang != "vi" or not typed_plain(question):
            return question
        if self._restorer is None:
            self._restorer = DiacriticRestorer(
                [line.text for article in self.knowledge.articles.values() if article.lang == "vi"
                 for line in article.lines]
                + [form for entry in self.knowledge.glossary.entries for form in entry.vi])
        return self._restorer.restore(question)

    def search(self, question: Question) -> Retrieval:
        """Dense and BM25 ranked lists, fused. The embedder reads the question as typed; BM25 reads its
        one parse (`expand_query`), the parse the answer step reads too."""
        started = time.perf_counter()
        units: dict[str, Unit] = {}
        vector, other_vector, dense_top, lang = None, None, 0.0, question.lang
        if self.mode in ("hybrid", "dense"):
            asked = self.dense_query(question.text, lang)
            vector = self.embed_query(asked)
            dense = self.index.dense_search(vector, self.settings.first_stage_k)
            dense_top = dense[0][1] if dense else 0.0
            self._fuse(units, dense, "dense")
            if self._one_language.get(lang):
                self._fuse(units, self._other_language_only(vector, lang), "dense")
                glossed = self.glossed_question(asked, lang)
                other_vector = self.embed_query(glossed) if glossed else None
        if self.mode in ("hybrid", "bm25"):
            bm25 = self.index.bm25_search(
                expand_query(question, self.settings.weight_expansion, self.index.lexicon), self.settings.first_stage_k)
            self._fuse(units, bm25, "bm25", self.settings.weight_bm25)
        ranked = sorted(units.values(), key=lambda u: -u.rrf)
        if vector is not None:
            self._measure_similarity(ranked[: self.settings.count_pool], vector, lang)
        if other_vector is not None:
            self._measure_glossed(ranked[: self.settings.count_pool], other_vector, lang)
        return Retrieval(ranked, vector, dense_top, (time.perf_counter() - started) * 1000)

    def _measure_similarity(self, units: list[Unit], vector: np.ndarray, lang: str) -> None:
        """Each unit's similarity to the question in every language it is written in, from the stored vectors:
        its best version (`dense`) and the mean (`similarity`). The answer step weighs the mean: the best of
        two noisy measures runs higher than a one-language document's single one, which would lose to
        translated units it is as close to. A unit in one language only is read a second time after its
        article's title (`Index.in_context`) and, for a question in the other language (`lang` is the asker's)
        when the lexicon links some of its words, a third time with them in that language (`Index.glossed`); the
        mean is of those readings. Units only BM25 found are measured too (their `dense` was 0), so that every
        candidate is compared on one scale."""
        written = {unit.unit_id: self.knowledge.versions(unit.sentence_ids[0]) for unit in units}
        vectors = self.index.vectors([line.id for lines in written.values() for line in lines.values()])
        for unit in units:
            lines = written[unit.unit_id]
            versions = [float(vectors[line.id] @ vector) for line in lines.values() if line.id in vectors]
            if not versions:
                continue
            unit.dense = max(unit.dense, *versions)
            readings = versions + (self._extra_readings(next(iter(lines.values())).id, vector, lang in lines)
                                   if len(versions) == 1 else [])
            unit.similarity = sum(readings) / len(readings)

    def _extra_readings(self, line_id: str, vector: np.ndarray, same_language: bool) -> list[float]:
        """A one-language sentence's similarity read after its title, and, asked in the other language, read
        with its linked words in that language (none where the index stores no such reading)."""
        extra = [self.index.in_context.get(line_id)] + ([] if same_language else [self.index.glossed.get(line_id)])
        return [float(reading @ vector) for reading in extra if reading is not None]

    def glossed_question(self, text: str, lang: str) -> str | None:
        """The question with the words the lexicon links written in the other language (a mixed text the
        multilingual embedder may read closer to a passage in that language); None when none is linked."""
        return self.index.lexicon.glossed(text, lang, "fr" if lang == "vi" else "vi")

    def _measure_glossed(self, units: list[Unit], other_vector: np.ndarray, lang: str) -> None:
        """For each unit the knowledge has only in the other language: how much closer its sentence is to
        the glossed question than the question as asked is to it (`similarity`, the mean of its sentence's
        and its in-context reading; 0 when not closer). Reading the glossed question in context as well
        was measured and loses (held-out devgrowth 0.558 against 0.581 in the documents' language)."""
        other_only: dict[str, Unit] = {}
        for unit in units:
            versions = self.knowledge.versions(unit.sentence_ids[0])
            if lang not in versions:
                other_only.update({line.id: unit for line in versions.values()})
        for line_id, vector in self.index.vectors(list(other_only)).items():
            unit = other_only[line_id]
            unit.glossed = max(0.0, float(vector @ other_vector) - unit.similarity)

    def _other_language_only(self, vector: np.ndarray, lang: str) -> list[tuple[str, float]]:
        """The closest sentences the knowledge has only in the other language (added, untranslated
        documents), ranked among themselves: in the common lists, same-language sentences crowd them out
        (BM25 cannot match them, and cross-lingual similarity runs lower)."""
        return self.index.dense_search(vector, self.settings.first_stage_k, where={f"in_{lang}": False})

    def _fuse(self, units: dict[str, Unit], ranking: list[tuple[str, float]], kind: str,
              weight: float | None = None) -> None:
        for rank, (sentence_id, score) in enumerate(ranking, start=1):
            unit_id = self.knowledge.unit_id(sentence_id)
            if unit_id in self._quarantined:
                continue
            unit = units.setdefault(unit_id, Unit(unit_id))
            unit.sentence_ids.append(sentence_id)
            weight = 1.0 if weight is None else weight
            unit.rrf += weight / (self.settings.rrf_k + rank)
            setattr(unit, kind, max(getattr(unit, kind), score))

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        lang = detect_language(query) or "fr"
        result = self.search(analyse_question(query, lang, self.knowledge.glossary, self.index.lexicon))
        docs = []
        for unit in result.units[: self.settings.top_k]:
            line = self.knowledge.aligned(unit.sentence_ids[0], lang) or self.knowledge.line(unit.sentence_ids[0])
            docs.append(Document(page_content=line.text, id=line.id,
                                 metadata={"unit_id": unit.unit_id, "rrf": unit.rrf, "dense": unit.dense}))
        return docs
