"""The sign-in form (Django's, with the wording and input hints of an email login) and the public sign-up form."""

from __future__ import annotations

from typing import Any

from django import forms
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


class SignupForm(forms.Form):
    """A new influencer's own account: who she is, how she signs in, and the name her audience knows."""

    display_name = forms.CharField(label=_("Your name"), max_length=150)
    stage_name = forms.CharField(
        label=_("Stage name"), max_length=150, help_text=_("The name your audience knows you by.")
    )
    email = forms.EmailField(label=_("Email"), max_length=254)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 10 characters, not only digits, not a common password and not close to your name or email."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["display_name"].widget.attrs.update({"autocomplete": "name"})
        self.fields["stage_name"].widget.attrs.update({"autocomplete": "nickname"})
        self.fields["email"].widget.attrs.update(
            {"autocomplete": "email", "inputmode": "email", "autocapitalize": "none", "spellcheck": "false"}
        )
        for name in ("stage_name", "password"):
            self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}_help"


class BrandSignupForm(forms.Form):
    """A brand owner's own account and the brand it owns (verified later by staff, as every brand)."""

    display_name = forms.CharField(label=_("Your name"), max_length=150)
    organisation_name = forms.CharField(
        label=_("Brand name"), max_length=200, help_text=_("Staff verify the brand's legal entity before it can work.")
    )
    email = forms.EmailField(label=_("Email"), max_length=254)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=SignupForm.base_fields["password"].help_text,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["display_name"].widget.attrs.update({"autocomplete": "name"})
        self.fields["organisation_name"].widget.attrs.update({"autocomplete": "organization"})
        self.fields["email"].widget.attrs.update(
            {"autocomplete": "email", "inputmode": "email", "autocapitalize": "none", "spellcheck": "false"}
        )
        for name in ("organisation_name", "password"):
            self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}_help"
