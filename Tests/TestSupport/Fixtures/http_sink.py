"""A real HTTP server for Gatehouse's tests: records every request and answers by path.

  /echo...            200, JSON {method, path, headers, body}; two Set-Cookie headers
  /status/CODE        that status, body "status CODE"
  /redirect           302 to /echo
  /big/N              N bytes with Content-Length;  /stream/N: N bytes, no Content-Length
  /hang               answers after 60 s
  anything else       200 "ok"

Each request is appended as one JSON line to RECORD. Prints "READY <port>".
Usage: http_sink.py RECORD
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    record = None
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        seen = {
            "method": self.command,
            "path": self.path,
            "headers": {name.lower(): value for name, value in self.headers.items()},
            "body": body,
        }
        with Handler.lock, open(Handler.record, "a") as out:
            out.write(json.dumps(seen) + "\n")
        path = self.path.split("?")[0]
        if path.startswith("/echo"):
            self.reply(200, json.dumps(seen).encode(), [("Content-Type", "application/json"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")])
        elif path.startswith("/status/"):
            code = int(path.split("/")[2])
            self.reply(code, ("status %d" % code).encode())
        elif path == "/redirect":
            self.reply(302, b"", [("Location", "/echo")])
        elif path.startswith("/big/"):
            self.reply(200, b"x" * int(path.split("/")[2]))
        elif path.startswith("/stream/"):
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            remaining = int(path.split("/")[2])
            while remaining > 0:
                chunk = min(remaining, 65536)
                self.wfile.write(b"y" * chunk)
                remaining -= chunk
            self.close_connection = True
        elif path == "/hang":
            time.sleep(60)
            self.reply(200, b"late")
        else:
            self.reply(200, b"ok")

    def reply(self, code, body, headers=()):
        self.send_response(code)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = handle_any


def main():
    Handler.record = sys.argv[1]
    open(Handler.record, "w").close()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print("READY %d" % server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()  # runs until the test closes our stdin or kills us


if __name__ == "__main__":
    main()
