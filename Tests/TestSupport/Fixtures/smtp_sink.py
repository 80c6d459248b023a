"""A real SMTP server for Gatehouse's tests, on aiosmtpd.

Every accepted message is parsed with Python's own e-mail parser and written to OUTDIR/<n>.json (envelope, decoded
headers, text and HTML bodies, attachments, the raw message), so the tests check what an independent MIME
implementation reads. Prints "READY <port>" once it accepts connections.

Usage: smtp_sink.py OUTDIR [--auth USER:PASSWORD] [--login-only] [--starttls | --smtps] [--refuse ADDRESS]...
"""
import argparse
import base64
import email
import json
import os
import socket
import ssl
import subprocess
import sys
import threading
from email import policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def self_signed_context(directory):
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


class Sink:
    def __init__(self, outdir, refused):
        self.outdir = outdir
        self.refused = set(refused)
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=policy.default)
        summary = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "authenticated": bool(session.authenticated),
            "headers": {name.lower(): str(value) for name, value in message.items()},
            "content_type": message.get_content_type(),
            "text": None,
            "html": None,
            "attachments": [],
            "raw": raw.decode("utf-8", "replace"),
        }
        for part in message.walk():
            if part.is_multipart():
                continue
            disposition = part.get_content_disposition()
            if disposition in ("attachment", "inline") and part.get_filename():
                summary["attachments"].append({
                    "filename": part.get_filename(),
                    "content_type": part.get_content_type(),
                    "disposition": disposition,
                    "content_id": part.get("Content-ID"),
                    "data": base64.b64encode(part.get_payload(decode=True)).decode("ascii"),
                })
            elif part.get_content_type() == "text/plain" and summary["text"] is None:
                summary["text"] = part.get_content()
            elif part.get_content_type() == "text/html" and summary["html"] is None:
                summary["html"] = part.get_content()
        with self.lock:
            self.count += 1
            path = os.path.join(self.outdir, "%d.json" % self.count)
        with open(path + ".tmp", "w") as out:
            json.dump(summary, out)
        os.rename(path + ".tmp", path)
        return "250 2.0.0 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("outdir")
    parser.add_argument("--auth")
    parser.add_argument("--login-only", action="store_true")
    parser.add_argument("--starttls", action="store_true")
    parser.add_argument("--smtps", action="store_true")
    parser.add_argument("--refuse", action="append", default=[])
    args = parser.parse_args()

    options = {}
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, data):
            ok = isinstance(data, LoginPassword) and data.login.decode() == user and data.password.decode() == password
            return AuthResult(success=ok, handled=False)

        options.update(auth_required=True, auth_require_tls=False, authenticator=authenticator)
        if args.login_only:
            options["auth_exclude_mechanism"] = ["PLAIN"]
    controller_options = {}
    if args.starttls or args.smtps:
        context = self_signed_context(args.outdir)
        if args.starttls:
            options.update(tls_context=context, require_starttls=True)
        else:
            controller_options["ssl_context"] = context
    port = free_port()
    controller = Controller(Sink(args.outdir, args.refuse), hostname="127.0.0.1", port=port, **controller_options, **options)
    controller.start()
    print("READY %d" % port, flush=True)
    try:
        sys.stdin.read()  # runs until the test closes our stdin or kills us
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
