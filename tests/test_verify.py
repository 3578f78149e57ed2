"""The verifier on hand-written answers: it must pass what the passages say and fail anything else."""

from __future__ import annotations

import pytest

from coopbot.knowledge import Glossary, GlossaryEntry
from coopbot.verify import Verifier, answer_sentences, common_words, figures

PASSAGES = {
    1: "Vietnam+\n2023-04-14\nHội nghị lần thứ 12 có sự tham gia của hơn 1.000 đại biểu tại Hà Nội.",
    2: "BNEWS\n2023-04-10\nLes 12e Assises, du 13 au 16/4/2023, devraient réunir plus de 800 délégués.",
    3: "Thời Đại\n2023-04-12\nQuan hệ hợp tác giữa Thành phố Hồ Chí Minh và Lyon bắt đầu từ năm 1997.",
}
HCM = GlossaryEntry(id="hcm", kind="place", vi=["Thành phố Hồ Chí Minh", "TP.HCM"], fr=["Hô Chi Minh-Ville"],
                    variants=[], note="")


@pytest.fixture(scope="module")
def verifier() -> Verifier:
    return Verifier(Glossary([HCM]), common_words(["selon la presse, la coopération entre les villes a commencé"]))


@pytest.mark.parametrize("answer", [
    "Plus de 1 000 délégués ont participé [1].",
    "Hơn 1000 đại biểu tham dự [1]; theo BNEWS, dự kiến 800 [2].",
    "Les Assises se tiennent du 13 au 16 avril 2023 [2].",
    "Selon Vietnam+ (14/04/2023), plus de 1.000 délégués étaient à Ha Noi [1].",
    "La coopération entre Hô Chi Minh-Ville et Lyon date de 1997. [3]",
    "- 1 000 délégués selon Vietnam+ [1]\n- 800 selon BNEWS [2]",
])
def test_answers_stated_by_their_cited_passages_pass(verifier, answer):
    verdict = verifier.check(answer, PASSAGES)
    assert verdict.ok, verdict


@pytest.mark.parametrize(("answer", "reason"), [
    ("Plus de 1 200 délégués ont participé [1].", "unsupported_figure"),
    ("Les Assises ont eu lieu en 2022 [2].", "unsupported_figure"),
    ("Plus de 800 délégués ont participé [1].", "unsupported_figure"),  # a true figure, cited to the wrong source
    ("Les Assises se tiennent du 13 au 16 mai 2023 [2].", "unsupported_figure"),
    ("Hơn 1.000 đại biểu tham dự tại Đà Nẵng [1].", "unsupported_name"),
    ("BANANA [1].", "unsupported_name"),
    ("Plus de 1 000 délégués [4].", "bad_citation"),
    ("Plus de 1 000 délégués [0].", "bad_citation"),
    ("Plus de 1 000 délégués [1]. C'est un record.", "uncited_sentence"),
    ("Plus de 1 000 délégués ont participé.", "uncited_sentence"),
    ("   ", "empty_output"),
])
def test_unsupported_answers_fail_with_their_reason(verifier, answer, reason):
    verdict = verifier.check(answer, PASSAGES)
    assert not verdict.ok and verdict.reason == reason


def test_cited_passages_are_listed_in_order_of_first_citation(verifier):
    verdict = verifier.check("800 selon BNEWS [2]. Plus de 1 000 selon Vietnam+ [1][2].", PASSAGES)
    assert verdict.ok and verdict.cited == (2, 1)


def test_number_forms_and_dates_are_compared_as_values():
    assert figures("1.000, 1 000, 1\u202f000 et 1000") == {"1000"}
    assert figures("14/04/2023") == figures("14 avril 2023") == figures("ngày 14/4/2023") == {"14", "4", "2023"}
    assert figures("1,5 triệu [3]") == {"1.5"}


def test_abbreviations_do_not_end_a_sentence():
    assert answer_sentences("Selon M. Dardelet, Toulouse coopère avec Hanoï [2].") == [
        "Selon M. Dardelet, Toulouse coopère avec Hanoï [2]."]


def test_markers_after_a_full_stop_belong_to_the_sentence_before():
    assert answer_sentences("Lyon depuis 1997. [3] Hanoï en 2023. [1][2]") == [
        "Lyon depuis 1997. [3]", "Hanoï en 2023. [1][2]"]
