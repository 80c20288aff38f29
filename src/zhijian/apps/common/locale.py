"""Language selection: Simplified Chinese unless the user chose otherwise."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but a browser's Accept-Language never overrides zh-Hans.

    The platform serves a Chinese city's administration: the interface is Chinese by default
    and English only when a user picks it (the language cookie set by ``set_language``).
    A visitor whose browser happens to prefer English still sees the Chinese interface.
    Machines calling the HTTP API state their language with Accept-Language, which is
    honoured there (problem details in English for an English client).
    """

    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith("/api/"):
            super().process_request(request)
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        available = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def is_english() -> bool:
    """Whether the active language is English (``en``, ``en-us``, …); otherwise it is Chinese."""
    return (translation.get_language() or "").startswith("en")


def short_language() -> str:
    """The active language as the domain's letters, reports and sheets name it: ``"en"`` or ``"zh"``."""
    return "en" if is_english() else "zh"
