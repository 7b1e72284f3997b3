"""ASGI middlewares for the browser's side of safety:

- `SecurityHeaders`: every answer forbids framing (X-Frame-Options, frame-ancestors), MIME sniffing and sending
  the page's address elsewhere, and carries a CSP. Files served by /file= (drafts, reports, uploads) get a CSP
  that runs nothing (`sandbox`), and HTML files are sent as downloads, never shown inline;
- `SameOrigin`: a request that changes something (POST, PUT, PATCH, DELETE, and GET /logout) from a page of
  another origin is refused. That covers login CSRF (another site logging a user into its own account) and any cross-site action
  riding on the session cookie. Clients that are not browsers send no Origin and are not affected.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders

from .guards import send_json

# Gradio's page needs inline scripts and styles (its config, our head script) and eval for its compiled templates.
PAGE_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' data: blob:; connect-src 'self'; "
            "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
FILE_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'"
COMMON = [(b"x-frame-options", b"DENY"), (b"x-content-type-options", b"nosniff"),
          (b"referrer-policy", b"same-origin"), (b"cross-origin-opener-policy", b"same-origin")]


class SecurityHeaders:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        is_file = "/file=" in scope["path"]

        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message.get("headers", [])))
                for key, value in COMMON:
                    headers[key.decode()] = value.decode()
                headers["content-security-policy"] = FILE_CSP if is_file else PAGE_CSP
                if is_file and headers.get("content-type", "").startswith(("text/html", "application/xhtml",
                                                                            "image/svg")):
                    given = headers.get("content-disposition", "")  # keep the file name Gradio gives
                    headers["content-disposition"] = "attachment" + (given[given.index(";"):] if ";" in given else "")
                message = {**message, "headers": headers.raw}
            await send(message)

        await self.app(scope, receive, with_headers)


UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def _host_port(netloc: str) -> tuple[str, int | None]:
    """Host and explicit port: the scheme is left out, since behind a TLS proxy the browser says https and the
    request reaching us is http."""
    try:
        parts = urlsplit(f"//{netloc}")
        return (parts.hostname or "").lower(), parts.port
    except ValueError:
        return "", None


class SameOrigin:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        # GET /logout changes something too: another site's link would log the user out.
        changes = scope["type"] == "http" and (scope["method"] in UNSAFE or scope["path"].rstrip("/") == "/logout")
        if not changes:
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        site = headers.get("sec-fetch-site")
        if site == "cross-site" or (origin is not None and not self._same(origin, headers)):
            return await send_json(send, 403, "已拒绝来自其他网站的请求。请直接在本系统的网页中操作。")
        await self.app(scope, receive, send)

    @staticmethod
    def _same(origin: str, headers: Headers) -> bool:
        if origin == "null":
            return False
        o = urlsplit(origin)
        if not o.scheme or not o.netloc:
            return False
        # Behind a proxy the browser's Host may reach us as X-Forwarded-Host. A browser cannot set that header on
        # a cross-site request, so trusting it here gives another site nothing.
        host = headers.get("x-forwarded-host") or headers.get("host") or ""
        return _host_port(o.netloc) == _host_port(host.split(",")[0].strip())
