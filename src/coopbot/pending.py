"""New names met in added documents, written to knowledge/glossary.pending.yaml for a person to review.

The glossary is curated: `coopbot add` never edits glossary.yaml.  It lists the proper
names of the new documents that no glossary form matches (capitalised words and runs
of them, such as "Quimper", "Quảng Trị" or "Conseil départemental du Finistère"), each
with the documents it was seen in and a guess at its kind, so that a reviewer can move
it into glossary.yaml with its forms in both languages, or delete it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import yaml

from .knowledge import (
    GLOSSARY_FILE,
    PENDING_GLOSSARY_FILE,
    Article,
    Glossary,
    PendingName,
    parse_glossary,
    parse_pending_glossary,
    read_knowledge,
)
from .names import guess_kind
from .text import fold, nfc
from .verify import common_words

HEADER = """# Names met by `coopbot add` that glossary.yaml does not know yet (kind is a guess).
# Review each: move it into glossary.yaml with its vi/fr forms and a note, or delete it.
# coopbot never edits glossary.yaml itself; `coopbot check` validates this file.
"""

_WORD = re.compile(r"[^\W\d_][\w'’]*(?:-[^\W\d_][\w'’]*)*")
_JOINS_A_NAME = re.compile(r"\s+|-")  # what may stand between two words of one name
_CONNECTORS = {"de", "du", "des", "la", "le", "les", "d'", "l'", "d’", "l’", "sur", "en"}
_ELISION = re.compile(r"^[dlDL]['’]")
# an elided pronoun or conjunction before a verb ("C'est", "Qu'il", "S'agissant", "N'est"): never a name's start
_CLITIC = re.compile(r"^(?:[cjmnst]|qu)['’]", re.IGNORECASE)
MIN_NAME_CHARS = 3

def record_pending_names(knowledge_dir: Path, articles: Iterable[Article]) -> list[str]:
    """Add the new names of these articles to glossary.pending.yaml; return those not listed before."""
    articles = list(articles)
    if not articles:
        return []
    glossary, _ = parse_glossary(knowledge_dir / GLOSSARY_FILE)
    knowledge, _ = read_knowledge(knowledge_dir)
    texts = [line.text for a in knowledge.articles.values() for line in a.lines]
    common, pairs = common_words(texts), lowercase_pairs(texts)
    path = knowledge_dir / PENDING_GLOSSARY_FILE
    pending, _ = parse_pending_glossary(path)
    by_name = {_key(entry.name): entry for entry in pending}
    added: list[str] = []
    for article in articles:
        for name, kind in new_names(article, glossary, common, pairs):
            entry = by_name.get(_key(name))
            if entry is None:
                added.append(name)
                by_name[_key(name)] = PendingName(name, kind, (article.id,), article.lang)
            elif article.id not in entry.seen_in:
                by_name[_key(name)] = PendingName(entry.name, entry.kind, (*entry.seen_in, article.id), entry.lang)
    if added or len(by_name) != len(pending) or any(by_name[_key(e.name)] != e for e in pending):
        _write(path, list(by_name.values()))
    return added


def _write(path: Path, entries: list[PendingName]) -> None:
    from .ingest import write_atomically

    body = yaml.safe_dump({"entries": [e.to_yaml() for e in entries]}, allow_unicode=True, sort_keys=False,
                          width=1000)
    write_atomically(path, HEADER + body, article=False)


def _key(name: str) -> str:
    return fold(nfc(name)).lower()


def lowercase_pairs(texts: Iterable[str]) -> frozenset[str]:
    """Pairs of adjacent Vietnamese syllables the texts write in lower case, folded ("nong nghiep", "dai hoc"):
    the words an institution's name writes with a capital on their first syllable only ("Viện Nông nghiệp")."""
    pairs = set()
    for text in texts:
        words = _WORD.findall(nfc(text))
        pairs.update(f"{fold(a)} {fold(b)}".lower() for a, b in zip(words, words[1:], strict=False)
                     if a.islower() and b.islower())
    return frozenset(pairs)


def new_names(article: Article, glossary: Glossary, common: frozenset[str],
              pairs: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(name, kind guess) for each proper name of the article that no glossary form matches, once. A run that
    opens a sentence is taken whole only when the article also writes it as a name elsewhere ("Đồng Tháp" after
    "tỉnh", or after "Tỉnh" opening another sentence), else without its opening word ("Selon Marc Gricourt" → "Marc Gricourt"); a lone opening word only so
    ("Publié", "Douze": capitalised for opening the sentence)."""
    words = pairs if article.lang == "vi" else frozenset()
    seen = [(*found, line.text) for line in article.lines for found in candidate_names(line.text, common, words)]
    inside = {_key(shorter or name) for name, _, shorter, _ in seen if shorter != ""}
    found: dict[str, tuple[str, str]] = {}
    for name, before, shorter, sentence in seen:
        if glossary.opens_an_office(name, sentence):
            continue  # "Phó Chủ" of "Phó Chủ tịch UBND"
        if shorter is not None and _key(name) not in inside:
            if not shorter:
                continue
            name, before = shorter, name[: len(name) - len(shorter)]  # "Bà Nathalie Appéré": a title before
        if _key(name) not in found and not known(name, glossary):
            found[_key(name)] = (name, guess_kind(name, before))
    return list(found.values())


def candidate_names(sentence: str, common: frozenset[str],
                    pairs: frozenset[str] = frozenset()) -> list[tuple[str, str, str | None]]:
    """Runs of capitalised words ("de", "du", "la"… may join them), the two words before each run and, for a
    run that opens the sentence with a word the knowledge writes in lower case or with a lone word, the name
    without that word ("" for a lone word; None for a run inside the sentence). A lone capitalised word that
    the knowledge also writes in lower case is no name, nor a run in capitals of such words (a heading: "THÔNG
    CÁO BÁO CHÍ"). A capitalised syllable and the lower-case one after it that `pairs` holds are one word of
    the name: "Viện Nông nghiệp Montpellier", not "Viện Nông"."""
    sentence = nfc(sentence)
    words = list(_WORD.finditer(sentence))
    names: list[tuple[str, str, str | None]] = []
    run: list[re.Match] = []

    def close() -> None:
        while run and _is_connector(run[-1].group(0)):
            run.pop()
        if run:
            first = words.index(run[0])
            text = sentence_slice(sentence, run)
            shouted = all(w.group(0).isupper() and fold(w.group(0)).lower() in common for w in run)
            if (len(run) > 1 or fold(text).lower() not in common) and len(text) >= MIN_NAME_CHARS and not shouted:
                names.append((text, " ".join(w.group(0) for w in words[max(0, first - 2):first]),
                              _without_opening(sentence, run, common) if first == 0 else None))
        run.clear()

    for word in words:
        token = word.group(0)
        if run and not _JOINS_A_NAME.fullmatch(sentence[run[-1].end():word.start()]):
            close()
        word_of_the_name = run and _capitalised(run[-1].group(0)) and f"{fold(run[-1].group(0))} {fold(token)}".lower() in pairs
        if _capitalised(token) or (run and _is_connector(token)) or word_of_the_name:
            run.append(word)
        else:
            close()
    close()
    return names


def _without_opening(sentence: str, run: list[re.Match], common: frozenset[str]) -> str | None:
    """The name a run opening the sentence is without its first word: "" for a lone word, the rest when the
    first word is one the knowledge writes in lower case, None (the run as it is) otherwise."""
    if len(run) == 1:
        return ""
    if fold(run[0].group(0)).lower() not in common:
        return None
    rest = run[1:]
    while rest and _is_connector(rest[0].group(0)):
        rest = rest[1:]
    text = sentence_slice(sentence, rest) if rest else ""
    return text if len(text) >= MIN_NAME_CHARS else ""


def sentence_slice(sentence: str, run: list[re.Match]) -> str:
    return _ELISION.sub("", sentence[run[0].start():run[-1].end()])


def _capitalised(token: str) -> bool:
    if _CLITIC.match(token):
        return False
    core = _ELISION.sub("", token)
    return core[:1].isupper()


def _is_connector(token: str) -> bool:
    return token.lower() in _CONNECTORS


def known(name: str, glossary: Glossary) -> bool:
    """A glossary form matches the name: all its words belong to the forms of the entries it mentions."""
    words = set(re.findall(r"\w+", fold(name).lower()))
    covered = {w for entry in glossary.find(name) for form in entry.forms for w in re.findall(r"\w+", fold(form).lower())}
    return words <= covered
