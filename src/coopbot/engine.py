"""The answer pipeline: validate → detect language → retrieve → answer, timed.

An Engine loads the knowledge, the index and the models once; `ask` is then cheap.
With a chat model (configured, or passed in) answers are generated and verified,
and the extractive answer stands in whenever generation fails.
A long-lived engine (the web server) notices when another process swaps in a new
index (`coopbot index`, `coopbot add`) and moves to it between two questions.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from langchain_core.language_models import BaseChatModel

from .answer import ExtractiveAnswerer
from .compose import Answer
from .config import Settings
from .conversation import rewrite_followup
from .editions import size_ordinals_cache
from .errors import CoopbotError
from .generate import Generator, make_chat_model
from .index import Index, current_build, ensure_index, open_index
from .knowledge import Knowledge, load_knowledge
from .question import Question, analyse_question
from .retrieve import HybridRetriever, Retrieval
from .text import SUPPORTED_LANGS, clean_text, detect_language, size_word_caches
from .verify import Verifier


@dataclass(frozen=True)
class Loaded:
    """Knowledge and the index built from it, with what reads them: replaced as one piece."""

    knowledge: Knowledge
    index: Index
    retriever: HybridRetriever
    answerer: ExtractiveAnswerer
    generator: Generator | None = None


def size_caches(settings: Settings) -> None:
    """Bound the process-wide caches of the text helpers (the engine's own caches read `settings` directly)."""
    size_word_caches(settings.word_cache_size)
    size_ordinals_cache(settings.ordinals_cache_size)


class Engine:
    def __init__(
        self,
        settings: Settings | None = None,
        mode: str = "hybrid",
        notify: Callable[[str], None] | None = None,
        chat_model: BaseChatModel | None = None,
    ) -> None:
        self.settings = settings or Settings.from_env()
        self.mode = mode
        self._chat_model = chat_model or make_chat_model(self.settings)
        self._generation_settings = self.settings
        size_caches(self.settings)
        knowledge = load_knowledge(self.settings.knowledge_dir)
        self._loaded = self._assemble(knowledge, ensure_index(self.settings, knowledge, notify))
        self._reload_lock = threading.Lock()
        self._next_check = time.monotonic() + self.settings.index_reload_interval_s
        self._passed_over = ""

    def _assemble(self, knowledge: Knowledge, index: Index) -> Loaded:
        retriever = HybridRetriever(index=index, knowledge=knowledge, settings=self.settings, mode=self.mode)
        answerer = ExtractiveAnswerer(knowledge, self.settings, index, retriever.quarantined)
        return Loaded(knowledge, index, retriever, answerer, self._generator(knowledge, answerer))

    def _generator(self, knowledge: Knowledge, answerer: ExtractiveAnswerer) -> Generator | None:
        if self._chat_model is None:
            return None
        settings = self._generation_settings
        return Generator(self._chat_model, answerer, Verifier.for_knowledge(knowledge, settings.verify_cache_size),
                         settings)

    def with_chat_model(self, model: BaseChatModel | None, settings: Settings | None = None) -> Engine:
        """The same loaded knowledge and index, answering through `model` (None: extractive only);
        `settings` replaces the generation settings (timeout, passages) only."""
        twin = copy.copy(self)
        twin._chat_model = model
        twin._generation_settings = settings or self.settings
        twin._reload_lock = threading.Lock()
        loaded = self._loaded
        twin._loaded = replace(loaded, generator=twin._generator(loaded.knowledge, loaded.answerer))
        return twin

    def variant(self, mode: str | None = None, **overrides: object) -> Engine:
        """The same loaded knowledge, index and query embeddings, retrieving in `mode` and answering
        with `overrides` of the settings: what the evaluation's baselines, tuning and ablation compare."""
        twin = copy.copy(self)
        twin.settings = replace(self.settings, **overrides)
        twin.mode = mode or self.mode
        twin._reload_lock = threading.Lock()
        loaded = self._loaded
        twin._loaded = twin._assemble(loaded.knowledge, loaded.index)
        twin._loaded.retriever._vectors = loaded.retriever._vectors
        return twin

    def retrieve(self, question: str, lang: str | None = None) -> tuple[Question, Retrieval]:
        """The parsed question and the first-stage retrieval (fusion order), without answering."""
        _, parsed, retrieval = self._retrieve(question, lang, None)
        return parsed, retrieval

    @property
    def knowledge(self) -> Knowledge:
        return self._loaded.knowledge

    @property
    def index(self) -> Index:
        return self._loaded.index

    @property
    def retriever(self) -> HybridRetriever:
        return self._loaded.retriever

    @property
    def answerer(self) -> ExtractiveAnswerer:
        return self._loaded.answerer

    @property
    def generator(self) -> Generator | None:
        return self._loaded.generator

    def refresh(self) -> Loaded:
        """The loaded state, first moved to a newly swapped-in index if one appeared since the last check."""
        now = time.monotonic()
        if now >= self._next_check:
            self._next_check = now + self.settings.index_reload_interval_s
            live = Path(current_build(self.settings)).name
            if live and live not in (self._loaded.index.path.name, self._passed_over):
                self._reload(live)
        return self._loaded

    def _reload(self, live: str) -> None:
        with self._reload_lock:
            if live == self._loaded.index.path.name:
                return
            try:
                knowledge = load_knowledge(self.settings.knowledge_dir)
                index = open_index(self.settings)
            except CoopbotError:
                return  # keep answering from what is loaded; the next check tries again
            if index.manifest.get("knowledge_hash") != knowledge.content_hash:
                self._passed_over = live  # knowledge moved on since that build: wait for the next one
                return
            self._loaded = self._assemble(knowledge, index)

    def validate(self, question: str, lang: str | None = None) -> tuple[str, str]:
        """Clean the question and settle its language, or raise a CoopbotError."""
        if question is None or not question.strip():
            raise CoopbotError("empty_question")
        if len(question) > self.settings.max_question_chars:
            raise CoopbotError("question_too_long", length=len(question), limit=self.settings.max_question_chars)
        text = clean_text(question)
        if not text:
            raise CoopbotError("empty_question")
        if lang is not None and lang not in SUPPORTED_LANGS:
            raise CoopbotError("unsupported_language")
        lang = lang or detect_language(text)
        if lang is None:
            raise CoopbotError("unsupported_language")
        return text, lang

    def ask(self, question: str, lang: str | None = None, history: list[dict] | None = None) -> Answer:
        """Answer one question; `history` (chat messages, oldest first) resolves a follow-up."""
        return self.answer_with_retrieval(question, lang, history)[0]

    def answer_with_retrieval(
        self, question: str, lang: str | None = None, history: list[dict] | None = None
    ) -> tuple[Answer, Retrieval]:
        """The answer and the units it was chosen from, in the answerer's order (the rescored top
        first; `first_stage` keeps the fusion order): the evaluation scores both."""
        started = time.perf_counter()
        loaded, parsed, retrieval = self._retrieve(question, lang, history)
        answer_started = time.perf_counter()
        ranked = loaded.answerer.rank(parsed, retrieval)
        answer = loaded.answerer.answer(parsed, retrieval, ranked)
        retrieval = retrieval.reordered([candidate.unit for candidate in ranked])
        if loaded.generator is not None:
            answer = loaded.generator.answer(parsed, retrieval, answer)
        return self._timed(answer, question, retrieval, started, answer_started), retrieval

    def ask_stream(self, question: str, lang: str | None = None,
                   history: list[dict] | None = None) -> Iterator[str | Answer]:
        """Generated text so far as it comes (unverified, for display only), then the Answer to show."""
        started = time.perf_counter()
        loaded, parsed, retrieval = self._retrieve(question, lang, history)
        answer_started = time.perf_counter()
        answer = loaded.answerer.answer(parsed, retrieval)
        if loaded.generator is not None:
            for item in loaded.generator.stream(parsed, retrieval, answer):
                if isinstance(item, Answer):
                    answer = item
                else:
                    yield item
        yield self._timed(answer, question, retrieval, started, answer_started)

    def standalone_question(self, text: str, lang: str, history: list[dict] | None,
                            loaded: Loaded | None = None) -> str:
        """A follow-up resolved from the history: by the chat model when there is one, else structurally."""
        loaded = loaded or self._loaded
        generator = loaded.generator
        rewritten = generator.standalone(text, lang, history) if generator and history else None
        return rewritten or rewrite_followup(text, lang, history, loaded.knowledge.glossary)

    def _retrieve(self, question: str, lang: str | None,
                  history: list[dict] | None) -> tuple[Loaded, Question, Retrieval]:
        text, lang = self.validate(question, lang)
        loaded = self.refresh()
        text = self.standalone_question(text, lang, history, loaded)
        parsed = self.parse(text, lang, loaded)
        return loaded, parsed, loaded.retriever.search(parsed)

    def parse(self, text: str, lang: str, loaded: Loaded | None = None) -> Question:
        """The one parse of a validated question, with the glossary and the index's learned lexicon."""
        loaded = loaded or self._loaded
        return analyse_question(text, lang, loaded.knowledge.glossary, loaded.index.lexicon)

    @staticmethod
    def _timed(answer: Answer, question: str, retrieval: Retrieval, started: float, answer_started: float) -> Answer:
        answer.question = question
        done = time.perf_counter()
        answer.timings_ms = {
            "retrieve": round(retrieval.elapsed_ms, 2),
            "answer": round((done - answer_started) * 1000, 2),
            "total": round((done - started) * 1000, 2),
        }
        return answer
