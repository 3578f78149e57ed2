"""A bilingual word lexicon learned from the knowledge's own aligned lines.

Every curated or machine translation pairs a Vietnamese line with a French one. Counting which words
occur in the same pairs links "đại biểu" to "délégués" and "doanh nghiệp" to "entreprises" without a
dictionary or a model: a word and its translation go together in nearly every pair that holds either
(Dice association). A link is kept only when each word is the other's best partner (mutual best), in
at least `lexicon_min_pairs` pairs; ties are dropped. The lexicon grows with every translation staff
add, and it lets a passage the knowledge has in one language meet a question asked in the other:
retrieval expands the question with its words' translations, and a passage quoted in the other
language has its words glossed in the asker's. The glossary's entries (first form in each language) count as
pairs too: short curated pairs that link words the articles use once ("ẩm thực" = "gastronomie"; dev asked of
one-language copies: other-language held-out accuracy 0.698 -> 0.702).

A bilingual word list of the field (lang/vocabulary.yaml: "kinh phí" = "budget", "đoàn" = "délégation"; written
from general knowledge of both languages, not from any evaluation set) links the words few translated lines
hold, whatever documents staff add; its links serve matching as induced ones do, before the embedder's. Measured
with `coopbot train` (refitted): other-language held-out accuracy on dev's one-language copies 0.726 -> 0.739
and on devgrowth 0.345 -> 0.414, same-language 0.820 -> 0.818, abstention precision 0.946 -> 0.964.

Counting is written here by hand (a dozen lines over `collections.Counter`): the association is
two counts and a ratio, and the library word aligners (IBM models) want far more pairs than a
knowledge base of a few hundred lines holds.

A few hundred aligned lines leave most words unlinked ("kinh phí", "budget", "huyện"), and a document
added in one language brings words no translation pairs. The multilingual embedder links more
(`induce_links`): each word the counts leave unlinked is embedded alone, and a Vietnamese and a French
word are linked when each is the other's nearest by CSLS (cosine less both words' mean similarity to
their nearest others: "hub" words close to everything are discounted), by at least `lexicon_min_csls`.
Those *induced* links serve matching (retrieval's expansion, the answer step's coverage, the counted
noun's translation, the question glossed for the embedder) but are never shown to a reader as glosses: a
gloss says what a translation staff wrote, and an induced link is a guess. Held-out with `coopbot train`:
dev asked of one-language copies 0.689 -> 0.700, devgrowth in the other language 0.276 -> 0.310,
same-language unchanged (0.815). Each language's word vectors are centred first (`centred`): 0.704 -> 0.707
and 0.310 -> 0.345, same-language unchanged. (Figures of the environment they were measured in: refitted
after a dependency update, the shipped model read 0.704 on the copies, 0.707 again with the listed noun
translated, `Question.listed_as`.)
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import yaml
from langchain_core.embeddings import Embeddings

from .embeddings import embed_as_queries
from .knowledge import Knowledge
from .text import analyse, fold

LEXICON_FILE = "lexicon.json"
VOCABULARY_FILE = Path(__file__).with_name("lang") / "vocabulary.yaml"
_WORD = re.compile(r"\w+(?:-\w+)*")
_PART = re.compile(r"\w+")
# which analysed tokens stand for words: Vietnamese syllables and syllable pairs (most words are two
# syllables), French stems; folded forms are left out (they mix both languages)
_WORD_TOKENS = {"vi": ("v:", "vb:"), "fr": ("f:",)}


@dataclass
class Lexicon:
    """Token → its translation's token, and each token's written form (a French stem's most frequent word)."""

    translations: dict[str, str] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)
    induced: dict[str, str] = field(default_factory=dict)  # links from the embedder (induce_links): matching only
    # the counted links taught by enough pairs to be shown to a reader as glosses (None: all of them)
    shown: frozenset[str] | None = None

    def __len__(self) -> int:
        return len(self.translations) + len(self.induced)

    def translate(self, tokens: list[str], lang: str) -> list[str]:
        """The translations of those word tokens of `lang` the lexicon links, each once, in order."""
        return list(dict.fromkeys(self.links(tokens, lang).values()))

    def links(self, tokens: frozenset[str] | list[str], lang: str) -> dict[str, str]:
        """Token → translation for the word tokens of `lang` among `tokens` that the lexicon links, from the
        aligned lines or else induced."""
        mine = _WORD_TOKENS[lang]
        return {t: self.translations.get(t) or self.induced[t] for t in tokens
                if t.startswith(mine) and (t in self.translations or t in self.induced)}

    def phrase(self, words: str, tokens: frozenset[str], lang: str) -> str:
        """The translation, folded, of a phrase the asker typed (`words` folded, `tokens` the question's):
        that of the linked token covering the most of its first words ("đại biểu" → "delegues",
        "projets" → "du an"); "" when none of them is linked."""
        wanted = words.split()
        found, covered = "", 0
        for token, target in self.links(tokens, lang).items():
            own = fold(token_text(token)).lower().split()
            if len(own) > covered and len(own) <= len(wanted) and all(
                    w == o or (lang == "fr" and w.startswith(o)) for o, w in zip(own, wanted, strict=False)):
                found, covered = fold(self.written.get(target, token_text(target))).lower(), len(own)
        return found

    def glosses(self, text: str, lang: str, into: str, known: frozenset[str] = frozenset(),
                named: str = "", induced: bool = False) -> list[tuple[str, str]]:
        """(words as `text` writes them, their translation in `into`) for the words of `text` the lexicon
        links; adjacent linked words are glossed as one phrase, their translations in the same order
        ("coopération internationale = hợp tác quốc tế": both languages put the modifier after the noun).
        A phrase is left out when the asker wrote all of its words (`known` tokens); figures, words the
        translation only repeats ("Toulouse = toulouse") and words of names glossed already (`named`)
        are not glossed and end a phrase. Only links the aligned lines teach, in enough pairs (`shown`), are
        glosses a reader is shown; `induced` adds the others and the embedder's, for a text only the machine
        reads (`glossed`)."""
        if lang == into:
            return []
        table = {**self.induced, **self.translations} if induced else self.shown_links
        pairs = []
        for run in _runs(text, self._linked_spans(text, lang, named.lower(), table)):
            if all(token in known or table[token] in known for _, _, token in run):
                continue
            shown = text[run[0][0]:run[-1][1]]
            pairs.append((shown, _joined(self.written.get(target, token_text(target))
                                         for target in (table[token] for _, _, token in run))))
        return list(dict.fromkeys(pairs))

    @cached_property
    def shown_links(self) -> dict[str, str]:
        """The counted links a reader may be shown (`shown`): a link few pairs taught is often a neighbour's
        word ("pháp được = été"), still good enough to match on. Read once: the links are learned whole."""
        if self.shown is None:
            return self.translations
        return {token: target for token, target in self.translations.items() if token in self.shown}

    def glossed(self, text: str, lang: str, into: str) -> str | None:
        """The text with the words the lexicon links, induced links too, written in `into`: a mixed text only
        the embedder reads (the glossed question, a one-language sentence's glossed reading); None when none
        is linked."""
        glosses = self.glosses(text, lang, into, induced=True)
        for words, translation in glosses:
            text = text.replace(words, translation)
        return text if glosses else None

    def _linked_spans(self, text: str, lang: str, named: str,
                      table: dict[str, str]) -> list[tuple[int, int, str]]:
        """(start, end, token) in `text` for its words the lexicon links, left to right without overlap,
        the longest link first at each word (a Vietnamese syllable pair before its syllables)."""
        words = list(_WORD.finditer(text))
        spans, i = [], 0
        while i < len(words):
            span = next((found for size in ((2, 1) if lang == "vi" else (1,))
                         if (found := self._linked_at(text, words, i, size, lang, named, table))), None)
            spans += [span] if span else []
            i += len(_PART.findall(text[span[0]:span[1]])) if span else 1
        return spans

    def _linked_at(self, text: str, words: list[re.Match], i: int, size: int, lang: str,
                   named: str, table: dict[str, str]) -> tuple[int, int, str] | None:
        """The span of the `size` words from word i when the lexicon links them as one token and glosses it."""
        phrase = _phrase_at(text, words, i, size)
        if phrase is None:
            return None
        whole = len(_PART.findall(phrase))
        tokens = [t for t in analyse(phrase, lang) if t.startswith(_WORD_TOKENS[lang])
                  and t in table and len(token_text(t).split()) == whole]
        if not tokens or not self._glossable(phrase, table[tokens[0]], named):
            return None
        return words[i].start(), words[i + size - 1].end(), tokens[0]

    def _glossable(self, written: str, target: str, named: str) -> bool:
        translation = self.written.get(target, token_text(target))
        return (not written.isdigit() and not translation.isdigit() and written.lower() not in named
                and fold(written).lower() != fold(translation).lower())


def _joined(translations: Iterable[str]) -> str:
    """Word translations joined in order, a word said at the end of one and the start of the next said
    once ("deux pays" = "hai" + "hai nước" = "hai nước")."""
    words: list[str] = []
    for translation in translations:
        new = translation.split()
        overlap = next((k for k in range(min(len(words), len(new)), 0, -1) if words[-k:] == new[:k]), 0)
        words += new[overlap:]
    return " ".join(words)


def _phrase_at(text: str, words: list[re.Match], i: int, size: int) -> str | None:
    """The `size` words from word i as written, when only spaces part them (None past the end or across
    punctuation: "tỉnh, thành" is no pair)."""
    if i + size > len(words):
        return None
    run = words[i:i + size]
    if any(not text[a.end():b.start()].isspace() for a, b in itertools.pairwise(run)):
        return None
    return text[run[0].start():run[-1].end()]


def _runs(text: str, spans: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """Spans grouped into runs of adjacent words (separated by spaces only)."""
    runs: list[list[tuple[int, int, str]]] = []
    for span in spans:
        if runs and text[runs[-1][-1][1]:span[0]].isspace():
            runs[-1].append(span)
        else:
            runs.append([span])
    return runs


def token_text(token: str) -> str:
    """The words an analysed token stands for: "vb:đại_biểu" → "đại biểu", "f:delegu" → "delegu"."""
    return token.split(":", 1)[1].replace("_", " ")


def word_tokens(text: str, lang: str) -> list[tuple[str, str]]:
    """(token, words as written) for each word of a line: French stems, Vietnamese syllables and pairs. Each
    part of a French compound is written as itself: "président" in "vice-président" is not "vice-président"."""
    words = _WORD.findall(text)
    out = []
    for i, word in enumerate(words):
        for part in word.split("-") if lang == "fr" else [word]:
            out += [(t, part) for t in analyse(part, lang) if t.startswith(_WORD_TOKENS[lang])]
        if lang == "vi" and i + 1 < len(words):
            pair = f"{word} {words[i + 1]}"
            out += [(t, pair) for t in analyse(pair, lang) if t.startswith("vb:")]
    return out


def aligned_pairs(knowledge: Knowledge) -> list[tuple[str, str]]:
    """(Vietnamese line, French line) for every line the knowledge has in both languages."""
    pairs = []
    for article in knowledge.articles.values():
        if article.lang != "vi":
            continue
        for line in article.lines:
            french = knowledge.aligned(line.id, "fr")
            if french is not None:
                pairs.append((line.text, french.text))
    return pairs


def learn_lexicon(pairs: list[tuple[str, str]], min_pairs: int, min_dice: float, shown_min_pairs: int = 0) -> Lexicon:
    """Mutual-best Dice links between the two sides' word tokens (see the module's docstring); those in at
    least `shown_min_pairs` pairs are the ones shown as glosses."""
    sides: list[tuple[set[str], set[str]]] = []
    written: dict[str, Counter] = {}
    for vi_text, fr_text in pairs:
        vi_tokens = {t for t, _ in word_tokens(vi_text, "vi")}
        fr_found = word_tokens(fr_text, "fr")
        for token, word in fr_found:
            written.setdefault(token, Counter())[word.lower()] += 1
        sides.append((vi_tokens, {t for t, _ in fr_found}))
    count = Counter(t for vi, fr in sides for t in vi | fr)
    together = Counter((v, f) for vi, fr in sides for v in vi for f in fr)
    best: dict[str, list] = {}
    for (v, f), n in together.items():
        if n < min_pairs:
            continue
        dice = 2 * n / (count[v] + count[f])
        for a, b in ((v, f), (f, v)):
            if dice > best.get(a, [0.0])[0]:
                best[a] = [dice, b]
            elif dice == best[a][0]:
                best[a].append(b)
    links = {a: partners[0] for a, (dice, *tied) in best.items()
             if dice >= min_dice and len(partners := _words_over_syllables(tied)) == 1}
    mutual = {a: b for a, b in links.items() if links.get(b) == a}
    shown = frozenset(a for a, b in mutual.items() if together[(a, b)] + together[(b, a)] >= shown_min_pairs)
    return Lexicon(mutual, {t: c.most_common(1)[0][0] for t, c in written.items() if t in mutual}, shown=shown)


def _words_over_syllables(tokens: list[str]) -> list[str]:
    """Tied partners less the syllables of a tied syllable pair: "đại biểu" always goes with "đại"."""
    syllables = {f"v:{s}" for t in tokens if t.startswith("vb:") for s in t[3:].split("_")}
    return [t for t in tokens if t not in syllables]


def glossary_pairs(knowledge: Knowledge) -> list[tuple[str, str]]:
    """(Vietnamese, French) first form of each glossary entry written in both: short curated pairs."""
    return [(entry.vi[0], entry.fr[0]) for entry in knowledge.glossary.entries if entry.vi and entry.fr]


def knowledge_lexicon(knowledge: Knowledge, min_pairs: int, min_dice: float, embedder: Embeddings | None = None,
                      min_csls: float = 0.03, neighbours: int = 10, shown_min_pairs: int = 0) -> Lexicon:
    """The links counted on the aligned lines and the glossary, and with an `embedder` those it induces for
    the words left unlinked."""
    lexicon = learn_lexicon(aligned_pairs(knowledge) + glossary_pairs(knowledge), min_pairs, min_dice,
                            shown_min_pairs)
    listed, forms = vocabulary_links()
    listed = {token: target for token, target in listed.items() if token not in lexicon.translations}
    if embedder is not None:
        unlinked = {lang: {t: w for t, w in _unlinked_words(knowledge, lang, lexicon).items() if t not in listed}
                    for lang in ("vi", "fr")}
        lexicon.induced = induce_links(unlinked, embedder, min_csls, neighbours)
        lexicon.written |= {t: unlinked["fr"][t] for t in lexicon.induced if t in unlinked["fr"]}
    lexicon.induced |= listed
    lexicon.written |= {t: form for t, form in forms.items() if t in listed and t not in lexicon.written}
    return lexicon


def vocabulary_digest(path: Path | None = None) -> str:
    """What an index build records of the word list its lexicon read: a changed list is a stale index."""
    path = path or VOCABULARY_FILE
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.exists() else ""


def vocabulary_links(path: Path | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """Links both ways between the words of a bilingual word list's pairs ("kinh phí" = "budget"), and the French
    tokens' written forms. The words of the field that few translated lines hold, whatever documents are added:
    matching only, as induced links are (a reader is shown the glosses translations teach). A pair whose side is
    not one token (three syllables, two French words) is left out."""
    path = path or VOCABULARY_FILE
    if not path.exists():
        return {}, {}
    links: dict[str, str] = {}
    forms: dict[str, str] = {}
    for vi, fr in yaml.safe_load(path.read_text(encoding="utf-8"))["pairs"]:
        vi_tokens = [t for t, _ in word_tokens(vi, "vi") if len(token_text(t).split()) == len(vi.split())]
        fr_tokens = [t for t, _ in word_tokens(fr, "fr")]
        if len(vi_tokens) != 1 or len(fr_tokens) != 1:
            continue
        links.setdefault(vi_tokens[0], fr_tokens[0])
        links.setdefault(fr_tokens[0], vi_tokens[0])
        forms.setdefault(fr_tokens[0], fr.lower())
    return links, forms


def induce_links(words: dict[str, dict[str, str]], embedder: Embeddings, min_csls: float,
                 neighbours: int) -> dict[str, str]:
    """Links, both ways, between the Vietnamese and French `words` (token → written form) that are mutual
    nearest neighbours by CSLS over their `neighbours` nearest, each language's vectors `centred`, scoring at least
    `min_csls` (see the module's docstring). Words written alike in both languages are left out: a name meets itself already
    (`text.name_tokens`), anything else is a false friend (Vietnamese "an", French "an")."""
    if not words["vi"] or not words["fr"]:
        return {}
    vi_tokens, fr_tokens = sorted(words["vi"]), sorted(words["fr"])
    vi_words, fr_words = [words["vi"][t] for t in vi_tokens], [words["fr"][t] for t in fr_tokens]
    sims = centred(embed_as_queries(embedder, vi_words)) @ centred(embed_as_queries(embedder, fr_words)).T
    k = min(neighbours, *sims.shape)
    csls = (2 * sims - np.sort(sims, axis=1)[:, -k:].mean(axis=1)[:, None]
            - np.sort(sims, axis=0)[-k:, :].mean(axis=0)[None, :])
    nearest_fr, nearest_vi = csls.argmax(axis=1), csls.argmax(axis=0)
    links = {}
    for i, j in enumerate(nearest_fr):
        if nearest_vi[j] == i and csls[i, j] >= min_csls and fold(vi_words[i]) != fold(fr_words[j]):
            links[vi_tokens[i]], links[fr_tokens[j]] = fr_tokens[j], vi_tokens[i]
    return links


def centred(vectors: np.ndarray) -> np.ndarray:
    """Each row less the rows' mean, at unit length. One language's words share a direction in the multilingual
    space (their language), which makes a word nearer to its own language's words than to its translation;
    taking each language's mean away before comparing leaves what the words mean. On the bundled knowledge,
    read against the links the aligned lines count as a reference: at about as many induced links, 23 of 29
    right (0.79) against 23 of 32 (0.72) uncentred."""
    shifted = vectors - vectors.mean(axis=0)
    return shifted / np.maximum(np.linalg.norm(shifted, axis=1, keepdims=True), np.finfo(np.float32).tiny)


def _unlinked_words(knowledge: Knowledge, lang: str, lexicon: Lexicon) -> dict[str, str]:
    """Token → its most frequent written form, for the word tokens of the knowledge's `lang` lines that the
    lexicon does not link; figures aside."""
    written: dict[str, Counter] = {}
    for article in knowledge.articles.values():
        if article.lang == lang:
            for line in article.lines:
                for token, word in word_tokens(line.text, lang):
                    written.setdefault(token, Counter())[word.lower()] += 1
    return {token: words.most_common(1)[0][0] for token, words in written.items()
            if token not in lexicon.translations and not token_text(token).replace(" ", "").isdigit()}


def save_lexicon(lexicon: Lexicon, folder: Path) -> None:
    payload = {"translations": lexicon.translations, "written": lexicon.written, "induced": lexicon.induced,
               "shown": None if lexicon.shown is None else sorted(lexicon.shown)}
    (folder / LEXICON_FILE).write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")


def load_lexicon(folder: Path) -> Lexicon:
    """The lexicon stored in an index build (empty for a build without one)."""
    try:
        payload = json.loads((folder / LEXICON_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Lexicon()
    shown = payload.get("shown")
    return Lexicon(dict(payload["translations"]), dict(payload["written"]), dict(payload.get("induced", {})),
                   None if shown is None else frozenset(shown))
