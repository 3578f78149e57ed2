"""The HTTP face: FastAPI JSON API under /api, with the Gradio UI mounted at /."""

from __future__ import annotations

import base64
import binascii
import secrets
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .compose import Citation
from .config import Settings
from .engine import Engine
from .errors import CoopbotError
from .feedback import FeedbackStore
from .ratelimit import ClientRateLimiter

CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; "
       "object-src 'none'; base-uri 'self'")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


class HistoryMessage(BaseModel):
    role: Literal["user", "assistant", "system"]
    content: str | list[dict] = ""


class AskRequest(BaseModel):
    question: str = Field(..., description="The question, in Vietnamese or French (≤ 2000 characters).")
    lang: Literal["vi", "fr"] | None = Field(None, description="Force the question's language.")
    history: list[HistoryMessage] | None = Field(None, max_length=50, description="Earlier turns, oldest first.")


class AnswerModel(BaseModel):
    question: str
    language: Literal["vi", "fr"]
    answer: str
    abstained: bool
    mode: Literal["extractive", "generative"]
    fallback_reason: str | None
    citations: list[Citation]
    timings_ms: dict[str, float]


class BriefRequest(BaseModel):
    topic: str = Field(..., description="A topic: free text or a glossary term.")
    lang: Literal["vi", "fr"] | None = None


class BriefModel(BaseModel):
    topic: str
    language: Literal["vi", "fr"]
    markdown: str
    references: list[Citation]


class FeedbackRequest(BaseModel):
    rating: Literal[1, -1]
    question: str = Field(..., max_length=2000)
    answer: str = Field(..., max_length=20000)
    citations: list[dict] = Field(default_factory=list, max_length=20)
    comment: str = Field("", max_length=2000)
    language: Literal["vi", "fr", ""] = ""
    answer_id: str | None = Field(None, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$",
                                  description="The answer voted on: a later vote with the same id replaces this one.")


class ExportQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fmt: Literal["csv", "jsonl"] = "jsonl"


class ErrorModel(BaseModel):
    detail: dict[str, str]


SECURITY = HTTPBasic(auto_error=False)
Credentials = Annotated[HTTPBasicCredentials | None, Depends(SECURITY)]
ERRORS = {status: {"model": ErrorModel} for status in (401, 403, 413, 422, 429)}
EXPORT_TYPES = {"text/csv": {"schema": {"type": "string"}}, "application/x-ndjson": {"schema": {"type": "string"}}}
STATUS_BY_CODE = {"question_too_long": 413, "index_unavailable": 503, "chroma_unreachable": 503}


class Service:
    """The engine and stores behind the API and the UI, loaded once at start-up."""

    def __init__(self, settings: Settings | None = None, engine: Engine | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.engine = engine or Engine(self.settings)
        self.feedback = FeedbackStore(self.settings.feedback_path)

    def ask(self, question: str, lang: str | None = None, history: list[dict] | None = None):
        """Safe to call from several threads: the index and the embedder are read-only once loaded."""
        return self.engine.ask(question, lang, history)

    def ask_stream(self, question: str, lang: str | None = None, history: list[dict] | None = None):
        """Generated text as it comes (shown while it is checked), then the Answer to show."""
        return self.engine.ask_stream(question, lang, history)

    def brief(self, topic: str, lang: str | None = None):
        from .brief import build_briefing

        return build_briefing(self.engine, topic, lang)

    def documents(self) -> list[dict]:
        return [
            {**a.public_meta(), "sentences": len(a.lines)}
            for a in sorted(self.engine.knowledge.articles.values(), key=lambda a: (a.origin_id, a.lang != "vi"))
        ]


def staff_credentials_ok(authorization: str, settings: Settings) -> bool:
    """An "Authorization" header carrying the staff token: Bearer <token>, or Basic staff_user:<token>."""
    token = settings.staff_token
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer":
        return secrets.compare_digest(value.strip().encode(), token.encode())
    if scheme.lower() != "basic":
        return False
    try:
        user, _, password = base64.b64decode(value.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return secrets.compare_digest(user.encode(), settings.staff_user.encode()) & \
        secrets.compare_digest(password.encode(), token.encode())


def _error(error: CoopbotError, lang: str | None, status: int | None = None,
           headers: dict[str, str] | None = None) -> HTTPException:
    message = error.message(lang) if lang else error.bilingual()
    return HTTPException(status or STATUS_BY_CODE.get(error.code, 422), detail={"code": error.code, "message": message},
                         headers=headers)


def _refusal(status: int, error: CoopbotError, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content={"detail": {"code": error.code, "message": error.bilingual()}},
                        headers=headers)


def _foreign_origin(request: Request, allowed: set[str]) -> str | None:
    """The Origin of a cross-site state-changing request (not this server's, not allowed), else None."""
    origin = request.headers.get("origin")
    if origin is None or request.method.upper() not in ("POST", "PUT", "PATCH", "DELETE"):
        return None
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    return None if origin.rstrip("/") in allowed | {own} else origin


class EarlyRefusals:
    """A plain ASGI middleware in front of routing, FastAPI and Gradio alike: refusals decided from the
    headers alone (foreign origin, oversized body, over-limit client) cost one small response and no
    body read, search or log line; every response gets the security headers."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.limiter = ClientRateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst,
                                         settings.rate_limit_burst_seconds, settings.rate_limit_strikes,
                                         settings.rate_limit_penalty_s)
        self.rate_limited: dict[int, JSONResponse] = {}  # by seconds to wait: one body rendered per value
        self.allowed_origins = {o.strip().rstrip("/") for o in settings.allowed_origins.split(",") if o.strip()}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self.refusal(Request(scope))
        if refusal is not None:
            await refusal(scope, receive, with_security_headers(send))
            return
        await self.app(scope, receive, with_security_headers(send))

    def refusal(self, request: Request) -> JSONResponse | None:
        origin = _foreign_origin(request, self.allowed_origins)
        if origin is not None:
            return _refusal(403, CoopbotError("forbidden_origin", origin=origin[:100]))
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > self.settings.max_request_bytes:
            return _refusal(413, CoopbotError("request_too_large", limit=self.settings.max_request_bytes))
        if self.limiter.applies_to(request.method):
            retry = self.limiter.retry_after(request.client.host if request.client else "unknown")
            if retry:
                return self.rate_limited_response(retry)
        return None

    def rate_limited_response(self, retry: int) -> JSONResponse:
        """The 429 for `retry` seconds, rendered once (with the security headers, so sending it alters
        nothing): a flooder's refusals then cost no JSON encoding or message formatting."""
        response = self.rate_limited.get(retry)
        if response is None:
            error = CoopbotError("rate_limited", limit=self.settings.rate_limit_per_minute, retry=retry)
            response = self.rate_limited[retry] = _refusal(429, error, {"Retry-After": str(retry),
                                                                        **SECURITY_HEADERS})
        return response


def with_security_headers(send: Send) -> Send:
    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            for name, value in SECURITY_HEADERS.items():
                headers.setdefault(name, value)
        await send(message)

    return send_with_headers


def _validation_message(error: RequestValidationError) -> str:
    problems = [f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in error.errors()[:3]]
    return "; ".join(problems) or "malformed body"


def create_api(service: Service) -> FastAPI:
    settings = service.settings
    # The docs pages' Swagger UI and ReDoc assets are served by the app itself: its CSP blocks any CDN.
    api = FastAPIOffline(title="coopbot", version="0.1.0", static_url="/docs-assets",
                         swagger_ui_parameters={"validatorUrl": None},
                         description="Cited answers, in Vietnamese or French, on Vietnam–France decentralised cooperation.")
    api.add_middleware(EarlyRefusals, settings=settings)

    def authorised(credentials: Credentials) -> None:
        if not settings.auth_password:
            return
        ok = credentials is not None and secrets.compare_digest(credentials.username, settings.auth_user or "coopbot") \
            and secrets.compare_digest(credentials.password, settings.auth_password)
        if not ok:
            raise HTTPException(401, detail={"code": "unauthorised", "message": "authentication required"},
                                headers={"WWW-Authenticate": "Basic"})

    guarded = [Depends(authorised)] if settings.auth_password else []  # the schema declares auth only when it is on

    def staff_only(request: Request) -> None:
        """The feedback export holds every comment: staff credentials always, refused when none are set."""
        if not settings.staff_token:
            raise _error(CoopbotError("export_disabled"), None, 403)
        if not staff_credentials_ok(request.headers.get("authorization", ""), settings):
            raise _error(CoopbotError("staff_only"), None, 401, {"WWW-Authenticate": 'Basic realm="coopbot staff"'})

    @api.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        """Every error body is {"detail": {"code", "message"}}; an unparsable body is a 422 like any malformed one."""
        if error.status_code == 400:
            return _refusal(422, CoopbotError("invalid_request", detail=str(error.detail)[:500]))
        detail = error.detail if isinstance(error.detail, dict) else {"code": f"http_{error.status_code}",
                                                                       "message": str(error.detail)}
        return JSONResponse(status_code=error.status_code, content={"detail": detail}, headers=error.headers)

    @api.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        return _refusal(422, CoopbotError("invalid_request", detail=_validation_message(error)[:500]))

    @api.post("/api/ask", response_model=AnswerModel, responses=ERRORS, dependencies=guarded)
    def ask(request: AskRequest) -> dict:
        try:
            history = [m.model_dump() for m in request.history] if request.history else None
            return service.ask(request.question, request.lang, history).to_dict()
        except CoopbotError as error:
            raise _error(error, request.lang) from error

    @api.post("/api/brief", response_model=BriefModel, responses=ERRORS, dependencies=guarded)
    def brief(request: BriefRequest) -> dict:
        try:
            return service.brief(request.topic, request.lang).to_dict()
        except CoopbotError as error:
            raise _error(error, request.lang) from error

    @api.get("/api/health", responses=ERRORS)
    def health() -> dict:
        manifest = service.engine.index.manifest
        return {"status": "ok", "documents": len(service.engine.knowledge.articles),
                "sentences": manifest.get("sentences"), "embedder": manifest.get("embedder"),
                "index_build": manifest.get("build_id"), "knowledge_hash": manifest.get("knowledge_hash")}

    @api.get("/api/documents", responses=ERRORS, dependencies=guarded)
    def documents() -> list[dict]:
        return service.documents()

    @api.get("/api/documents/{doc_id}", responses={**ERRORS, 404: {"model": ErrorModel}},
             dependencies=guarded)
    def document(doc_id: str) -> dict:
        article = service.engine.knowledge.articles.get(doc_id)
        if article is None:
            raise HTTPException(404, detail={"code": "not_found", "message": f"unknown document {doc_id!r}"})
        return {**article.public_meta(), "lines": [{"n": ln.n, "paragraph": ln.paragraph, "text": ln.text}
                                                   for ln in article.lines]}

    @api.post("/api/feedback", status_code=201, responses=ERRORS, dependencies=guarded)
    def feedback(request: FeedbackRequest) -> dict:
        row = service.feedback.add(request.rating, request.question, request.answer, request.citations,
                                   request.comment, request.language, request.answer_id)
        return {"id": row}

    @api.get("/api/feedback/export", response_class=Response, dependencies=[Depends(staff_only)],
             responses={**ERRORS, 200: {"content": EXPORT_TYPES, "description": "All feedback, CSV or JSON Lines."}})
    def export(query: Annotated[ExportQuery, Query()]) -> Response:
        media = "text/csv" if query.fmt == "csv" else "application/x-ndjson"
        return Response(service.feedback.export(query.fmt), media_type=media)

    return api


def create_app(settings: Settings | None = None, with_ui: bool = True) -> FastAPI:
    """The whole server: API plus the Gradio UI at /."""
    service = Service(settings)
    api = create_api(service)
    if with_ui:
        import gradio as gr

        from .ui import CSS, HEAD, PAGE_JS, build_ui

        auth = None
        if service.settings.auth_password:
            auth = (service.settings.auth_user or "coopbot", service.settings.auth_password)
        api = gr.mount_gradio_app(api, build_ui(service), path="/", auth=auth, css=CSS, js=PAGE_JS, head=HEAD,
                                  footer_links=[], max_file_size="1mb")
    return api
