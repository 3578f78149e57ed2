"""Proper names: the runs of capitalised words a question uses, and which of them the knowledge never
mentions in any spelling the glossary knows. The sources cannot be about a place or person they never
name, so the answer says which name they miss instead of answering about another (no list of absent
places is kept)."""

from __future__ import annotations

import bisect
import re

from . import language as languages
from .knowledge import Knowledge
from .text import fold, is_vi_syllable, nfc

# a word made on a name ("Hanoïens", "Lyonnais"): the name's first MIN_NAME_STEM letters or more, and an
# ending of at most DERIVED_ENDING letters
MIN_NAME_STEM, DERIVED_ENDING = 4, 5
# a name written joined or with a suffix in the other language ("Hanoï" / "Hà Nội", "Hô Chi Minh-Ville" / "Hồ
# Chí Minh") meets a name the knowledge writes when the shorter of the two, letters joined, has this many
MIN_JOINED_PREFIX = 6
# …and the longer runs on by a suffix ("-Ville") of at most this many letters, not by another name: "Région
# Normandie" is not "Région" of "Région Grand Est"
RUN_ON_LETTERS = 5
# a word; an apostrophe ends it, so that a French elision is its own word ("l'AFD", "d'Île-de-France")
_WORD_TOKEN = re.compile(r"[^\W\d_][\w-]*")
# a name typed as the initials of another ("HCM", "IDF")
_ABBREVIATION = re.compile(r"[A-Z]{2,6}")


def proper_names(text: str) -> list[str]:
    """Runs of capitalised words: "Đà Nẵng", "La Rochelle", "Hô Chi Minh-Ville", also after a French elision
    ("l'AFD"), and words capitalised inside ("iPhone"). A single capitalised word opening the question is
    left out (it may only start the sentence), unless capitalised inside; two or more make a name."""
    text = nfc(text)
    runs = capitalised_runs(text)
    first = _WORD_TOKEN.search(text)
    opening = first.start() if first else -1
    return [" ".join(words) for start, words in runs
            if not (start == opening and len(words) == 1 and words[0][0].isupper())]


def capitalised_runs(text: str) -> list[tuple[int, list[str]]]:
    """(start, words) of each run of capitalised words in an NFC `text`, the one opening it included. A French
    name's lower-case particles between two of its capitalised words are part of it ("Pays de la Loire",
    "Centre-Val de Loire"), not the end of one name and the start of another."""
    runs: list[tuple[int, list[str]]] = []
    last_end = None
    matches = list(_WORD_TOKEN.finditer(text))
    for i, match in enumerate(matches):
        word = match.group()
        if not _capitalised(word) and (last_end is None or not _joins_a_name(text, matches, i, last_end)):
            last_end = None
            continue
        if last_end is not None and not text[last_end:match.start()].strip():
            runs[-1][1].append(word)
        else:
            runs.append((match.start(), [word]))
        last_end = match.end()
    return runs


MAX_PARTICLES = 2  # "de la"


def _joins_a_name(text: str, matches: list[re.Match[str]], i: int, last_end: int) -> bool:
    """Is the word at `i` a particle inside a name: right after a capitalised word, and followed, through at most
    `MAX_PARTICLES` particles (`name_particles`, lang/*.yaml), by a capitalised word, spaces only between?"""
    end = last_end
    for match in matches[i : i + MAX_PARTICLES + 1]:
        if text[end:match.start()] != " ":
            return False
        if _capitalised(match.group()):
            return match.start() > matches[i].start()
        if match.group() not in languages.name_particles():
            return False
        end = match.end()
    return False


def _capitalised(word: str) -> bool:
    """A name's word: capitalised, or capitalised inside as a brand is ("iPhone", "eBay"), which the start of
    a sentence never makes."""
    return word[0].isupper() or (word[0].islower() and any(c.isupper() for c in word[1:]) and "-" not in word)


class KnownNames:
    """What the knowledge writes (its lines and titles, as typed and folded) and the glossary entities it
    mentions: the names a question may ask about."""

    def __init__(self, knowledge: Knowledge, mentioned: set[str]) -> None:
        written = "\n".join([*(line.text for article in knowledge.articles.values() for line in article.lines),
                              *(article.title for article in knowledge.articles.values())])
        self._lower_text = nfc(written).lower()
        self._folded_text = fold(self._lower_text)
        every_word = re.findall(r"\w+", nfc(written))
        self._names = frozenset(fold(w).lower() for w in every_word if w[0].isupper())
        self._common_words = frozenset(w for w in every_word if w[0].islower())
        self._whole_names = frozenset(" ".join(words).lower() for line in written.splitlines()
                                      for _, words in capitalised_runs(nfc(line)))
        self._glossary = knowledge.glossary
        self._mentioned = mentioned
        self._written_names = written_names(written)

    def unknown(self, names: list[str]) -> list[str]:
        """The names no knowledge sentence or title mentions."""
        return [name for name in names if not self.mentions(name)]

    def mentions(self, name: str) -> bool:
        """A name (or, when it may open the question, "Quand Hô Chi Minh-Ville", the name after its first
        word) written in the knowledge, as it is or as the other language writes names (`WrittenNames`), or a
        glossary spelling of an entity the knowledge mentions. A tail of one Vietnamese syllable is looked for
        as typed (folded, "Nẵng" of "Đà Nẵng" would be "năng"): as a word the knowledge writes in lower case
        (the run is a title, "Phó Chủ tịch") or as a whole name ("Tỉnh Huế": "Huế"), not as the last syllable of
        another ("Thái Bình" is not "Ninh Bình")."""
        words = re.findall(r"\w+", fold(name).lower())
        tail = words[1:]
        if _written(words, self._folded_text):
            return True
        syllable_tail = len(tail) == 1 and is_vi_syllable(tail[0])
        if tail and not syllable_tail:
            if _written(tail, self._folded_text):
                return True
        elif tail and self._stands_for_name(re.findall(r"\w+", nfc(name))[1].lower()):
            return True
        if any(len(part) == 1 and self._derived_from_name(part[0]) for part in (words, tail)):
            return True
        if any(part and self._written_names.meets(part) for part in (words, [] if syllable_tail else tail)):
            return True
        if _ABBREVIATION.fullmatch(name) and self._written_names.abbreviates(words[0]):
            return True
        return any(entry.id in self._mentioned for entry in self._glossary.find(fold(name).lower()))

    def _stands_for_name(self, syllable: str) -> bool:
        """A Vietnamese syllable (lower case) ending a typed name stands for it where the knowledge writes it as a
        word in lower case (the run is a title, "Phó Chủ tịch") or as a whole name ("Tỉnh Huế": "Huế")."""
        return syllable in self._common_words or syllable in self._whole_names

    def _derived_from_name(self, word: str) -> bool:
        """A word made on a name the knowledge writes ("Hanoïens", "Lyonnais": the name and an ending of
        at most DERIVED_ENDING letters; a name's mute final e drops, "Toulousains", "Lillois") speaks of that
        place or people, not of one the sources miss."""
        shortest = max(MIN_NAME_STEM, len(word) - DERIVED_ENDING)
        return any(word[:k] in self._names or f"{word[:k]}e" in self._names
                   for k in range(len(word) - 1, shortest - 1, -1))


class WrittenNames:
    """The names the knowledge writes (runs of capitalised words and their parts), kept as the other language
    may write them: letters joined ("Hà Nội" is "Hanoï", "Cần Thơ" is "Cantho") and words in any order ("Beaudet
    Stéphane" in a Vietnamese line is "Stéphane Beaudet" in a French question)."""

    def __init__(self, runs: list[list[str]]) -> None:
        parts = [run[i:j] for run in runs for i in range(len(run)) for j in range(i + 1, len(run) + 1)]
        self._joined = sorted({"".join(part) for part in parts})
        self._word_sets = {frozenset(part) for part in parts if len(part) > 1}
        self._initials = {"".join(word[0] for word in part) for part in parts if len(part) > 1}

    def abbreviates(self, abbreviation: str) -> bool:
        """Is this (folded) abbreviation the initials of a name the knowledge writes ("HCM": "Hồ Chí Minh")?"""
        return abbreviation in self._initials

    def meets(self, words: list[str]) -> bool:
        """Do these folded words name what the knowledge writes: the same words in another order, or the same
        letters joined, one name running on past the other ("hochiminhville", "hochiminh") when the shorter
        has MIN_JOINED_PREFIX letters?"""
        if len(words) > 1 and frozenset(words) in self._word_sets:
            return True
        joined = "".join(words)
        start = bisect.bisect_left(self._joined, joined[:MIN_JOINED_PREFIX])
        for written in self._joined[start:]:
            if not written.startswith(joined[:MIN_JOINED_PREFIX]):
                break
            if written == joined or (min(len(written), len(joined)) >= MIN_JOINED_PREFIX
                                     and abs(len(written) - len(joined)) <= RUN_ON_LETTERS
                                     and (written.startswith(joined) or joined.startswith(written))):
                return True
        return False


def written_names(text: str) -> WrittenNames:
    """The runs of capitalised words of every line of `text`, folded."""
    runs = [[fold(word).lower() for word in re.findall(r"\w+", name)]
            for line in text.splitlines() for name in proper_names(line)]
    return WrittenNames(runs)


def _written(words: list[str], text: str) -> bool:
    """Are the words written in `text`, in this order, as whole words?"""
    return bool(words) and re.search(r"\b" + r"\W{1,3}".join(map(re.escape, words)) + r"\b", text) is not None


# folded, lower-case cues of a name's kind: words inside the name, or just before it
_KIND_INSIDE = [
    ("event", ("assises", "hoi nghi", "festival", "forum", "conference", "dien dan", "sommet", "le hoi", "salon",
               "seminaire", "hoi thao", "colloque")),
    ("institution", ("conseil", "comite", "agence", "association", "universite", "ministere", "ambassade",
                     "uy ban", "ubnd", "so ", "bo ", "hoi ", "truong", "dai su quan", "vien", "cong ty",
                     "tap doan", "fondation", "institut", "federation", "cites unies", "metropole")),
    ("place", ("ville", "province", "region", "departement", "commune", "tinh ", "thanh pho", "huyen", "quan ",
               "phuong", "xa ", "tp ", "tp.")),
]
_PERSON_BEFORE = {"m", "mme", "monsieur", "madame", "ong", "ba", "ngai", "dr", "pr", "maire"}
_PLACE_BEFORE = {"a", "tai", "o", "province", "ville", "tinh", "pho", "huyen", "region", "departement"}  # pho: thanh pho


def guess_kind(name: str, before: str) -> str:
    """A name's kind as the words inside it and just before it suggest ("province de …", "M. …", "Comité …"):
    the pending glossary's guess, and what a lead makes of a name the glossary lacks."""
    folded = f" {fold(name).lower()} "
    previous = [word.rstrip(".") for word in fold(before).lower().split()]
    if previous and previous[-1] in _PERSON_BEFORE:
        return "person"
    for kind, cues in _KIND_INSIDE:
        if any(f" {cue}" in folded for cue in cues):
            return kind
    if name.isupper() and len(name) <= 8:
        return "institution"  # an acronym: UNESCO, AFD, UBND
    if set(previous) & _PLACE_BEFORE:
        return "place"
    return "unknown"
