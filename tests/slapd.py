"""A real OpenLDAP server (Debian's slapd) with a small council directory,
started on free localhost ports (ldap:// and ldaps://, with a certificate
of its own) in a temporary folder.

The directory has a service account that may search, and people under
ou=people; anonymous users may only bind. Passwords are stored hashed."""
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

from tests.processes import free_port, wait_for_port

SUFFIX = "dc=northvale,dc=gov,dc=uk"
PEOPLE = f"ou=people,{SUFFIX}"
SERVICE_DN = f"cn=appraise-reader,ou=services,{SUFFIX}"
SERVICE_PASSWORD = "reader-password-of-the-service-account"
SCHEMA = Path("/etc/ldap/schema")

CONFIG = """\
include {schema}/core.schema
include {schema}/cosine.schema
include {schema}/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {folder}/slapd.pid
TLSCertificateFile {folder}/certificate.pem
TLSCertificateKeyFile {folder}/key.pem

database mdb
maxsize 10485760
suffix "{suffix}"
rootdn "cn=admin,{suffix}"
directory {folder}/data
access to attrs=userPassword
    by anonymous auth
    by * none
access to *
    by dn.exact="{service}" read
    by self read
    by * none
"""


def entry(dn, *lines):
    return "\n".join((f"dn: {dn}", *lines)) + "\n"


def directory_entries(people):
    """LDIF for the organisation, its service account and `people`:
    (uid, mail, password)."""
    entries = [
        entry(SUFFIX, "objectClass: dcObject", "objectClass: organization", "o: North Vale", "dc: northvale"),
        entry(PEOPLE, "objectClass: organizationalUnit", "ou: people"),
        entry(f"ou=services,{SUFFIX}", "objectClass: organizationalUnit", "ou: services"),
        entry(SERVICE_DN, "objectClass: person", "cn: appraise-reader", "sn: Reader",
              f"userPassword: {hashed(SERVICE_PASSWORD)}"),
    ]
    for uid, mail, password in people:
        entries.append(entry(f"uid={uid},{PEOPLE}", "objectClass: inetOrgPerson", f"uid: {uid}",
                             f"cn: {uid}", f"sn: {uid}", f"mail: {mail}",
                             f"userPassword: {hashed(password)}"))
    return "\n".join(entries)


def tool(name):
    """slapd's programs live in /usr/sbin, which not every PATH has."""
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin") or name


def hashed(password):
    return subprocess.run([tool("slappasswd"), "-s", password], capture_output=True, text=True,
                          check=True).stdout.strip()


def make_certificate(folder):
    """A self-signed certificate for 127.0.0.1: trusted only when named as the CA."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(folder / "key.pem"), "-out", str(folder / "certificate.pem"),
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return folder / "certificate.pem"


@contextmanager
def running_slapd(folder, people):
    """Yields the addresses (url, ldaps_url) and the certificate of a slapd
    serving a directory of `people`."""
    folder = Path(folder)
    (folder / "data").mkdir(parents=True)
    certificate = make_certificate(folder)
    config = folder / "slapd.conf"
    config.write_text(CONFIG.format(schema=SCHEMA, folder=folder, suffix=SUFFIX, service=SERVICE_DN))
    ldif = folder / "directory.ldif"
    ldif.write_text(directory_entries(people))
    subprocess.run([tool("slapadd"), "-f", str(config), "-l", str(ldif)], check=True, capture_output=True)
    port, tls_port = free_port(), free_port()
    url, ldaps_url = f"ldap://127.0.0.1:{port}", f"ldaps://127.0.0.1:{tls_port}"
    # -d 0: stay in the foreground, so the test owns the process.
    process = subprocess.Popen([tool("slapd"), "-f", str(config), "-h", f"{url}/ {ldaps_url}/", "-d", "0"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process)
        wait_for_port(tls_port, process)
        yield SimpleNamespace(url=url, ldaps_url=ldaps_url, certificate=certificate)
    finally:
        process.terminate()
        process.wait(timeout=10)
