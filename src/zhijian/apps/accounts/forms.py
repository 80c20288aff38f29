from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zhijian.apps.accounts import services
from zhijian.apps.common.http import client_address


class RateLimitedAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing to even try after too many recent failures."""

    rate_limited = False

    def clean(self) -> dict[str, Any]:
        username = self.data.get("username", "") or ""
        address = client_address(self.request) if self.request else "unknown"
        if not services.login_allowed(username, address):
            self.rate_limited = True
            raise ValidationError(
                _("Too many failed log-in attempts. Wait a few minutes and try again."), code="rate_limited"
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            services.note_login_failure(username, address)
            raise
        services.clear_login_failures(username, address)
        return cleaned
