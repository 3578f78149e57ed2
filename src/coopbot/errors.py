"""User-facing errors: a code, and a message in each supported language."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "empty_question": {
        "vi": "Câu hỏi trống. Vui lòng nhập một câu hỏi.",
        "fr": "La question est vide. Veuillez saisir une question.",
    },
    "question_too_long": {
        "vi": "Câu hỏi quá dài ({length} ký tự, tối đa {limit}). Vui lòng rút gọn câu hỏi.",
        "fr": "La question est trop longue ({length} caractères, maximum {limit}). Veuillez la raccourcir.",
    },
    "unsupported_language": {
        "vi": "coopbot chỉ trả lời bằng tiếng Việt và tiếng Pháp.",
        "fr": "coopbot ne répond qu'en vietnamien et en français.",
    },
    "index_unavailable": {
        "vi": "Không mở được chỉ mục ({detail}).",
        "fr": "Impossible d'ouvrir l'index ({detail}).",
    },
    "index_busy": {
        "vi": "Một tiến trình coopbot khác đang ghi chỉ mục (khóa {lock}, đã chờ {seconds} giây). Hãy thử lại khi tiến trình đó kết thúc.",
        "fr": "Un autre processus coopbot écrit l'index (verrou {lock}, attendu {seconds} s). Réessayez quand il aura fini.",
    },
    "chroma_unreachable": {
        "vi": "Không kết nối được máy chủ Chroma tại {url}. Hãy khởi động máy chủ hoặc sửa COOPBOT_CHROMA_URL.",
        "fr": "Le serveur Chroma {url} est injoignable. Démarrez-le ou corrigez COOPBOT_CHROMA_URL.",
    },
    "embedder_mismatch": {
        "vi": "Chỉ mục được tạo bằng bộ nhúng {built}, nhưng cấu hình hiện tại là {configured}. Chạy `coopbot index --rebuild`.",
        "fr": "L'index a été construit avec l'embedder {built}, mais la configuration demande {configured}. Lancez `coopbot index --rebuild`.",
    },
    "missing_dependency": {
        "vi": "Thiếu gói {package}: cài bằng `pip install {install}`.",
        "fr": "Le paquet {package} manque : installez-le avec `pip install {install}`.",
    },
    "knowledge_invalid": {
        "vi": "Cơ sở tri thức không hợp lệ: chạy `coopbot check` để xem chi tiết.",
        "fr": "La base de connaissances est invalide : lancez `coopbot check` pour le détail.",
    },
    "request_too_large": {
        "vi": "Yêu cầu quá lớn (tối đa {limit} byte).",
        "fr": "Requête trop volumineuse (max {limit} octets).",
    },
    "invalid_request": {
        "vi": "Yêu cầu không hợp lệ: {detail}",
        "fr": "Requête invalide : {detail}",
    },
    "rate_limited": {
        "vi": "Quá nhiều yêu cầu từ địa chỉ của bạn ({limit} mỗi phút). Vui lòng thử lại sau {retry} giây.",
        "fr": "Trop de requêtes depuis votre adresse ({limit} par minute). Réessayez dans {retry} s.",
    },
    "staff_only": {
        "vi": "Chỉ nhân viên được tải phản hồi: cần thông tin xác thực của nhân viên.",
        "fr": "Export réservé à l'équipe : identifiants du personnel requis.",
    },
    "export_disabled": {
        "vi": "Chưa bật tải phản hồi qua web: đặt COOPBOT_STAFF_TOKEN trên máy chủ.",
        "fr": "Export web désactivé : définissez COOPBOT_STAFF_TOKEN sur le serveur.",
    },
    "forbidden_origin": {
        "vi": "Yêu cầu từ trang khác ({origin}) bị từ chối.",
        "fr": "Requête refusée : elle vient d'un autre site ({origin}).",
    },
}


class CoopbotError(Exception):
    """An error a user can act on; `code` selects the message, `params` fill it."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(self.message("fr"))

    def message(self, lang: str = "fr") -> str:
        templates = MESSAGES.get(self.code, {})
        template = templates.get(lang) or templates.get("fr") or self.code
        return template.format(**self.params)

    def bilingual(self) -> str:
        return f"{self.message('vi')} / {self.message('fr')}"
