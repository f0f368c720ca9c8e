"""Portal pages. Views stay thin: they read through `portal.selectors` and render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts import lockout, tokens
from accounts.models import ApiToken, User
from accounts.signup import SignupLimit, sign_up_brand_owner, sign_up_influencer
from common.api import DomainError

from .context_processors import roles_for
from .forms import BrandSignupForm, LoginForm, SignupForm
from .selectors import get_dashboard


class LoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = LoginForm
    # A signed-in person who opens the login page is sent on to the dashboard instead of signing in twice.
    redirect_authenticated_user = True


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """A new influencer creates her account (accounts.signup) and lands on her dashboard, signed in."""

    def create(data: dict[str, Any]) -> User:
        return sign_up_influencer(
            email=data["email"],
            password=data["password"],
            display_name=data["display_name"],
            stage_name=data["stage_name"],
        )

    return _signup_page(request, SignupForm(request.POST or None), create, brand=False)


@require_http_methods(["GET", "POST"])
def signup_brand(request: HttpRequest) -> HttpResponse:
    """A brand owner creates an account and an unverified brand it owns, and lands on the dashboard."""

    def create(data: dict[str, Any]) -> User:
        organisation = sign_up_brand_owner(
            email=data["email"],
            password=data["password"],
            display_name=data["display_name"],
            organisation_name=data["organisation_name"],
        )
        return organisation.memberships.get().user

    return _signup_page(request, BrandSignupForm(request.POST or None), create, brand=True)


# What a refused brand name is told, by the service's code (brands.check_brand_name words them in English only).
BRAND_NAME_REFUSALS = {
    "brand_name_invalid_characters": gettext_lazy(
        "Brand names cannot contain invisible, control or text-direction characters. Type the name again."
    ),
    "name_required": gettext_lazy("A brand name needs at least one letter or digit."),
    "brand_name_lookalike": gettext_lazy(
        "This name looks like a verified brand. Choose a name that cannot be mistaken for it."
    ),
}


def _signup_page(
    request: HttpRequest, form: forms.Form, create: Callable[[dict[str, Any]], User], *, brand: bool
) -> HttpResponse:
    """The sign-up pages' shared flow: attempts limited per network like failed logins; a refusal shown as
    sentences next to the form; on success, signed in and sent to the dashboard."""
    if request.user.is_authenticated:
        return redirect("portal:dashboard")
    context: dict[str, Any] = {"form": form, "brand": brand}
    if request.method == "POST":
        if not SignupLimit.spend(lockout.client_ip(request)):
            context["blocked"] = _signup_limit_message()
            response = render(request, "portal/signup.html", context, status=429)
            response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
            return response
        if form.is_valid():
            try:
                user = create(form.cleaned_data)
            except ValidationError as refusal:  # the password rules' own sentences
                form.add_error("password", refusal)
            except DomainError as refusal:  # a taken address (named nowhere) or a refused brand name
                if refusal.code in BRAND_NAME_REFUSALS:
                    form.add_error("organisation_name", str(BRAND_NAME_REFUSALS[refusal.code]))
                else:
                    form.add_error(None, str(refusal.detail))
            else:
                auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return redirect("portal:dashboard")
    return render(request, "portal/signup.html", context, status=400 if form.errors else 200)


def _signup_limit_message() -> str:
    return _(
        "Too many sign-up attempts from this network. Try again in %(minutes)d minutes, or contact Veracast staff."
    ) % {"minutes": lockout.cool_off_minutes()}


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    context = get_dashboard(user=request.user, roles=roles_for(request))  # type: ignore[arg-type]
    return render(request, "portal/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The signed-in person's API tokens (prefix, created, expiry, last use); POST `token` revokes one."""
    user = request.user
    assert isinstance(user, User)
    if request.method == "POST":
        try:
            token = tokens.get_api_token(user, str(request.POST.get("token", "")))
        except ValidationError:  # not a UUID
            token = None
        if token is None:
            messages.error(request, _("That token no longer exists: it was already revoked or has expired."))
        else:
            tokens.revoke_api_tokens(user=user, tokens=ApiToken.objects.filter(pk=token.pk), reason="revoked")
            messages.success(request, _("The token %(prefix)s… is revoked.") % {"prefix": token.prefix})
        return redirect("portal:api-tokens")
    return render(request, "portal/api_tokens.html", {"tokens": tokens.list_api_tokens_for(user)})
