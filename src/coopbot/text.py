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

SUPPORTED_LANGS = ("vi", "fr")
_FR_STEMMER = snowballstemmer.stemmer("french")

# Letters that only Vietnamese (ă đ ơ ư and stacked tone marks) or only French use.
_VI_ONLY = set("ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉĩịọỏốồổỗộớờởỡợụủũứừửữựỳỵỷỹ")
_FR_ONLY = set("çœæîïëüûÿ")
_OTHER_SCRIPT = re.compile(r"[\u0400-\u04ff\u0600-\u06ff\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")

_VI_CUES = set(
    ["cac", "cua", "va", "la", "co", "duoc", "trong", "nhung", "nam", "hoi", "nghi", "hop", "tac", "dia", "phuong", "viet", "phap", "thanh", "pho", "bao", "nhieu", "khi", "nao", "dau", "ai", "gi", "lan", "thu", "nguoi", "dai", "bieu", "voi", "tu", "den", "nay", "nhu", "ve", "cho", "mot", "hai", "ba", "cung", "da", "se", "dang", "khong", "quan", "he", "linh", "vuc", "du", "an", "ngay", "thang", "tai", "o", "to", "chuc", "dien", "ra", "giua", "vung", "thi", "sao", "the", "nuoc", "dau", "tien", "chu", "de", "phien", "thao", "luan", "tham", "gia", "bi", "thu", "chu", "tich", "uy", "ban", "nhan", "dan", "so", "ngoai", "vu", "tinh", "muc", "tieu", "doi", "tac", "bang", "hien", "gio", "chinh", "sach", "di", "san", "do", "thi", "ben", "vung", "moi", "truong", "xu", "ly", "giao", "thong", "kinh", "te", "van", "hoa", "lich", "hay", "nhieu", "it", "bieu", "tai", "sao", "vi", "ket", "qua", "ky", "ket", "lam", "viec", "phat", "trien", "dien", "bao", "gom", "them", "nghe", "gan"]
)
_FR_CUES = set(
    ["le", "la", "les", "de", "des", "du", "un", "une", "et", "est", "en", "au", "aux", "que", "qui", "quoi", "quel", "quelle", "quels", "quelles", "quand", "combien", "ou", "pour", "par", "avec", "sur", "dans", "ce", "cette", "ces", "il", "elle", "ils", "elles", "sont", "ont", "entre", "depuis", "conference", "cooperation", "assises", "ville", "villes", "delegues", "annee", "projets", "pays", "francais", "francaise", "vietnamiens", "vietnamienne", "partenariat", "region", "ateliers", "themes", "theme", "lieu", "premiere", "premier", "eu", "lors", "quelles", "participe", "participants", "combien", "organise", "organisee", "date", "dates", "propos", "parle", "dit", "selon", "ete", "se", "sa", "son", "ses", "leur", "leurs", "pas", "plus", "comment", "pourquoi", "avait", "aura", "etait", "fait", "faire", "domaines"]
)
_EN_CUES = set(
    ["the", "what", "who", "whom", "whose", "when", "where", "which", "why", "how", "many", "much", "is", "are", "was", "were", "did", "does", "do", "of", "and", "in", "to", "for", "with", "about", "from", "this", "that", "these", "those", "weather", "price", "today", "won", "world", "cup", "it", "its", "there", "their", "they", "held", "came", "come", "first", "second", "city", "cities", "mayor", "time", "conference", "delegates", "partnership", "between", "since", "year", "years", "attended", "take", "took", "place", "has", "have", "had", "will", "would", "can", "could", "should"]
)

# A Vietnamese syllable, diacritics folded: onset, one to three vowels, a coda.
_VI_SYLLABLE = re.compile(r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?$")
_ELISION = re.compile(r"\b(l|d|qu|j|n|s|c|t|m|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)
_DIGIT_GROUP = re.compile(r"(?<=\d)[.\u00a0\u202f\u2009 ](?=\d{3}(?!\d))")
_WORD = re.compile(r"\w+", re.UNICODE)

VI_STOPWORDS = set(
    ["và", "là", "của", "các", "có", "được", "trong", "những", "một", "này", "cho", "với", "thì", "mà", "đã", "sẽ", "đang", "cũng", "như", "về", "từ", "bao", "nhiêu", "khi", "nào", "ở", "đâu", "ai", "gì", "nào", "đó", "hay", "không", "chưa", "sao", "thế", "vậy", "hả", "à", "ạ", "nhỉ", "bị", "còn", "những", "ra", "vào", "lên", "rất", "thêm", "theo", "tại", "bằng", "giữa", "trên", "dưới"]
)
FR_STOPWORDS = set(
    ["le", "la", "les", "de", "des", "du", "un", "une", "et", "est", "en", "au", "aux", "a", "que", "qui", "quoi", "quel", "quelle", "quels", "quelles", "quand", "combien", "ou", "pour", "par", "avec", "sur", "dans", "ce", "cet", "cette", "ces", "il", "elle", "ils", "elles", "on", "sont", "ont", "se", "sa", "son", "ses", "leur", "leurs", "ne", "pas", "plus", "y", "lui", "eux", "nous", "vous", "je", "tu", "me", "te", "qu", "l", "d", "s", "c", "n", "j", "t", "m", "est-ce", "t-il", "t-elle", "etait", "ete", "avait", "fut", "comment", "pourquoi", "lieu", "eu", "etaient", "etre", "sera", "seront", "serait", "soit", "avaient", "aura", "auront", "existe", "existent", "exister", "aujourd", "hui", "donc", "mais", "car", "ni", "si", "tout", "tous", "toute", "toutes", "tres", "aussi", "entre"]
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Remove diacritics (Vietnamese tones and French accents); đ becomes d."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


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


def typed_plain(text: str) -> bool:
    """Typed without any diacritic or accent (as on many phones)."""
    return fold(text) == text


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
    """Return "vi", "fr", or None for a text in neither language.

    Letters unique to one language decide first; otherwise common words (folded,
    so that Vietnamese typed without diacritics and French without accents are
    recognised) are counted.
    """
    text = nfc(text)
    if _OTHER_SCRIPT.search(text):
        return None
    if len(text) >= Settings.lingua_min_chars:
        return _detect_long_text(text)
    plain = _without_names(text).lower()
    letters = set(plain)
    text = text.lower()
    vi_letters = len(letters & _VI_ONLY)
    fr_letters = len(letters & _FR_ONLY)
    if vi_letters and vi_letters >= fr_letters:
        return "vi"
    if fr_letters:
        return "fr"
    tokens = [fold(t) for t in _WORD.findall(_ELISION.sub(" ", plain)) if not t.isdigit()]
    if not tokens:
        return default
    vi = sum(t in _VI_CUES for t in tokens)
    fr_cues = sum(t in _FR_CUES for t in tokens)
    en = sum(t in _EN_CUES and t not in _FR_CUES for t in tokens)
    if en >= 2 and en > max(vi, fr_cues):
        return None
    unknown = sum(not _VI_SYLLABLE.match(t) and t not in _FR_CUES and t not in _EN_CUES for t in tokens)
    fr = fr_cues + 0.5 * unknown
    if vi == fr:
        return "vi" if set(text) & _VI_ONLY else default
    return "vi" if vi > fr else "fr"


@lru_cache(maxsize=1)
def _lingua_detector():
    """lingua's n-gram models for the three languages a document may be in (English: to refuse it)."""
    from lingua import Language, LanguageDetectorBuilder

    return (LanguageDetectorBuilder.from_languages(Language.VIETNAMESE, Language.FRENCH, Language.ENGLISH)
            .with_low_accuracy_mode().with_preloaded_language_models().build())


def _detect_long_text(text: str) -> str | None:
    """A document's language by lingua: letters and cue words mislead on a French page full of
    Vietnamese names (or the reverse); n-gram statistics over whole sentences do not."""
    language = _lingua_detector().detect_language_of(text)
    return {"VIETNAMESE": "vi", "FRENCH": "fr"}.get(language.name) if language is not None else None


def _without_names(text: str) -> str:
    """The text minus capitalised words after the first: Vietnamese names ("Lê Hồng Sơn",
    "Hà Nội") inside a French question must not make it Vietnamese."""
    found = _WORD.findall(text)
    kept = [w for i, w in enumerate(found) if i == 0 or not w[:1].isupper()]
    return " ".join(kept)


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
    text = _ELISION.sub(r"\1 ", nfc(text))
    tokens = [fold_word(t) for t in words(text)]
    kept = [stem_fr(t) for t in tokens if t not in FR_STOPWORDS]
    return [f"f:{t}" for t in kept] + _bigrams(kept, "fb:")


def analyse(text: str, lang: str) -> list[str]:
    return analyse_vi(text) if lang == "vi" else analyse_fr(text)


def analyse_query(text: str, lang: str) -> list[str]:
    """A query typed without diacritics is also read in the other analyser's folded field."""
    tokens = analyse(text, lang)
    if lang == "vi" and typed_plain(text):
        tokens += [t for t in analyse_fr(text) if t.startswith("f:")]
    return tokens


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


_FOLDED_STOPWORDS = {"vi": {fold(w) for w in VI_STOPWORDS}, "fr": {fold(w) for w in FR_STOPWORDS}}


def is_stopword(word: str, lang: str) -> bool:
    """A Vietnamese syllable typed with its tone marks is compared as written ("thí" in "thí điểm"
    is not "thì"); one typed without them may be any syllable it folds to, so it is compared folded,
    as French words always are (their accents never separate a stopword from a content word)."""
    if lang == "vi" and fold_word(word) != word:
        return word in VI_STOPWORDS
    return fold_word(word) in _FOLDED_STOPWORDS[lang]


def _content_or_gaps(text: str, lang: str) -> list[str | None]:
    """The folded words of a text in order, each stopword replaced by None."""
    prepared = _ELISION.sub(r"\1 ", text) if lang == "fr" else text
    return [None if is_stopword(w, lang) else fold_word(w) for w in words(prepared)]


def content_words(text: str, lang: str) -> list[str]:
    """Folded words that carry meaning (no stopwords, no question words)."""
    return [w for w in _content_or_gaps(text, lang) if w]


def content_pairs(text: str, lang: str) -> frozenset[str]:
    """Each two content words written side by side (French ones stemmed): "projet pilot", "chu de".
    Two syllables in a row are what a Vietnamese word usually is, and two French words a phrase."""
    kept = _content_or_gaps(text, lang)
    if lang == "fr":
        kept = [stem_fr(w) if w else None for w in kept]
    return frozenset(f"{a} {b}" for a, b in zip(kept, kept[1:], strict=False) if a and b)


def folded_words(text: str) -> set[str]:
    """The folded words of a text and their French stems: what a unit "states" for coverage."""
    return {fold_word(w) for w in words(text)} | {t[2:] for t in analyse_fr(text) if t.startswith("f:")}
