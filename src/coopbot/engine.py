"""The answer pipeline: validate → detect language → retrieve → answer, timed.

An Engine loads the knowledge, the index and the models once; `ask` is then cheap.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from .answer import Answer, ExtractiveAnswerer
from .config import Settings
from .conversation import rewrite_followup
from .errors import CoopbotError
from .index import Index, ensure_index
from .knowledge import Knowledge, load_knowledge
from .question import analyse_question
from .retrieve import HybridRetriever, Retrieval
from .text import SUPPORTED_LANGS, clean_text, detect_language


class Engine:
    def __init__(
        self,
        settings: Settings | None = None,
        mode: str = "hybrid",
        notify: Callable[[str], None] | None = None,
    ) -> None:
        self.settings = settings or Settings.from_env()
        self.knowledge: Knowledge = load_knowledge(self.settings.knowledge_dir)
        self.index: Index = ensure_index(self.settings, self.knowledge, notify)
        self.retriever = HybridRetriever(index=self.index, knowledge=self.knowledge, settings=self.settings, mode=mode)
        self.answerer = ExtractiveAnswerer(self.knowledge, self.settings, self.index)

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
        text = rewrite_followup(text, lang, history, self.knowledge.glossary)
        parsed = analyse_question(text, lang, self.knowledge.glossary)
        retrieval = self.retriever.search(text, lang)
        answer_started = time.perf_counter()
        answer = self.answerer.answer(parsed, retrieval)
        answer.question = question
        done = time.perf_counter()
        answer.timings_ms = {
            "retrieve": round(retrieval.elapsed_ms, 2),
            "answer": round((done - answer_started) * 1000, 2),
            "total": round((done - started) * 1000, 2),
        }
        return answer, retrieval
