"""One Settings object, read from COOPBOT_* environment variables.

Every tunable number of the engine lives here, beside its default, so that the
evaluation harness and a deployment change behaviour in one place.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})


def _default_knowledge_dir() -> Path:
    local = Path.cwd() / "knowledge"
    return local if local.is_dir() else PROJECT_ROOT / "knowledge"


def _default_data_dir() -> Path:
    return Path.cwd() / ".coopbot" if (Path.cwd() / "knowledge").is_dir() else PROJECT_ROOT / ".coopbot"


@dataclass(frozen=True)
class Settings:
    knowledge_dir: Path = field(default_factory=_default_knowledge_dir)
    data_dir: Path = field(default_factory=_default_data_dir)
    embedder: str = "e5"
    chroma_url: str = ""  # http://host:port of a Chroma server; empty: the embedded store under data_dir
    lock_timeout_s: float = 5.0  # how long a second writer waits for the index lock before giving up
    embed_batch: int = 64
    index_reload_interval_s: float = 1.0  # a live engine checks at most this often for a newly swapped index
    max_question_chars: int = 2000
    max_add_bytes: int = 5_000_000
    # texts this long (documents) are told apart by lingua, as are questions typed with marks; shorter ones typed
    # without any by their common words (text.detect_language)
    lingua_min_chars: int = 200
    encoded_payload_min_chars: int = 24  # a longer base64 run that decodes to text marks a line as instruction-like
    pdf_running_share: float = 0.6  # a line at the edge of this share of a PDF's pages is a running header/footer
    # a byline (byline.py) is one of a document's first lines after its title, and no longer than a short sentence
    byline_lines: int = 3
    byline_max_words: int = 16
    # machine translation at ingestion (`coopbot add --translate`), through the COOPBOT_LLM_* chat model
    translate_on_add: bool = False
    translate_timeout_s: float = 60.0  # per paragraph: longer than an answer's, a paragraph is longer
    translate_max_tokens: int = 2000
    # a glossary name's word is kept when the translation has a word sharing this many first letters with one of
    # the entry's forms: "Pháp" kept as "franco-vietnamien", "châu Âu" as "européens"
    translate_name_stem_chars: int = 5
    # the index (built into it: a change is applied when the index is rebuilt)
    bm25_k1: float = 1.5
    bm25_b: float = 0.5  # below the usual 0.75: a long enumerating sentence is not a diluted one
    # word translations learned from the aligned lines (lexicon.py): a link needs this many pairs and Dice
    lexicon_min_pairs: int = 2
    lexicon_min_dice: float = 0.5
    # a link is shown to a reader as a gloss only when at least this many aligned pairs taught it (all links
    # serve matching): of the 151 Vietnamese links the bundled knowledge teaches, read one by one, about 6 in 10
    # of those taught by 2 pairs were right ("pháp được = été", "các doanh = 50" were not), 9 in 10 of the others
    gloss_min_pairs: int = 3
    # links the embedder induces for the words left unlinked (lexicon.induce_links): mutual nearest by CSLS over
    # this many nearest of the centred vectors, scoring at least this (about as many links as the uncentred 0.03,
    # 220 against 236, and more of them right; on dev with `coopbot train` the one-language copies gave 0.709 at
    # 0.25 and 0.707 at 0.3, devgrowth same-language 0.558 and 0.581; lexicon.py says how these figures moved
    # with a later environment); above 2 none is induced
    lexicon_csls_neighbours: int = 10
    lexicon_min_csls: float = 0.3
    # retrieval
    weight_bm25: float = 0.5  # of a BM25 rank, against a dense rank's 1
    weight_expansion: float = 0.25  # BM25 weight of a token only the glossary expansion adds (added once)
    top_k: int = 15
    count_pool: int = 40  # units searched for other sources' figures of the noun a "how many" question counts (and
    # whose similarity retrieval measures when only BM25 found them)
    first_stage_k: int = 30  # units each ranked list (dense, BM25) hands to the fusion
    rrf_k: int = 3  # small: one list's clear first hit outweighs many middling hits of generic lines
    # memory: each cache is bounded so that its full size stays small (per-entry cost in the comments)
    query_cache_size: int = 2048  # question embeddings, float32 (~1.8 KB each with the question: ~4 MiB)
    vector_cache_size: int = 8192  # stored sentence vectors for comparing candidates, float32 (~1.7 KB: ~14 MiB)
    word_cache_size: int = 16384  # folded and stemmed words (~0.3 KB each, two caches: ~10 MiB)
    ordinals_cache_size: int = 4096  # ordinals of knowledge sentences and titles (~0.6 KB each: ~2.5 MiB)
    # answering: candidates are ranked and abstention decided by the learned scorer (features.py, `coopbot train`)
    abstention: bool = True  # False: always answer (the evaluation replays the abstention rule on the signals)
    absent_word_share: float = 0.05  # coverage weighs a word the knowledge lacks as if this share of units had it
    section_share: float = 0.75  # an entity named earlier in a sentence's section, vs. named in it
    # other sources weighed against the best sentence (agreement.py): for a date or a count, the question's own
    # ranking (a disagreement may be worded unlike the best); otherwise the sentences nearest to the best one
    related_min_score: float = 0.03  # in the ranking: scoring at least this share of the best
    related_min_similarity: float = 0.88  # a date of the same thing: this alike to the best (or naming as much)
    related_pool: int = 20  # per language version of the best sentence: its nearest sentences
    same_statement_min_similarity: float = 0.92  # a nearest sentence this alike states the same: cited with it
    max_answer_sentences: int = 3
    companion_min_score: float = 0.8  # a "which Xs" answer adds the next sentences scoring this share of the best
    unit_text_cache_size: int = 2048  # analysed statements kept in memory (~9 KB each: ~18 MiB)
    # briefings
    brief_min_dense: float = 0.85
    brief_max_facts: int = 25
    # optional generative answers (an OpenAI-compatible endpoint; unset = extractive only)
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = field(default="", repr=False)
    llm_timeout_s: float = 20.0
    llm_max_retries: int = 0
    llm_temperature: float = 0.0
    llm_max_tokens: int = 400
    llm_passages: int = 6
    llm_history_messages: int = 4
    llm_history_chars: int = 600
    verify_cache_size: int = 4096
    # web
    max_request_bytes: int = 65536
    feedback_db: str = ""
    auth_user: str = ""
    auth_password: str = field(default="", repr=False)
    staff_user: str = "staff"  # who may export the feedback (GET /api/feedback/export): basic auth as this user...
    staff_token: str = field(default="", repr=False)  # ...with this password, or "Authorization: Bearer <token>"
    rate_limit_per_minute: int = 60  # state-changing requests (asks, briefs, feedback, chat turns) per client IP; 0 = off
    rate_limit_burst: int = 10  # of those, at most this many in any rate_limit_burst_seconds; 0 = none
    rate_limit_burst_seconds: int = 10
    rate_limit_strikes: int = 10  # refusals in a minute beyond which a client is refused everything; 0 = no penalty
    rate_limit_penalty_s: float = 60.0  # how long: counted again from each request sent while penalised
    allowed_origins: str = ""  # comma-separated extra origins allowed to POST (the server's own origin always is)
    malloc_arena_max: int = 2  # glibc malloc arenas for the server's threads (fewer: RSS levels off); 0 = glibc's
    access_log: bool = False  # one uvicorn log line per request: costly under a flood, so off unless asked for

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def feedback_path(self) -> Path:
        return Path(self.feedback_db) if self.feedback_db else self.data_dir / "feedback.sqlite3"

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Build settings from COOPBOT_<FIELD> variables, then explicit overrides."""
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = os.environ.get(f"COOPBOT_{f.name.upper()}")
            if raw is None:
                continue
            values[f.name] = _coerce(raw, f.type)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def _coerce(raw: str, type_name: object) -> object:
    kind = str(type_name)
    if kind == "Path":
        return Path(raw).expanduser()
    if kind == "int":
        return int(raw)
    if kind == "float":
        return float(raw)
    if kind == "bool":
        return raw.strip().lower() in TRUE_WORDS
    return raw
