#!/usr/bin/env python3
"""The servers alarmd's tests talk to, on 127.0.0.1 and free ports:

    servers.py DIR [--silent-smtp] [--starttls|--tls CERT KEY]
                   [--auth USER:PASSWORD [--mechanisms LOGIN,PLAIN]]

- a real SMTP server (aiosmtpd, python3-aiosmtpd) appending one JSON line
  per message to DIR/mail.log: {"t", "from", "to", "subject", "body",
  "tls": whether the message came over TLS, "login": who authenticated};
  with --silent-smtp, a TCP listener that accepts and never says a word
  (a hung mail server) instead;
  - --starttls CERT KEY: offers STARTTLS (RFC 3207) with that certificate
    and refuses mail until it is used; --tls CERT KEY: TLS from the first
    byte (RFC 8314 implicit TLS, the server socket wrapped);
  - --auth USER:PASSWORD: AUTH required (with STARTTLS only after it,
    aiosmtpd's auth_require_tls), only those credentials accepted; each attempt is
    one JSON line in DIR/auth.log {"t", "mechanism", "login", "ok"};
    --mechanisms: only those offered (default LOGIN and PLAIN);
- an HTTP webhook receiver appending one JSON line per POST to
  DIR/hook.log: {"t", "path", "event": the JSON body}.
Their ports are written to DIR/smtp.port and DIR/http.port once listening.
Runs until killed.
"""
import email
import email.policy
import json
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

out = sys.argv[1]
silent = "--silent-smtp" in sys.argv
lock = threading.Lock()


def option(name, count=1):
    if name not in sys.argv:
        return None
    i = sys.argv.index(name)
    return sys.argv[i + 1:i + 1 + count]


def append(name, obj):
    with lock, open(os.path.join(out, name), "a") as f:
        f.write(json.dumps(obj) + "\n")


def write_port(name, port):
    tmp = os.path.join(out, name + ".tmp")
    with open(tmp, "w") as f:
        f.write(str(port))
    os.rename(tmp, os.path.join(out, name))


class Hook(BaseHTTPRequestHandler):
    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        append("hook.log", {"t": time.time(), "path": self.path, "event": json.loads(raw)})
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


http = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
threading.Thread(target=http.serve_forever, daemon=True).start()

if silent:
    # never accepted: the kernel completes the handshake from the backlog
    # and the client waits for a greeting that never comes
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(64)
    write_port("smtp.port", lsock.getsockname()[1])
else:
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
            append("mail.log", {"t": time.time(), "from": envelope.mail_from, "to": envelope.rcpt_tos,
                                "subject": str(msg["subject"]), "body": msg.get_content(),
                                "tls": server.transport.get_extra_info("ssl_object") is not None,
                                "login": session.auth_data if session.authenticated else None})
            return "250 OK"

    kwargs = {}
    starttls, tls = option("--starttls", 2), option("--tls", 2)
    if starttls or tls:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(*(starttls or tls))
        if starttls:
            kwargs.update(tls_context=ctx, require_starttls=True)
        else:
            kwargs.update(ssl_context=ctx)
    auth = option("--auth")
    if auth:
        user, password = auth[0].split(":", 1)

        def authenticator(server, session, envelope, mechanism, data):
            login, given = data.login.decode(), data.password.decode()
            good = login == user and given == password
            append("auth.log", {"t": time.time(), "mechanism": mechanism, "login": login, "ok": good})
            # handled=False: aiosmtpd answers the refusal (535) itself
            return AuthResult(success=good, handled=False, auth_data=login if good else None)

        offered = (option("--mechanisms") or ["LOGIN,PLAIN"])[0].split(",")
        # auth_require_tls only with STARTTLS: aiosmtpd 1.4 does not see a
        # connection wrapped from the first byte as TLS and would never
        # offer AUTH on it
        kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=bool(starttls),
                      auth_exclude_mechanism=[m for m in ("LOGIN", "PLAIN") if m not in offered])

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ctl = Controller(Handler(), hostname="127.0.0.1", port=port, **kwargs)
    ctl.start()
    write_port("smtp.port", port)

write_port("http.port", http.server_address[1])
while True:
    time.sleep(3600)
