"""Public sign-up: a new influencer creates her own account and influencer profile from the portal (/signup/), and a
brand owner an account with a new, unverified brand (/signup/brand/).

The account, the profile and the brand are made by the existing services (`create_user`, `create_influencer_profile`,
`create_organisation`), so they are ledgered as everywhere else (`user.created`, `influencer.created`,
`organisation.created` + `membership.set`) in one transaction: a refusal half way leaves nothing behind.

An address that already has an account is refused with a sentence that names no account (OWASP's authentication
and registration guidance): the page says the details cannot be used and to sign in instead, and the owner of the
address is told by email that someone tried to register it. A sign-up form cannot hide completely whether an address
is taken without email verification before the account exists; what bounds that probing is the per-network limit
on attempts (`SignupLimit` below), the same budget and cool-off as failed logins (accounts/lockout.py).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.services import create_influencer_profile, create_organisation, create_user
from common.api import DomainError

__all__ = ["SignupLimit", "sign_up_brand_owner", "sign_up_influencer"]


class SignupLimit:
    """At most AXES_FAILURE_LIMIT sign-up attempts per client IP within AXES_COOLOFF_TIME (the login's budget),
    counted in the cache whatever the outcome: a successful sign-up uses the budget too, so a script cannot create
    accounts or probe addresses in bulk from one network."""

    PREFIX = "signup-attempts:"

    @classmethod
    def key(cls, ip: str) -> str:
        return f"{cls.PREFIX}{ip}"

    @classmethod
    def spend(cls, ip: str) -> bool:
        """Count one attempt from `ip`; False when the budget was already used up."""
        key = cls.key(ip)
        window = int(settings.AXES_COOLOFF_TIME.total_seconds())
        cache.add(key, 0, timeout=window)
        try:
            attempts = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            attempts = 1
        return attempts <= int(settings.AXES_FAILURE_LIMIT)


def sign_up_influencer(*, email: str, password: str, display_name: str, stage_name: str) -> User:
    """Create an account that signs in with `email` and `password`, with an influencer profile named `stage_name`.

    The password must pass AUTH_PASSWORD_VALIDATORS (the rules every account's password follows); its refusal is
    raised as Django's ValidationError with the validators' sentences. A taken address is a DomainError
    `signup_refused` whose message names no account."""
    email = _checked(email=email, password=password, display_name=display_name)
    with transaction.atomic():
        user = create_user(email=email, password=password, display_name=display_name.strip())
        create_influencer_profile(user=user, stage_name=stage_name)
    return user


def sign_up_brand_owner(*, email: str, password: str, display_name: str, organisation_name: str) -> Organisation:
    """Create an account as for an influencer, and a new brand it owns. The brand starts unverified, as every brand
    does (`create_organisation`): nobody can grant it consent until its owner submits its legal entity and staff
    verify it. Its slug is made from the name plus a random suffix, so two brands of one name never collide (a
    look-alike of a *verified* brand is refused by `check_brand_name`, a DomainError)."""
    email = _checked(email=email, password=password, display_name=display_name)
    slug = f"{slugify(organisation_name)[:60] or 'brand'}-{secrets.token_hex(4)}"
    with transaction.atomic():
        user = create_user(email=email, password=password, display_name=display_name.strip())
        return create_organisation(name=organisation_name, slug=slug, owner=user)


def _checked(*, email: str, password: str, display_name: str) -> str:
    """The normalised email, once the password passes the rules and the address has no account."""
    email = User.objects.normalize_email(email).strip().lower()
    password_validation.validate_password(password, user=User(email=email, display_name=display_name.strip()))
    if User.objects.filter(email=email).exists():
        _tell_the_owner(email)
        raise DomainError(
            _(
                "An account cannot be created with these details. If you already have a Veracast account, "
                "sign in instead."
            ),
            code="signup_refused",
        )
    return email


def _tell_the_owner(email: str) -> None:
    send_mail(
        subject=_("Someone tried to create a Veracast account with your email address"),
        message=_(
            "Someone tried to create a new Veracast account with this email address. It already has an account, "
            "so nothing was changed. If it was you, sign in instead. If it was not you, you can ignore this email."
        ),
        from_email=None,
        recipient_list=[email],
        fail_silently=True,
    )
