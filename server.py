"""The production web server: waitress (pure Python, on Linux and Windows)
behind the council's reverse proxy."""
import waitress
from werkzeug.middleware.proxy_fix import ProxyFix


def trust_proxy_headers(app):
    """Take the client's address, scheme, host and path prefix from the
    X-Forwarded-* headers set by the PROXY_HOPS proxies in front of Appraise,
    so redirects and links use the public address. Headers from further
    out are ignored: anyone could have written them."""
    hops = app.config["PROXY_HOPS"]
    if isinstance(hops, int) and hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops,
                                x_prefix=hops)


def serve(app):
    waitress.serve(app, listen=app.config["LISTEN"], threads=app.config["THREADS"], ident="Appraise")
