"""A deterministic translator for the evaluation: reference translations served as a LangChain chat model.

`coopbot eval --translate` adds the growth documents with it through the same `Translator` and
`add_documents` path as `coopbot add --translate`.  The model answers each numbered-lines prompt by
looking every line up in a table (source line → translation); a line the table lacks comes back
as it was, so the line check keeps it in the source language and lists it.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from langchain_core.language_models.chat_models import SimpleChatModel
from langchain_core.messages import BaseMessage

REFERENCE_MODEL_NAME = "reference-translations"
_NUMBERED_LINE = re.compile(r"^\[(\d+)\] (.*)$", re.M)


def load_reference_table(folder: Path) -> dict[str, str]:
    """Every `*.json` file of `folder` (one per document: {source line: translation}) in one table."""
    table: dict[str, str] = {}
    for path in sorted(folder.glob("*.json")):
        table.update(json.loads(path.read_text(encoding="utf-8")))
    return table


def prompt_lines(prompt: str) -> list[tuple[str, str]]:
    """The (number, source line) pairs fenced in a translation prompt's <text>, unescaped."""
    text = prompt.split("<text>", 1)[-1].split("</text>", 1)[0]
    return [(n, html.unescape(line)) for n, line in _NUMBERED_LINE.findall(text)]


def reply_from_table(prompt: str, table: dict[str, str]) -> str:
    return "\n".join(f"[{n}] {table.get(line, line)}" for n, line in prompt_lines(prompt))


class ReferenceTranslator(SimpleChatModel):
    """Answers a translation prompt from a fixed table; no network, same reply every time."""

    table: dict[str, str]
    model_name: str = REFERENCE_MODEL_NAME

    @property
    def _llm_type(self) -> str:
        return REFERENCE_MODEL_NAME

    def _call(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None,
              **kwargs: Any) -> str:
        return reply_from_table(str(messages[-1].content), self.table)
