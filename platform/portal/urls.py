from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("signup/", views.signup, name="signup"),
    path("signup/brand/", views.signup_brand, name="signup-brand"),
    # Django 5 only logs out on POST; the button in the page header is a form with a CSRF token.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/api-tokens/", views.api_tokens, name="api-tokens"),
    path("", views.dashboard, name="dashboard"),
]
