"""Accounts: password hashing (Argon2id), the password policy, creating
users and checking credentials."""
from enum import Enum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from models import User, utcnow
from models.user import ROLES, normalise_email
from services.people import directory
from services.validation import record_problems

MIN_PASSWORD_LENGTH = 12
# Argon2 hashes whatever it is given; a cap stops a megabyte "password"
# from being used to tie up the server.
MAX_PASSWORD_LENGTH = 256
VALID_ROLES = [role for role, _label in ROLES]


class AccountError(ValueError):
    """An account that cannot be saved as asked: `problems` says what is
    wrong, {field: message}, for the person who asked."""

    def __init__(self, problems):
        super().__init__(" ".join(problems.values()))
        self.problems = problems


class SignInProblem(Enum):
    """Why a sign-in is refused, beyond "not right"."""

    DIRECTORY_UNAVAILABLE = "directory unavailable"
    NO_APPRAISE_ACCOUNT = "no Appraise account"


class SignInRefused(Exception):
    """A sign-in refused for a reason the person should be told: the
    message is for them."""

    def __init__(self, message, reason):
        super().__init__(message)
        self.reason = reason


DIRECTORY_UNAVAILABLE = ("Appraise cannot reach the council directory just now, so it cannot check "
                         "your password. Please try again in a few minutes; if this goes on, tell the "
                         "IT service desk.")
NO_APPRAISE_ACCOUNT = ("Your council password is right, but {email} has no active Appraise account. "
                       "Ask HR to set one up.")


def _hasher():
    config = current_app.config
    return PasswordHasher(
        time_cost=config["PASSWORD_HASH_TIME_COST"],
        memory_cost=config["PASSWORD_HASH_MEMORY_COST"],
    )


def password_problem(password, email):
    """Why a password is not acceptable, or None when it is."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Use at most {MAX_PASSWORD_LENGTH} characters."
    if password.strip().lower() == normalise_email(email):
        return "The password must not be your email address."
    return None


def hash_password(password):
    return _hasher().hash(password)


def set_password(user, password):
    problem = password_problem(password, user.email)
    if problem:
        raise AccountError({"password": problem})
    user.password_hash = hash_password(password)


def create_user(email, name, role, password, active=True):
    """A new account, by the same rules whichever way it is asked for
    (`create-user`, the admin's form): when any is broken, AccountError
    says every problem and nothing is saved."""
    user = User(email=normalise_email(email), name=(name or "").strip(), role=role, active=active)
    problems = record_problems(user)
    problem = password_problem(password, user.email) if password else "Set a password for the new account."
    if problem:
        problems["password"] = problem
    if problems:
        raise AccountError(problems)
    user.password_hash = hash_password(password)
    user.save()
    return user


def authenticate(email, password):
    """The active user with these credentials, or None.

    With directory sign-in on, the directory checks the password of everyone
    it lists and the matching active Appraise account decides what they may
    do; people it does not list use their Appraise password. Raises
    SignInRefused when the person needs to be told more than "not right"."""
    if len(password) > MAX_PASSWORD_LENGTH:
        return None
    if not directory.enabled():
        return authenticate_with_appraise_password(email, password)
    try:
        verdict = directory.check_password(email, password)
    except directory.DirectoryUnavailable as error:
        current_app.logger.error("Directory sign-in is unavailable: %s", error)
        # Appraise passwords still work, so HR can sign in while the directory is down.
        user = authenticate_with_appraise_password(email, password)
        if user is None:
            raise SignInRefused(DIRECTORY_UNAVAILABLE, SignInProblem.DIRECTORY_UNAVAILABLE) from error
        return user
    if verdict is directory.Verdict.NOT_LISTED:
        return authenticate_with_appraise_password(email, password)
    if verdict is directory.Verdict.REJECTED:
        return None
    user = User.get_or_none((User.email == normalise_email(email)) & (User.active == True))  # noqa: E712
    if user is None:
        raise SignInRefused(NO_APPRAISE_ACCOUNT.format(email=normalise_email(email)),
                            SignInProblem.NO_APPRAISE_ACCOUNT)
    user.last_login = utcnow()
    user.save()
    return user


def authenticate_with_appraise_password(email, password):
    """The active user with this Appraise password, or None. Takes about as
    long for an unknown email as for a wrong password, so timing does not
    tell which emails have accounts."""
    user = User.get_or_none(User.email == normalise_email(email))
    hasher = _hasher()
    if user is None:
        hasher.hash(password)
        return None
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if not user.active:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    user.last_login = utcnow()
    user.save()
    return user
