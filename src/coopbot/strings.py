"""Every word the web face, the briefings and the answers' frames show, in Vietnamese and French, in one place."""

from __future__ import annotations

from .language import language

LANGS = ("vi", "fr")

UI: dict[str, dict[str, str]] = {
    "vi": {
        "title": "coopbot",
        "tagline": "hợp tác giữa các địa phương Việt Nam – Pháp",
        "intro": "Hỏi bằng tiếng Việt hoặc tiếng Pháp. Mỗi câu trả lời trích dẫn nguồn: bấm [n] để đọc đoạn trích.",
        "api_link": "API",
        "tab_chat": "Hỏi đáp",
        "tab_sources": "Nguồn",
        "tab_brief": "Tóm tắt",
        "placeholder": "Câu hỏi của bạn…",
        "send": "Gửi",
        "examples": "Câu hỏi mẫu",
        "comment": "Nhận xét (tùy chọn), gửi kèm lần đánh giá tiếp theo",
        "thanks": "Cảm ơn phản hồi của bạn.",
        "vote_withdrawn": "Đã bỏ đánh giá.",
        "error": "Đã có lỗi, vui lòng thử lại.",
        "checking": "đang kiểm tra nguồn…",
        "like": "Câu trả lời hữu ích",
        "dislike": "Câu trả lời chưa đúng",
        "liked": "Đã đánh giá: hữu ích",
        "disliked": "Đã đánh giá: chưa đúng",
        "scroll": "Xuống câu trả lời mới nhất",
        "open_source": "Xem nguồn {n}",
        "chat_label": "Hội thoại",
        "picker": "Bài báo",
        "brief_topic": "Chủ đề: gõ tự do hoặc chọn một mục từ điển",
        "brief_lang": "Ngôn ngữ của bản tóm tắt",
        "brief_go": "Tạo bản tóm tắt",
        "file_md": "Tải Markdown (.md)",
        "file_docx": "Tải Word (.docx)",
        "brief_empty": "Hãy gõ hoặc chọn một chủ đề.",
    },
    "fr": {
        "title": "coopbot",
        "tagline": "coopération décentralisée franco-vietnamienne",
        "intro": "Posez votre question en vietnamien ou en français. Chaque réponse cite ses sources : touchez [n] pour lire le passage.",
        "api_link": "API",
        "tab_chat": "Questions",
        "tab_sources": "Sources",
        "tab_brief": "Synthèse",
        "placeholder": "Votre question…",
        "send": "Envoyer",
        "examples": "Exemples de questions",
        "comment": "Commentaire (facultatif), joint à votre prochain avis",
        "thanks": "Merci pour votre avis.",
        "vote_withdrawn": "Avis retiré.",
        "error": "Une erreur est survenue, veuillez réessayer.",
        "checking": "vérification des sources…",
        "like": "Réponse utile",
        "dislike": "Réponse inexacte",
        "liked": "Avis donné : utile",
        "disliked": "Avis donné : inexacte",
        "scroll": "Aller à la dernière réponse",
        "open_source": "Voir la source {n}",
        "chat_label": "Conversation",
        "picker": "Article",
        "brief_topic": "Sujet : tapez librement ou choisissez une entrée du glossaire",
        "brief_lang": "Langue de la note",
        "brief_go": "Rédiger la note",
        "file_md": "Télécharger en Markdown (.md)",
        "file_docx": "Télécharger en Word (.docx)",
        "brief_empty": "Tapez ou choisissez un sujet.",
    },
}

EXAMPLES = {
    "vi": [
        "Hội nghị hợp tác giữa các địa phương Việt Nam – Pháp lần thứ 12 diễn ra ở đâu?",
        "Quan hệ hợp tác giữa TP.HCM và Lyon bắt đầu từ năm nào?",
        "Ai là Phó Thị trưởng Toulouse?",
    ],
    "fr": [
        "Combien de délégués ont participé aux 12e Assises ?",
        "Quels sont les thèmes des ateliers des Assises de Hanoï ?",
        "Depuis quand Lyon coopère-t-elle avec Hô Chi Minh-Ville ?",
    ],
}

CITATION = {
    "vi": {"machine": "Bản dịch máy, chưa được kiểm tra, không phải văn bản gốc",
           "other_language": "Đoạn trích {lang_name}, chưa được dịch",
           "translation": "Bản dịch làm việc, không phải văn bản gốc", "original": "Nguyên văn ({lang_name})",
           "date_estimated": "khoảng {date}", "nameless_outlet": "tài liệu {file}",
           "added_on": "không rõ ngày đăng, thêm vào ngày {date}"},
    "fr": {"machine": "Traduction automatique, non relue, pas le texte original",
           "other_language": "Passage en {lang_name}, non traduit",
           "translation": "Traduction de travail, pas le texte original", "original": "Texte original ({lang_name})",
           "date_estimated": "vers le {date}", "nameless_outlet": "le document {file}",
           "added_on": "date de publication inconnue, ajouté le {date}"},
}

SOURCES = {
    "vi": {"date": "Ngày", "outlet": "Nguồn", "title": "Tiêu đề", "lang": "Ngôn ngữ gốc", "sentences": "Số câu",
           "translation": "bản dịch làm việc", "vi": "tiếng Việt", "fr": "tiếng Pháp"},
    "fr": {"date": "Date", "outlet": "Média", "title": "Titre", "lang": "Langue d'origine", "sentences": "Phrases",
           "translation": "traduction de travail", "vi": "vietnamien", "fr": "français"},
}

BRIEFING = {
    "vi": {"brief": "Tài liệu tóm tắt", "refs": "Nguồn", "other": "Thông tin khác",
           "none": "Không có thông tin nào trong các nguồn về chủ đề này.", "translation": "bản dịch làm việc",
           "generated": "Tạo bởi coopbot ngày {date}."},
    "fr": {"brief": "Note de synthèse", "refs": "Références", "other": "Autres informations",
           "none": "Les sources ne disent rien sur ce sujet.", "translation": "traduction de travail",
           "generated": "Rédigée par coopbot le {date}."},
}

# A question that asks for two things, one of which no source states (twopart.py): said after the other's answer.
UNSTATED_PART = {"vi": "Các nguồn không trả lời phần câu hỏi này: «{part}».",
                 "fr": "Les sources ne répondent pas à cette partie de la question : « {part} »."}

FR_MONTHS = language("fr").month_names


def display_date(iso: str, lang: str, estimated: bool = False) -> str:
    """One way to write a date: 14/04/2023 in Vietnamese, 14 avril 2023 in French; an estimate says so."""
    try:
        year, month, day = (int(part) for part in iso.split("-"))
    except ValueError:
        return iso
    if lang == "fr":
        shown = f"{'1er' if day == 1 else day} {FR_MONTHS[month - 1]} {year}"
    else:
        shown = f"{day:02d}/{month:02d}/{year}"
    return CITATION[lang]["date_estimated"].format(date=shown) if estimated else shown
