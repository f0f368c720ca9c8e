"""The sign-in form: Django's, with the wording and input hints of an email login."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {  # noqa: RUF012 - same shape as Django's class attribute it overrides.
        "invalid_login": _("That email and password do not match an account. Check both and try again."),
        "inactive": _("This account is disabled. Contact Veracast staff if you think this is a mistake."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email")
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "email", "inputmode": "email", "autocapitalize": "none", "spellcheck": "false"}
        )
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def clean_username(self) -> str:
        # Accounts store their email in lower case; people often type it capitalised.
        return str(self.cleaned_data.get("username", "")).strip().lower()
