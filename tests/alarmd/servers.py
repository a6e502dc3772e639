#!/usr/bin/env python3
"""The servers alarmd's tests talk to, on 127.0.0.1 and free ports:

    servers.py DIR [--silent-smtp]

- a real SMTP server (aiosmtpd, python3-aiosmtpd) appending one JSON line
  per message to DIR/mail.log: {"t", "from", "to", "subject", "body"};
  with --silent-smtp, a TCP listener that accepts and never says a word
  (a hung mail server) instead;
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
    from aiosmtpd.controller import Controller

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
            append("mail.log", {"t": time.time(), "from": envelope.mail_from, "to": envelope.rcpt_tos,
                                "subject": str(msg["subject"]), "body": msg.get_content()})
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ctl = Controller(Handler(), hostname="127.0.0.1", port=port)
    ctl.start()
    write_port("smtp.port", port)

write_port("http.port", http.server_address[1])
while True:
    time.sleep(3600)
