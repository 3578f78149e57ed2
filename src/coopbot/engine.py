"""The answer pipeline: validate → detect language → retrieve → answer, timed.

An Engine loads the knowledge, the index and the models once; `ask` is then cheap.
With a chat model (configured, or passed in) answers are generated and verified,
and the extractive answer stands in whenever generation fails.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterator

from langchain_core.language_models import BaseChatModel

from .answer import Answer, ExtractiveAnswerer
from .config import Settings
from .conversation import rewrite_followup
from .errors import CoopbotError
from .generate import Generator, make_chat_model
from .index import Index, ensure_index
from .knowledge import Knowledge, load_knowledge
from .question import Question, analyse_question
from .retrieve import HybridRetriever, Retrieval
from .text import SUPPORTED_LANGS, clean_text, detect_language
from .verify import Verifier


class Engine:
    def __init__(
        self,
        settings: Settings | None = None,
        mode: str = "hybrid",
        notify: Callable[[str], None] | None = None,
        chat_model: BaseChatModel | None = None,
    ) -> None:
        self.settings = settings or Settings.from_env()
        self.knowledge: Knowledge = load_knowledge(self.settings.knowledge_dir)
        self.index: Index = ensure_index(self.settings, self.knowledge, notify)
        self.retriever = HybridRetriever(index=self.index, knowledge=self.knowledge, settings=self.settings, mode=mode)
        self.answerer = ExtractiveAnswerer(self.knowledge, self.settings, self.index)
        self.generator = self._generator(chat_model or make_chat_model(self.settings))

    def _generator(self, model: BaseChatModel | None, settings: Settings | None = None) -> Generator | None:
        if model is None:
            return None
        settings = settings or self.settings
        verifier = Verifier.for_knowledge(self.knowledge, settings.verify_cache_size)
        return Generator(model, self.answerer, verifier, settings)

    def with_chat_model(self, model: BaseChatModel | None, settings: Settings | None = None) -> Engine:
        """The same loaded knowledge and index, answering through `model` (None: extractive only);
        `settings` replaces the generation settings (timeout, passages) only."""
        twin = copy.copy(self)
        twin.generator = self._generator(model, settings)
        return twin

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
        parsed, retrieval = self._retrieve(question, lang, history)
        answer_started = time.perf_counter()
        answer = self.answerer.answer(parsed, retrieval)
        if self.generator is not None:
            answer = self.generator.answer(parsed, retrieval, answer)
        return self._timed(answer, question, retrieval, started, answer_started), retrieval

    def ask_stream(self, question: str, lang: str | None = None,
                   history: list[dict] | None = None) -> Iterator[str | Answer]:
        """Generated text so far as it comes (unverified, for display only), then the Answer to show."""
        started = time.perf_counter()
        parsed, retrieval = self._retrieve(question, lang, history)
        answer_started = time.perf_counter()
        answer = self.answerer.answer(parsed, retrieval)
        if self.generator is not None:
            for item in self.generator.stream(parsed, retrieval, answer):
                if isinstance(item, Answer):
                    answer = item
                else:
                    yield item
        yield self._timed(answer, question, retrieval, started, answer_started)

    def standalone_question(self, text: str, lang: str, history: list[dict] | None) -> str:
        """A follow-up resolved from the history: by the chat model when there is one, else structurally."""
        rewritten = self.generator.standalone(text, lang, history) if self.generator and history else None
        return rewritten or rewrite_followup(text, lang, history, self.knowledge.glossary)

    def _retrieve(self, question: str, lang: str | None, history: list[dict] | None) -> tuple[Question, Retrieval]:
        text, lang = self.validate(question, lang)
        text = self.standalone_question(text, lang, history)
        parsed = analyse_question(text, lang, self.knowledge.glossary)
        return parsed, self.retriever.search(text, lang)

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
