"""The answer pipeline: validate → detect language → retrieve → answer, timed.

An Engine loads the knowledge, the index and the models once; `ask` is then cheap.
A long-lived engine (the web server) notices when another process swaps in a new
index (`coopbot index`, `coopbot add`) and moves to it between two questions.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .answer import Answer, ExtractiveAnswerer
from .config import Settings
from .conversation import rewrite_followup
from .errors import CoopbotError
from .index import Index, current_build, ensure_index, open_index
from .knowledge import Knowledge, load_knowledge
from .question import analyse_question
from .retrieve import HybridRetriever, Retrieval
from .text import SUPPORTED_LANGS, clean_text, detect_language


@dataclass(frozen=True)
class Loaded:
    """Knowledge and the index built from it, with what reads them: replaced as one piece."""

    knowledge: Knowledge
    index: Index
    retriever: HybridRetriever
    answerer: ExtractiveAnswerer


class Engine:
    def __init__(
        self,
        settings: Settings | None = None,
        mode: str = "hybrid",
        notify: Callable[[str], None] | None = None,
    ) -> None:
        self.settings = settings or Settings.from_env()
        self.mode = mode
        knowledge = load_knowledge(self.settings.knowledge_dir)
        self._loaded = self._assemble(knowledge, ensure_index(self.settings, knowledge, notify))
        self._reload_lock = threading.Lock()
        self._next_check = time.monotonic() + self.settings.index_reload_interval_s
        self._passed_over = ""

    def _assemble(self, knowledge: Knowledge, index: Index) -> Loaded:
        retriever = HybridRetriever(index=index, knowledge=knowledge, settings=self.settings, mode=self.mode)
        return Loaded(knowledge, index, retriever, ExtractiveAnswerer(knowledge, self.settings, index))

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
        """The answer and the ranked units it was chosen from (the evaluation scores both)."""
        started = time.perf_counter()
        text, lang = self.validate(question, lang)
        loaded = self.refresh()
        text = rewrite_followup(text, lang, history, loaded.knowledge.glossary)
        parsed = analyse_question(text, lang, loaded.knowledge.glossary)
        retrieval = loaded.retriever.search(text, lang)
        answer_started = time.perf_counter()
        answer = loaded.answerer.answer(parsed, retrieval)
        answer.question = question
        done = time.perf_counter()
        answer.timings_ms = {
            "retrieve": round(retrieval.elapsed_ms, 2),
            "answer": round((done - answer_started) * 1000, 2),
            "total": round((done - started) * 1000, 2),
        }
        return answer, retrieval
