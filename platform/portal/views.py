"""Portal pages. Views stay thin: they read through `portal.selectors` and render."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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
