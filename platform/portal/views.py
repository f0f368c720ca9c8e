"""Portal pages. Views stay thin: they read through `portal.selectors` and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import tokens
from accounts.models import ApiToken, User

from .context_processors import roles_for
from .forms import LoginForm
from .selectors import get_dashboard


class LoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = LoginForm
    # A signed-in person who opens the login page is sent on to the dashboard instead of signing in twice.
    redirect_authenticated_user = True


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
