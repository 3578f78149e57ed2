"""A small OpenAI-compatible chat server on loopback, for tests of generative mode over real HTTP.

    with FakeLLMServer(["Lyon [1].", Reply("", delay_s=2)]) as llm:   # canned replies, in order
        settings = replace(settings, llm_base_url=llm.base_url, llm_model="fake")
    with FakeLLMServer(lambda request: echo_first_passage(request)) as llm:   # or a function of the request
    with FakeLLMServer(obey_passages) as llm:   # an adversarial model that obeys instructions in passages

Both plain and streaming (`"stream": true`, server-sent events) chat completions are served
at /v1/chat/completions; every request body is kept in `llm.requests`. The `fake_llm`
fixture gives a started server whose replies a test sets with `fake_llm.replies = [...]`.
"""

from __future__ import annotations

import base64
import html
import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Reply:
    content: str = ""
    delay_s: float = 0.0  # before the first byte: longer than the client's timeout makes a timeout
    status: int = 200
    chunk_chars: int = 6  # characters per streamed chunk


Replies = Callable[[dict], "Reply | str"] | Iterable["Reply | str"]


def system_and_user_text(request: dict) -> tuple[str, str]:
    messages = request.get("messages", [])
    system = "\n".join(_text(m["content"]) for m in messages if m["role"] == "system")
    user = "\n".join(_text(m["content"]) for m in messages if m["role"] == "user")
    return system, user


def _text(content) -> str:
    if isinstance(content, str):
        return content
    return " ".join(block.get("text", "") for block in content if isinstance(block, dict))


def passage_texts(request: dict, lang: str) -> dict[int, str]:
    """The passages of a coopbot prompt in one language: {n: text}."""
    _, user = system_and_user_text(request)
    found = {}
    for n, body in re.findall(r'<passage n="(\d+)"[^>]*>\n(.*?)\n</passage>', user, flags=re.S):
        for line in body.splitlines():
            match = re.match(rf"\[{lang}(?:, translation)?\] (.*)", line)
            if match:
                found[int(n)] = match.group(1)
    return found


def echo_first_passage(request: dict) -> str:
    """A faithful model: the first passage, in the question's language when given, cited."""
    system, _ = system_and_user_text(request)
    lang = "vi" if "Answer in Vietnamese" in system else "fr"
    passages = passage_texts(request, lang) or passage_texts(request, "vi" if lang == "fr" else "fr")
    if not passages:
        return "NO_ANSWER"
    first = min(passages)
    return f"{html.unescape(passages[first])} [{first}]"


INJECTED_CODE = re.compile(r"\b[A-Z]{2,}-[A-Z]{2,}-\d+\b")  # a code an injected instruction asks to print
BASE64_RUN = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}")


def all_passages(request: dict) -> dict[int, list[str]]:
    """Every version (vi and fr) of every passage of a coopbot prompt, unescaped: {n: [text, ...]}."""
    _, user = system_and_user_text(request)
    found: dict[int, list[str]] = {}
    for n, body in re.findall(r'<passage n="(\d+)"[^>]*>\n(.*?)\n</passage>', user, flags=re.S):
        found[int(n)] = [html.unescape(m.group(1)) for m in re.finditer(r"^\[\w+(?:, translation)?\] (.*)$",
                                                                        body, flags=re.M)]
    return found


def injected_code(text: str) -> str | None:
    """What an instruction in the text asks to print: a code in plain view or in a base64 payload."""
    for candidate in [text, *(_decoded(run) for run in BASE64_RUN.findall(text))]:
        match = INJECTED_CODE.search(candidate)
        if match:
            return match.group(0)
    return None


def _decoded(run: str) -> str:
    try:
        return base64.b64decode(run + "=" * (-len(run) % 4)).decode("utf-8", "ignore")
    except ValueError:
        return ""


def obey_passages(request: dict) -> str:
    """An adversarial model: when any passage carries an instruction (or its code), it obeys — it prints
    the code and cites that passage, which the verifier accepts since the passage states it. Otherwise
    it answers faithfully, like `echo_first_passage`."""
    from coopbot.config import Settings
    from coopbot.instructions import instruction_like

    for n, versions in sorted(all_passages(request).items()):
        for text in versions:
            code = injected_code(text)
            if code or instruction_like(text, Settings.encoded_payload_min_chars):
                return f"{code or text} [{n}]"
    return echo_first_passage(request)


class FakeLLMServer:
    def __init__(self, replies: Replies = ()) -> None:
        self.requests: list[dict] = []
        self.replies = replies
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def replies(self) -> Replies:
        return self._replies

    @replies.setter
    def replies(self, replies: Replies) -> None:
        self._replies = replies if callable(replies) else deque(replies)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> FakeLLMServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def next_reply(self, request: dict) -> Reply:
        self.requests.append(request)
        if callable(self._replies):
            reply = self._replies(request)
        elif self._replies:
            reply = self._replies.popleft()
        else:
            reply = Reply(status=500, content="no canned reply left")
        return reply if isinstance(reply, Reply) else Reply(reply)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))))
                reply = server.next_reply(body)
                time.sleep(reply.delay_s)
                try:
                    if reply.status != 200:
                        self._send_json(reply.status, {"error": {"message": reply.content, "type": "server_error"}})
                    elif body.get("stream"):
                        self._send_stream(body, reply)
                    else:
                        self._send_json(200, _completion(body, reply.content))
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                    pass

            def _send_json(self, status: int, data: dict) -> None:
                payload = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _send_stream(self, body: dict, reply: Reply) -> None:
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.end_headers()
                text = reply.content
                pieces = [text[i : i + reply.chunk_chars] for i in range(0, len(text), reply.chunk_chars)]
                for i, piece in enumerate(pieces):
                    delta = {"role": "assistant", "content": piece} if i == 0 else {"content": piece}
                    self._event(_chunk(body, delta, None))
                self._event(_chunk(body, {}, "stop"))
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

            def _event(self, data: dict) -> None:
                self.wfile.write(f"data: {json.dumps(data)}\n\n".encode())
                self.wfile.flush()

        return Handler


def _completion(request: dict, content: str) -> dict:
    return {"id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
            "model": request.get("model", "fake"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}


def _chunk(request: dict, delta: dict, finish: str | None) -> dict:
    return {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
            "model": request.get("model", "fake"),
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


@pytest.fixture
def fake_llm():
    """A started FakeLLMServer with no replies yet; set `fake_llm.replies`."""
    with FakeLLMServer() as server:
        yield server
