"""A stand-in for the Hetzner Cloud API's server type list, for `gatehouse hetzner catalog refresh` tests.

  GET /v1/server_types?page=N&per_page=50   page 1 or 2 of the list below, in Hetzner's shape, with
                                            meta.pagination.next_page; 401 with Hetzner's error body unless the
                                            request carries "Authorization: Bearer TOKEN"
  anything else                             404

Each request is appended as one JSON line to RECORD (method, path, headers). Prints "READY <port>".
Usage: hetzner_api.py RECORD TOKEN
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def price(location, hourly, monthly):
    def amount(net):
        return {"net": "%.10f" % net, "gross": "%.10f" % (net * 1.19)}
    return {"location": location, "price_hourly": amount(hourly), "price_monthly": amount(monthly),
            "included_traffic": 21990232555520, "price_per_tb_traffic": amount(1)}


def server_type(id, name, cores, memory, disk, architecture, prices, deprecation=None, locations=None):
    return {"id": id, "name": name, "description": name.upper(), "cores": cores, "memory": memory, "disk": disk,
            "deprecated": deprecation is not None, "deprecation": deprecation, "prices": prices,
            "storage_type": "local", "cpu_type": "shared", "category": "cost_optimized", "architecture": architecture,
            "locations": locations or [{"id": 1, "name": p["location"], "deprecation": None} for p in prices]}


RETIRED = {"announced": "2025-09-01T00:00:00+00:00", "unavailable_after": "2025-12-31T00:00:00+00:00"}
PAGES = {
    1: [
        server_type(114, "cx23", 2, 4.0, 40, "x86",
                    [price("fsn1", 0.0048, 2.99), price("nbg1", 0.0048, 2.99), price("hel1", 0.0048, 2.99)]),
        server_type(22, "cx22", 2, 4.0, 40, "x86", [price("fsn1", 0.006, 3.79)], deprecation=RETIRED),
    ],
    2: [
        server_type(45, "cax11", 2, 4.0, 40, "arm", [price("fsn1", 0.0061, 3.79), price("hel1", 0.0061, 3.79)],
                    locations=[{"id": 1, "name": "fsn1", "deprecation": None},
                               {"id": 3, "name": "hel1", "deprecation": RETIRED}]),
        server_type(118, "cpx22", 2, 4.0, 80, "x86", [price("ash", 0.0132, 8.49), price("nbg1", 0.0096, 5.99)]),
    ],
}


class Handler(BaseHTTPRequestHandler):
    record = None
    token = None
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def do_GET(self):
        seen = {"method": self.command, "path": self.path,
                "headers": {name.lower(): value for name, value in self.headers.items()}}
        with Handler.lock, open(Handler.record, "a") as out:
            out.write(json.dumps(seen) + "\n")
        url = urlsplit(self.path)
        if url.path != "/v1/server_types":
            return self.reply(404, {"error": {"code": "not_found", "message": "no such path"}})
        if self.headers.get("Authorization") != "Bearer " + Handler.token:
            return self.reply(401, {"error": {"code": "unauthorized", "message": "unable to authenticate"}})
        query = parse_qs(url.query)
        page = int(query.get("page", ["1"])[0])
        next_page = page + 1 if page + 1 in PAGES else None
        self.reply(200, {"server_types": PAGES.get(page, []),
                         "meta": {"pagination": {"page": page, "per_page": int(query.get("per_page", ["25"])[0]),
                                                 "previous_page": page - 1 if page > 1 else None,
                                                 "next_page": next_page, "last_page": len(PAGES),
                                                 "total_entries": sum(len(p) for p in PAGES.values())}}})

    def reply(self, code, document):
        body = json.dumps(document).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main():
    Handler.record, Handler.token = sys.argv[1], sys.argv[2]
    open(Handler.record, "w").close()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print("READY %d" % server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()  # runs until the test closes our stdin or kills us


if __name__ == "__main__":
    main()
