"""Checking a password against the council's directory (Active Directory or
any LDAP server) with ldap3. Off while LDAP_URL is empty.

The person is found either by a search with a service account (LDAP_BIND_DN,
LDAP_BASE_DN, LDAP_USER_FILTER), which also tells who has no directory
entry, or by building their DN from LDAP_USER_DN_TEMPLATE and binding with
it straight away."""
import ssl
from enum import Enum

import ldap3
from flask import current_app
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import escape_rdn

from models.user import normalise_email

SIZE_LIMIT_EXCEEDED = 4


class DirectoryUnavailable(Exception):
    """The directory could not give an answer: it is down, too slow, or
    refuses the service account. The message is for the log."""


class Verdict(Enum):
    ACCEPTED = "the directory accepted the password"
    REJECTED = "the directory refused the password"
    NOT_LISTED = "the directory has no entry for this email"


def enabled():
    return bool(current_app.config.get("LDAP_URL"))


def check_password(email, password):
    """The directory's verdict on this email and password."""
    config = current_app.config
    email = normalise_email(email)
    if not password:
        # An empty password is an anonymous bind, which many directories accept.
        return Verdict.REJECTED
    # ldap3 would take any certificate by default: a fake directory could collect passwords.
    tls = ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=config["LDAP_CA_FILE"] or None)
    server = ldap3.Server(config["LDAP_URL"], connect_timeout=config["LDAP_TIMEOUT"], get_info=ldap3.NONE,
                          tls=tls)
    try:
        if config["LDAP_USER_DN_TEMPLATE"]:
            user_dn = config["LDAP_USER_DN_TEMPLATE"].format(
                email=escape_rdn(email), username=escape_rdn(email.partition("@")[0])
            )
        else:
            entries = matching_entries(server, email)
            if not entries:
                return Verdict.NOT_LISTED
            if len(entries) > 1:
                current_app.logger.warning("The directory has more than one entry for %s: refused.", email)
                return Verdict.REJECTED
            user_dn = entries[0]
        return Verdict.ACCEPTED if bind(server, user_dn, password) else Verdict.REJECTED
    except LDAPException as error:
        raise DirectoryUnavailable(f"{config['LDAP_URL']}: {error}") from error


def matching_entries(server, email):
    """The DNs the search finds for this email (at most two: one too many is enough)."""
    config = current_app.config
    connection = connect(server, config["LDAP_BIND_DN"] or None, config["LDAP_BIND_PASSWORD"] or None)
    try:
        if not connection.bind():
            raise DirectoryUnavailable(f"the service account {config['LDAP_BIND_DN'] or '(anonymous)'} "
                                       f"cannot sign in: {describe(connection)}")
        connection.search(
            config["LDAP_BASE_DN"],
            config["LDAP_USER_FILTER"].format(email=escape_filter_chars(email)),
            attributes=[], size_limit=2, time_limit=config["LDAP_TIMEOUT"],
        )
        if connection.result["result"] not in (0, SIZE_LIMIT_EXCEEDED):
            raise DirectoryUnavailable(f"the search for {email} failed: {describe(connection)}")
        return [entry["dn"] for entry in connection.response if entry["type"] == "searchResEntry"]
    finally:
        connection.unbind()


def bind(server, user_dn, password):
    """True when the directory accepts the password for this DN."""
    connection = connect(server, user_dn, password)
    try:
        if connection.bind():
            return True
        if connection.result["description"] != "invalidCredentials":
            raise DirectoryUnavailable(f"signing in as {user_dn} failed: {describe(connection)}")
        return False
    finally:
        connection.unbind()


def connect(server, user, password):
    return ldap3.Connection(server, user=user, password=password, raise_exceptions=False,
                            receive_timeout=current_app.config["LDAP_TIMEOUT"])


def describe(connection):
    result = connection.result or {}
    return f"{result.get('description')} {result.get('message') or ''}".strip()
