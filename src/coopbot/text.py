"""Text handling for Vietnamese and French: normalisation, language detection,
BM25 analysers and sentence splitting.

Written by hand rather than with a tokenizer library: Vietnamese word segmenters
worth using are GPL (underthesea) and the analysers here are a few regular
expressions (syllables, syllable bigrams, accent folding, French elisions).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

from .config import Settings
from .language import Language, compared_words, english_words, has_cue, language
from .marks import fold, nfc, typed_plain, without_names

SUPPORTED_LANGS = ("vi", "fr")
_FR_STEMMER = snowballstemmer.stemmer("french")
_VI, _FR = language("vi"), language("fr")
_OTHER_SCRIPT = re.compile(r"[\u0400-\u04ff\u0600-\u06ff\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
ELISION = re.compile(rf"\b({'|'.join(_FR.elisions)})['’]", re.IGNORECASE)
_DIGIT_GROUP = re.compile(r"(?<=\d)[.\u00a0\u202f\u2009 ](?=\d{3}(?!\d))")
_WORD = re.compile(r"\w+", re.UNICODE)

VI_STOPWORDS = _VI.stopwords
FR_STOPWORDS = _FR.stopwords




_fold_word = lru_cache(maxsize=Settings.word_cache_size)(fold)
_stem_fr = lru_cache(maxsize=Settings.word_cache_size)(_FR_STEMMER.stemWord)


def fold_word(word: str) -> str:
    """`fold` of one word, remembered: a knowledge base repeats the same words over and over."""
    return _fold_word(word)


def size_word_caches(size: int) -> None:
    """Bound what `fold_word` and `stem_fr` remember (least recently used words go first): a knowledge
    base's vocabulary repeats, the odd words of questions (names, numbers, typos) need not stay."""
    global _fold_word, _stem_fr
    if _fold_word.cache_parameters()["maxsize"] != size:
        _fold_word = lru_cache(maxsize=size)(fold)
        _stem_fr = lru_cache(maxsize=size)(_FR_STEMMER.stemWord)


def word_cache_fill() -> dict[str, int]:
    """Words remembered by `fold_word` and `stem_fr`."""
    return {"fold_word": _fold_word.cache_info().currsize, "stem_fr": _stem_fr.cache_info().currsize}


def normalize_numbers(text: str) -> str:
    """Drop digit-group separators so that 1.000, 1 000 and 1000 read alike."""
    return _DIGIT_GROUP.sub("", text)


def clean_text(text: str) -> str:
    """NFC, no control characters, single spaces: safe to analyse and display."""
    text = nfc(text)
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)
    return re.sub(r"\s+", " ", text).strip()


def words(text: str) -> list[str]:
    return _WORD.findall(normalize_numbers(nfc(text)).lower())


def detect_language(text: str, default: str = "fr") -> str | None:
    """Return "vi", "fr", or None for a text in neither language (English included).

    lingua's n-gram models decide for a document and for a question typed with marks (its proper names
    aside: "Lê Hồng Sơn" does not make a French question Vietnamese); marks outside names are not
    English, so where lingua finds English or cannot tell, the common words decide. On a short text typed
    without marks lingua's low-accuracy models misjudge (on the dev questions typed without marks: a third
    of the Vietnamese ones French or English, English confidences up to 0.99 on Vietnamese and French ones),
    so such a text is told by its common words (English ones to refuse it) and syllable shapes.
    """
    text = nfc(text)
    if _OTHER_SCRIPT.search(text):
        return None
    if len(text) >= Settings.lingua_min_chars:
        return _by_lingua(text, default)
    asked = without_names(text)
    if not any(c.isalpha() for c in asked):
        return default
    if not typed_plain(asked):
        return _by_lingua(asked, default) or _by_common_words(asked, default)
    return _by_common_words(asked, default, english=True)


def _by_common_words(text: str, default: str, english: bool = False) -> str | None:
    """Letters only one language writes decide first; then common words (folded, so that Vietnamese
    typed without marks and French without accents are recognised) and Vietnamese syllable shapes;
    with `english`, None when English common words outnumber them."""
    lowered = text.lower()
    vi_letters = len(set(lowered) & _VI.letters)
    fr_letters = len(set(lowered) & _FR.letters)
    if vi_letters and vi_letters >= fr_letters:
        return "vi"
    if fr_letters:
        return "fr"
    tokens = [fold(t) for t in _WORD.findall(ELISION.sub(" ", lowered)) if not t.isdigit()]
    if not tokens:
        return default
    vi = sum(t in _VI.common_words for t in tokens) + asks_in(text, _VI)
    fr_words = sum(t in _FR.common_words for t in tokens) + asks_in(text, _FR)
    en = sum(t in english_words() and t not in _FR.common_words for t in tokens)
    if english and en >= 2 and en > max(vi, fr_words):
        return None
    unknown = sum(not _VI.syllable.match(t) and t not in _FR.common_words and t not in english_words() for t in tokens)
    fr = fr_words + 0.5 * unknown
    if vi == fr:
        return default
    return "vi" if vi > fr else "fr"


def asks_in(text: str, lang: Language) -> int:
    """1 when the text uses one of the language's question words ("là ai", "vào ngày nào", "combien"), typed
    with or without marks: the frame a question is asked in tells its language where lower-case names do not
    ("jacques fournier la ai?": two unknown words, read half French each, against two common to both)."""
    padded = compared_words(text)
    return int(any(has_cue(padded, cue, lang) for cue in lang.all_cues))


@lru_cache(maxsize=1)
def _lingua_detector():
    """lingua's n-gram models for the three languages a text may be in (English: to refuse it), in its
    low-accuracy mode (trigrams only: ~11 MB, where the high-accuracy models take ~100 MB)."""
    from lingua import Language, LanguageDetectorBuilder

    return (LanguageDetectorBuilder.from_languages(Language.VIETNAMESE, Language.FRENCH, Language.ENGLISH)
            .with_low_accuracy_mode().with_preloaded_language_models().build())


_LINGUA_CODES = {"VIETNAMESE": "vi", "FRENCH": "fr"}


def _by_lingua(text: str, default: str) -> str | None:
    """The language lingua finds (None for English), by the common words when it cannot tell."""
    language = _lingua_detector().detect_language_of(text)
    if language is None:
        return _by_common_words(text, default)
    return _LINGUA_CODES.get(language.name)


def _bigrams(tokens: list[str], prefix: str) -> list[str]:
    return [f"{prefix}{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def analyse_vi(text: str) -> list[str]:
    """Syllables, syllable bigrams, and the same two fields diacritic-folded."""
    syllables = words(text)
    kept = [s for s in syllables if s not in VI_STOPWORDS]
    folded_all = [fold_word(s) for s in syllables]
    folded_kept = [fold_word(s) for s in kept]
    return (
        [f"v:{s}" for s in kept]
        + _bigrams(syllables, "vb:")
        + [f"f:{s}" for s in folded_kept]
        + _bigrams(folded_all, "fb:")
    )


def stem_fr(word: str) -> str:
    """Snowball's French stemmer on a folded word: "délégués" and "délégué", "visiter" and "visite" meet."""
    return _stem_fr(word)


def analyse_fr(text: str) -> list[str]:
    """Accent-folded, stemmed words with elisions split, plus bigrams."""
    kept = [stem_fr(t) for t in _fr_content(text)]
    return [f"f:{t}" for t in kept] + _bigrams(kept, "fb:")


def _fr_content(text: str) -> list[str]:
    """Accent-folded words with elisions split, French stopwords left out."""
    return [t for t in (fold_word(w) for w in words(ELISION.sub(r"\1 ", nfc(text)))) if t not in FR_STOPWORDS]


def analyse(text: str, lang: str) -> list[str]:
    return analyse_vi(text) if lang == "vi" else analyse_fr(text)


def analyse_query(text: str, lang: str) -> list[str]:
    """A Vietnamese query typed without diacritics is also read as the French analyser reads its folded
    field, its Vietnamese syllables unstemmed (`stem`): French names in it ("Toulouse") meet their stems."""
    tokens = analyse(text, lang)
    if lang == "vi" and typed_plain(text):
        tokens += [f"f:{stem(t, lang)}" for t in _fr_content(text)]
    return tokens


def name_tokens(names: list[str]) -> list[str]:
    """A name's words as both analysers index them: folded as the Vietnamese one keeps them, stemmed as the
    French one does ("Rennes" is "f:rennes" in a Vietnamese line and "f:ren" in a French one), so that a
    name met in a passage of the other language is found whatever the language it was asked in."""
    tokens = []
    for name in names:
        for word in words(fold(nfc(name)).lower()):
            tokens += [f"f:{word}", f"f:{stem_fr(word)}"]
    return list(dict.fromkeys(tokens))


def is_vi_syllable(folded: str) -> bool:
    """Has the folded word the shape of a Vietnamese syllable (onset, vowels, coda)?"""
    return bool(_VI.syllable.match(folded))


def stem(word: str, lang: str) -> str:
    """A folded word's stem: French words meet their inflections ("délégués", "délégué"); a Vietnamese
    syllable is its own ("địa" is not "đi"), a French name in a Vietnamese text is stemmed as French."""
    if lang == "vi" and is_vi_syllable(word):
        return word
    return stem_fr(word)


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”»)]?\s+")


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph at sentence ends followed by a capital or an opening quote."""
    paragraph = clean_text(paragraph)
    sentences, start = [], 0
    for match in _SENTENCE_END.finditer(paragraph):
        following = paragraph[match.end() : match.end() + 1]
        if following.isupper() or following in "\"“«[":
            sentences.append(paragraph[start : match.end()].strip())
            start = match.end()
    sentences.append(paragraph[start:].strip())
    return [s for s in sentences if s]


_FOLDED_STOPWORDS = {"vi": _VI.folded_stopwords, "fr": _FR.folded_stopwords}


def is_stopword(word: str, lang: str) -> bool:
    """A Vietnamese syllable typed with its tone marks is compared as written ("thí" in "thí điểm"
    is not "thì"); one typed without them may be any syllable it folds to, so it is compared folded,
    as French words always are (their accents never separate a stopword from a content word)."""
    if lang == "vi" and fold_word(word) != word:
        return word in VI_STOPWORDS
    return fold_word(word) in _FOLDED_STOPWORDS[lang]


def _content_or_gaps(text: str, lang: str) -> list[str | None]:
    """The folded words of a text in order, each stopword replaced by None."""
    prepared = ELISION.sub(r"\1 ", text) if lang == "fr" else text
    return [None if is_stopword(w, lang) else fold_word(w) for w in words(prepared)]


def content_words(text: str, lang: str) -> list[str]:
    """Folded words that carry meaning (no stopwords, no question words)."""
    return [w for w in _content_or_gaps(text, lang) if w]


def folded_words(text: str, lang: str) -> set[str]:
    """The folded words of a text and their stems (`stem`): what a unit "states" for coverage."""
    folded = {fold_word(w) for w in words(text)}
    if lang == "vi":
        return folded | {stem(w, lang) for w in folded if not is_stopword(w, lang)}
    return folded | {t[2:] for t in analyse_fr(text) if t.startswith("f:")}
