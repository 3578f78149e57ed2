"""Put the tone marks back on Vietnamese typed without them ("bi thu thanh uy ha noi la ai" →
"bí thư thành ủy hà nội là ai"), so that the multilingual embedder, which reads plain Vietnamese
poorly, sees the question as the articles spell it.

The vocabulary is the knowledge's own Vietnamese text and glossary: each plain syllable becomes
the marked syllable most often written there next to its neighbours (syllable bigrams first, then
the syllable alone). Written by hand: the restoration models worth using need downloaded weights,
and this small n-gram table covers the words the articles use, which are the ones that matter.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from .language import language
from .text import fold_word

_TOKEN = re.compile(r"(\w+)")
NEIGHBOUR_WEIGHT = 10  # a syllable pair seen in the articles outweighs any count of the syllable alone
# How questions are asked (vi.yaml): articles seldom say "có bao nhiêu" or "ở đâu", questions always do.
QUESTION_PHRASES = language("vi").question_phrases
QUESTION_PHRASE_WEIGHT = 5


class DiacriticRestorer:
    def __init__(self, texts: Iterable[str]) -> None:
        self._forms: dict[str, Counter[str]] = defaultdict(Counter)  # plain syllable → marked forms
        self._after: Counter[tuple[str, str]] = Counter()  # (marked form, next plain syllable)
        self._before: Counter[tuple[str, str]] = Counter()  # (previous marked form, marked form)
        for text in texts:
            self._learn(text)
        for phrase in QUESTION_PHRASES * QUESTION_PHRASE_WEIGHT:
            self._learn(phrase)

    def _learn(self, text: str) -> None:
        syllables = [w.lower() for w in _TOKEN.findall(text)]
        for i, form in enumerate(syllables):
            self._forms[fold_word(form)][form] += 1
            if i + 1 < len(syllables):
                self._after[(form, fold_word(syllables[i + 1]))] += 1
                self._before[(form, syllables[i + 1])] += 1

    def restore(self, text: str) -> str:
        """`text` with each plain syllable the vocabulary knows given its likeliest marks;
        syllables already marked, and unknown ones, are left as typed."""
        parts = _TOKEN.split(text)
        words = [i for i in range(1, len(parts), 2)]
        previous = ""
        for position, i in enumerate(words):
            word = parts[i]
            following = fold_word(parts[words[position + 1]].lower()) if position + 1 < len(words) else ""
            chosen = self._choose(word.lower(), previous, following)
            parts[i] = _same_case(word, chosen)
            previous = chosen
        return "".join(parts)

    def _choose(self, word: str, previous: str, following: str) -> str:
        if fold_word(word) != word:
            return word
        forms = self._forms.get(word)
        if not forms:
            return word
        return max(forms, key=lambda form: (
            NEIGHBOUR_WEIGHT * (self._before[(previous, form)] + self._after[(form, following)]) + forms[form]
        ))


def _same_case(typed: str, form: str) -> str:
    if typed.isupper() and len(typed) > 1:
        return form.upper()
    if typed[:1].isupper():
        return form[:1].upper() + form[1:]
    return form
