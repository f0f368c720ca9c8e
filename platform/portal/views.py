"""Portal pages. Views stay thin: they read through `portal.selectors` and render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import lockout, tokens
from accounts.models import ApiToken, User
from accounts.signup import SignupLimit, sign_up_influencer
from common.api import DomainError

from .context_processors import roles_for
from .forms import LoginForm, SignupForm
from .selectors import get_dashboard


class LoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = LoginForm
    # A signed-in person who opens the login page is sent on to the dashboard instead of signing in twice.
    redirect_authenticated_user = True


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """A new influencer creates her account (accounts.signup) and lands on her dashboard, signed in. Attempts are
    limited per network like failed logins; a refusal is shown as sentences next to the form."""
    if request.user.is_authenticated:
        return redirect("portal:dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        if not SignupLimit.spend(lockout.client_ip(request)):
            response = render(
                request, "portal/signup.html", {"form": form, "blocked": _signup_limit_message()}, status=429
            )
            response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
            return response
        if form.is_valid():
            try:
                user = sign_up_influencer(
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password"],
                    display_name=form.cleaned_data["display_name"],
                    stage_name=form.cleaned_data["stage_name"],
                )
            except ValidationError as refusal:  # the password rules' own sentences
                form.add_error("password", refusal)
            except DomainError as refusal:  # a taken address (named nowhere) or a refused stage name
                form.add_error(None, str(refusal.detail))
            else:
                auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return redirect("portal:dashboard")
    return render(request, "portal/signup.html", {"form": form}, status=400 if form.errors else 200)


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
