#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (fuzz/corpus/<target>/seed-*) from the
documentation and the test data.

    python3 fuzz/seeds/gen_corpus.py [--docs /work/shared/reference/kalshi-docs]

Sources:
- responses, simulator_request: the OpenAPI blocks of the API reference pages
  (api-reference/order-groups/*.md, orders/*.md, portfolio/get-*.md): every response and request
  body schema is turned into a JSON document, taking each field's `example:` value where the
  spec gives one (else its enum's first value, else a value of its type), in two variants: every
  property, and required properties only. Plus the error shapes Kalshi uses.
- fixed_point: fixed-point strings of getting_started/fixed_point_contracts.md and
  subpenny_pricing.md, and every `example:` of a `*_fp` / `*_dollars` field or a
  FixedPoint* schema.
- pem_keys: the PEMs of core/testdata/, tests/keys/ and fuzz/keys/, and the other labels the
  loaders recognise.
- signature_verifier: the vectors of core/testdata/signatures.json.
- http_date: a few IMF-fixdates and near misses.
- stream_frames: every example message of the WebSocket AsyncAPI
  (kalshi-specs/asyncapi-2026-03.yaml, next to the docs) and of websockets/*.md, plus frames
  with the changelog's later fields and a few malformed ones; its dictionary holds the
  AsyncAPI's property names and enum values.

Only files named seed-* are written (and stale seed-* files removed); inputs that libFuzzer
adds to a corpus directory keep their hash names. Needs PyYAML.
"""

import argparse
import glob
import json
import os
import re
import struct
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
FUZZ = os.path.dirname(HERE)
ROOT = os.path.dirname(FUZZ)
MAX_DEPTH = 8


def extract_openapi(path):
    text = open(path, encoding="utf-8").read()
    m = re.search(r"````yaml \S+ (\w+) (\S+)\n(.*?)\n````", text, re.S)
    if not m:
        return None
    return m.group(1), m.group(2), yaml.safe_load(m.group(3))


class Synth:
    """Builds example JSON values from an OpenAPI document's schemas."""

    def __init__(self, doc, required_only):
        self.doc = doc
        self.required_only = required_only

    def resolve(self, schema):
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 20:
            node = self.doc
            for part in schema["$ref"].lstrip("#/").split("/"):
                node = node.get(part, {}) if isinstance(node, dict) else {}
            schema = node
            seen += 1
        return schema if isinstance(schema, dict) else {}

    def value(self, schema, depth=0, name=""):
        schema = self.resolve(schema)
        if "example" in schema:
            return schema["example"]
        if "enum" in schema and schema["enum"]:
            return schema["enum"][0]
        if depth > MAX_DEPTH:
            return None
        for key in ("allOf",):
            if key in schema:
                out = {}
                for part in schema[key]:
                    v = self.value(part, depth + 1, name)
                    if isinstance(v, dict):
                        out.update(v)
                return out
        for key in ("oneOf", "anyOf"):
            if key in schema and schema[key]:
                return self.value(schema[key][0], depth + 1, name)
        t = schema.get("type")
        if t == "object" or "properties" in schema:
            required = set(schema.get("required", []))
            out = {}
            for prop, sub in (schema.get("properties") or {}).items():
                if self.required_only and prop not in required:
                    continue
                out[prop] = self.value(sub, depth + 1, prop)
            return out
        if t == "array":
            return [self.value(schema.get("items", {}), depth + 1, name)]
        if t == "string":
            fmt = schema.get("format", "")
            if fmt == "date-time":
                return "2026-11-25T03:55:28Z"
            if fmt == "uuid":
                return "0f7c2a4e-1b3d-4c5e-8f9a-0123456789ab"
            if name.endswith("_fp"):
                return "10.00"
            if name.endswith("_dollars"):
                return "0.5600"
            return name or "x"
        if t == "integer":
            return schema.get("minimum", 1)
        if t == "number":
            return schema.get("minimum", 1.5)
        if t == "boolean":
            return True
        return None


def status_prefix(status):
    # The responses target maps its first two bytes v to 100 + v % 500.
    return struct.pack("<H", status - 100)


def json_bytes(v):
    return json.dumps(v, separators=(",", ":")).encode()


def write_corpus(name, seeds):
    d = os.path.join(FUZZ, "corpus", name)
    os.makedirs(d, exist_ok=True)
    for f in glob.glob(os.path.join(d, "seed-*")):
        os.remove(f)
    seen = set()
    n = 0
    for label, data in seeds:
        if data in seen:
            continue
        seen.add(data)
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", label)[:80]
        with open(os.path.join(d, f"seed-{safe}"), "wb") as f:
            f.write(data)
        n += 1
    print(f"{name}: {n} seeds")


def write_dict(name, tokens):
    os.makedirs(os.path.join(FUZZ, "dict"), exist_ok=True)
    lines = []
    for t in sorted(set(tokens)):
        esc = "".join(c if 0x20 <= ord(c) < 0x7F and c not in '"\\' else "\\x%02x" % ord(c)
                      for c in t)
        lines.append(f'"{esc}"')
    with open(os.path.join(FUZZ, "dict", f"{name}.dict"), "w") as f:
        f.write(f"# libFuzzer dictionary for {name}; written by seeds/gen_corpus.py\n")
        f.write("\n".join(lines) + "\n")
    print(f"dict/{name}.dict: {len(lines)} tokens")


def doc_pages(docs):
    ref = os.path.join(docs, "api-reference")
    pages = []
    for pat in ("order-groups/*.md", "orders/*.md", "portfolio/get-*.md"):
        pages += sorted(glob.glob(os.path.join(ref, pat)))
    return pages


def examples_in(node, key=""):
    """Every (field name, example) pair in a YAML tree."""
    if isinstance(node, dict):
        if "example" in node:
            yield key, node["example"]
        for k, v in node.items():
            yield from examples_in(v, k if isinstance(k, str) else key)
    elif isinstance(node, list):
        for v in node:
            yield from examples_in(v, key)


def property_names(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "properties" and isinstance(v, dict):
                yield from v.keys()
            if k == "enum" and isinstance(v, list):
                yield from (str(e) for e in v)
            yield from property_names(v)
    elif isinstance(node, list):
        for v in node:
            yield from property_names(v)


def responses_and_requests(docs):
    responses, requests, fixed = [], [], []
    global TOKENS
    TOKENS = set()
    for page in doc_pages(docs):
        got = extract_openapi(page)
        if not got:
            continue
        method, path, doc = got
        stem = os.path.splitext(os.path.basename(page))[0]
        op = doc["paths"][path][method]
        TOKENS.update(f'"{n}"' for n in property_names(doc))
        TOKENS.update(seg for seg in path.split("/") if seg and "{" not in seg)
        TOKENS.update(p.get("name", "") + "=" for p in op.get("parameters", []) if isinstance(p, dict) and "name" in p)
        for variant, required_only in (("full", False), ("required", True)):
            synth = Synth(doc, required_only)
            for code, resp in op.get("responses", {}).items():
                resp = synth.resolve(resp)
                schema = resp.get("content", {}).get("application/json", {}).get("schema")
                if schema is None or not str(code).isdigit():
                    continue
                body = synth.value(schema)
                responses.append(
                    (f"{stem}-{code}-{variant}", status_prefix(int(code)) + json_bytes(body))
                )
                if int(code) >= 400:
                    # The nested shape the exchange (and the simulator) actually send.
                    responses.append(
                        (
                            f"{stem}-{code}-{variant}-nested",
                            status_prefix(int(code)) + json_bytes({"error": body}),
                        )
                    )
            # A request as the simulator_request target reads it.
            rel = path
            params = {}
            query = []
            for p in op.get("parameters", []):
                p = synth.resolve(p)
                ex = synth.value(p.get("schema", {}), 1, p.get("name", ""))
                if "example" in p:
                    ex = p["example"]
                if p.get("in") == "path":
                    params[p["name"]] = str(ex)
                elif p.get("in") == "query" and (not required_only or p.get("required")):
                    if isinstance(ex, bool):
                        ex = str(ex).lower()
                    query.append(f"{p['name']}={ex}")
            for k, v in params.items():
                rel = rel.replace("{" + k + "}", v)
            line = f"{method.upper()} {rel}" + ("?" + "&".join(query) if query else "")
            body = b""
            rb = synth.resolve(op.get("requestBody", {}))
            schema = rb.get("content", {}).get("application/json", {}).get("schema")
            if schema is not None:
                body = json_bytes(synth.value(schema))
            requests.append((f"{stem}-{variant}", line.encode() + b"\n\n" + body))
        for key, ex in examples_in(doc):
            if isinstance(ex, str) and (key.endswith("_fp") or key.endswith("_dollars")
                                        or re.fullmatch(r"-?\d+(\.\d+)?", ex)):
                fixed.append(ex)
            elif isinstance(ex, str) and re.fullmatch(r"-?\d+(\.\d+)?", ex):
                fixed.append(ex)
    return responses, requests, fixed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", default="/work/shared/reference/kalshi-docs")
    args = ap.parse_args()
    if not os.path.isdir(args.docs):
        sys.exit(f"no documentation at {args.docs}")

    responses, requests, fixed_examples = responses_and_requests(args.docs)

    # --- responses: plus the error shapes and edge cases the parser special-cases.
    extra = [
        ("empty-200", status_prefix(200)),
        ("whitespace-200", status_prefix(200) + b" \r\n"),
        ("empty-object-201", status_prefix(201) + b"{}"),
        ("bare-error-200", status_prefix(200) + b'{"error":"too many requests"}'),
        ("code-200", status_prefix(200) + b'{"code":"too_many_requests","message":"slow down"}'),
        ("deprecated-400", status_prefix(400) + json_bytes(
            {"error": {"code": "deprecated_v1_order_endpoint", "message": "use v2",
                       "details": "POST /portfolio/events/orders", "service": "trade"}})),
        ("flat-429", status_prefix(429) + b'{"code":"too_many_requests","message":"Too Many Requests"}'),
        ("numbers-in-error-404", status_prefix(404) + b'{"error":{"code":404,"message":null,"details":[1]}}'),
        ("html-502", status_prefix(502) + b"<html><body>Bad Gateway</body></html>"),
        ("not-json-200", status_prefix(200) + b"OK"),
        ("truncated-200", status_prefix(200) + b'{"order_groups":[{"id":"og'),
    ]
    write_corpus("responses", responses + extra)

    # --- simulator_request.
    sim = list(requests)
    sim += [
        ("create-then-list", b'POST /portfolio/order_groups/create\n\n{"contracts_limit":10}\n&&&\n'
         b"GET /portfolio/order_groups?subaccount=0"),
        ("create-fp-subaccount", b'POST /portfolio/order_groups/create\n\n{"contracts_limit_fp":"2.50","subaccount":3}'),
        ("percent-id", b"GET /portfolio/order_groups/a%2Fb%20c%3F?subaccount=0"),
        ("bad-percent", b"DELETE /portfolio/order_groups/%zz?exchange_index=1"),
        ("dup-query", b"GET /portfolio/order_groups?subaccount=1&subaccount=2"),
        ("limit-cursor", b"GET /portfolio/orders?limit=1000&cursor=o0000000000000001"),
        ("extra-header", b'PUT /portfolio/order_groups/x/limit\nX-Extra: 1\n\n{"contracts_limit":5}'),
        ("not-object", b"POST /portfolio/events/orders\n\n[1,2,3]"),
        ("deep-json", b"POST /portfolio/events/orders/batched\n\n" + b"[" * 200),
        ("deprecated-v1", b'POST /portfolio/orders\n\n{"ticker":"X","side":"yes","action":"buy","count":1}'),
        ("unknown-route", b"GET /nope"),
        ("raw-get-signed", b"RGET /trade-api/v2/portfolio/balance HTTP/1.1\r\nHost: x\r\n"
         b"KALSHI-ACCESS-KEY: fuzz-key\r\nKALSHI-ACCESS-TIMESTAMP: $TS\r\n"
         b"KALSHI-ACCESS-SIGNATURE: $SIG\r\n\r\n"),
        ("raw-chunked-signed", b"RPOST /trade-api/v2/portfolio/order_groups/create HTTP/1.1\r\nHost: x\r\n"
         b"KALSHI-ACCESS-KEY: fuzz-key\r\nKALSHI-ACCESS-TIMESTAMP: $TS\r\n"
         b"KALSHI-ACCESS-SIGNATURE: $SIG\r\nTransfer-Encoding: chunked\r\n\r\n"
         b'17\r\n{"contracts_limit":10}\r\n0\r\n\r\n'),
        ("raw-pipelined", b"RGET /trade-api/v2/portfolio/balance HTTP/1.1\r\nHost: x\r\n\r\n"
         b"GET /trade-api/v2/portfolio/fills HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("raw-unsigned", b"RGET /trade-api/v2/portfolio/order_groups HTTP/1.1\r\nHost: x\r\n"
         b"KALSHI-ACCESS-KEY: demo-key\r\nKALSHI-ACCESS-TIMESTAMP: 1700000000\r\n"
         b"KALSHI-ACCESS-SIGNATURE: AAAA\r\n\r\n"),
        ("raw-garbage", b"R\x00\xff GARBAGE\r\n\r\n"),
    ]
    write_corpus("simulator_request", sim)
    # --- simulator_pipeline: the same requests (structured ones signed by the harness, raw ones
    # with exactly their headers), plus its operations and hand-made authentication headers.
    write_corpus("simulator_pipeline", sim + [
        ("p-ops-clock-rate", b"!t20000\n&&&\n!l10,20,10,20\n&&&\nGET /portfolio/balance\n&&&\n"
         b"GET /portfolio/balance\n&&&\nGET /portfolio/balance\n&&&\n!t1000\n&&&\nGET /portfolio/fills"),
        ("p-ops-faults", b"!f5503 /portfolio/\n&&&\n!fr\n&&&\n!fp\n&&&\n!fd\n&&&\n!fx\n&&&\n"
         b"POST /portfolio/order_groups/create\n\n{\"contracts_limit\":10}\n&&&\nGET /portfolio/order_groups\n&&&\n"
         b"GET /portfolio/order_groups\n&&&\nGET /portfolio/order_groups"),
        ("p-ops-random", b"!s7\n&&&\nPOST /portfolio/order_groups/create\n\n{\"contracts_limit\":10}\n&&&\n"
         b"POST /portfolio/order_groups/create\n\n{\"contracts_limit\":10}\n&&&\n"
         b"POST /portfolio/order_groups/create\n\n{\"contracts_limit\":10}"),
        ("p-ops-tier", b"!lbasic\n&&&\nPOST /portfolio/events/orders/batched\n\n{\"orders\":[{},{},{}]}"),
        ("p-auth-garbage", b"GET /portfolio/balance\nKALSHI-ACCESS-SIGNATURE: not base64!!\n"),
        ("p-auth-twice", b"GET /portfolio/balance\nKALSHI-ACCESS-KEY: fuzz-key\nkalshi-access-key: fuzz-key\n"),
        ("p-auth-seconds", b"GET /portfolio/balance\nKALSHI-ACCESS-TIMESTAMP: 1795578928\n"),
        ("p-auth-late", b"GET /portfolio/balance\nKALSHI-ACCESS-TIMESTAMP: 1795578958001\n"),
        ("p-auth-obs-text", b"GET /portfolio/balance\nKALSHI-ACCESS-KEY: fuzz-\xe9key\n"),
        ("p-auth-demo-key", b"GET /portfolio/balance\nKALSHI-ACCESS-KEY: demo-key\n"),
        ("p-auth-empty", b"GET /portfolio/balance\nKALSHI-ACCESS-SIGNATURE:\n"),
        ("p-auth-padded-sig", b"GET /portfolio/balance\nKALSHI-ACCESS-SIGNATURE: $SIG==\n"),
        ("p-raw-given", b"RDELETE /trade-api/v2/portfolio/order_groups/x HTTP/1.1\r\n"
         b"KALSHI-ACCESS-KEY: fuzz-key\r\nKALSHI-ACCESS-TIMESTAMP: $TS\r\nKALSHI-ACCESS-SIGNATURE: $SIG\r\n\r\n"),
        ("p-raw-outside-base", b"RGET /portfolio/balance\nKALSHI-ACCESS-KEY: fuzz-key\n"
         b"KALSHI-ACCESS-TIMESTAMP: $TS\nKALSHI-ACCESS-SIGNATURE: $SIG\n"),
        ("p-trade", b"POST /portfolio/events/orders\n\n{\"ticker\":\"KXTEST-26DEC31-T50\",\"side\":\"bid\",\"price\":\"0.40\","
         b"\"count\":\"5\",\"time_in_force\":\"good_till_canceled\",\"self_trade_prevention_type\":\"maker\","
         b"\"expiration_time\":1795578940}\n&&&\nPOST /portfolio/events/orders?subaccount=1\n\n"
         b"{\"ticker\":\"KXTEST-26DEC31-T50\",\"side\":\"ask\",\"price\":\"0.35\",\"count\":\"2\","
         b"\"time_in_force\":\"immediate_or_cancel\",\"self_trade_prevention_type\":\"maker\",\"subaccount\":1}\n&&&\n"
         b"!t15000\n&&&\nGET /portfolio/positions\n&&&\nGET /portfolio/orders"),
    ])
    json_tokens = {t for t in TOKENS if t.startswith('"')} | {"null", "true", "false", "{}", "[]", "1e3", "-0", "\\u0000"}
    write_dict("responses", json_tokens)
    write_dict("simulator_request", TOKENS | json_tokens | {
        "\n&&&\n", "\n\n", "GET ", "POST ", "PUT ", "DELETE ", "PATCH ", "%2F", "%00", "%zz", "?", "&",
        "R", "$SIG", "$TS", "\r\n", "HTTP/1.1", "Transfer-Encoding: chunked", "Content-Length: ",
        "KALSHI-ACCESS-KEY: fuzz-key", "KALSHI-ACCESS-TIMESTAMP: $TS", "KALSHI-ACCESS-SIGNATURE: $SIG",
        "/portfolio/events/orders", "/portfolio/order_groups", "/portfolio/orders", "subaccount=",
        "exchange_index=", "limit=", "cursor="})
    write_dict("simulator_pipeline", TOKENS | json_tokens | {
        "\n&&&\n", "\n\n", "GET ", "POST ", "PUT ", "DELETE ", "PATCH ", "%2F", "%00", "%zz", "?", "&",
        "R", "$SIG", "$TS", "\r\n", " HTTP/1.1", "/trade-api/v2/",
        "/portfolio/events/orders", "/portfolio/order_groups", "/portfolio/orders", "subaccount=",
        "exchange_index=", "limit=", "cursor=", "Content-Type: application/json",
        "KALSHI-ACCESS-KEY: ", "KALSHI-ACCESS-TIMESTAMP: ", "KALSHI-ACCESS-SIGNATURE: ",
        "KALSHI-ACCESS-KEY: fuzz-key", "KALSHI-ACCESS-KEY: demo-key", "KALSHI-ACCESS-TIMESTAMP: $TS",
        "KALSHI-ACCESS-SIGNATURE: $SIG", "kalshi-access-signature: ", "1795578928000", "1795578958001",
        "179557892800", "1795578928", "=", "==",
        "!t", "!t1000", "!t16000", "!f5", "!f5503", "!f5200", "!fr", "!fp", "!fd", "!fa", "!fx", "!fw",
        "!fb", "!f5 /portfolio/", "!l", "!lbasic", "!l10,20,10,20",
        "!l18446744073709551615,18446744073709551615,1,1", "!s", "!s7"})

    # --- fixed_point.
    fp_texts = set(fixed_examples)
    for page in ("fixed_point_contracts.md", "subpenny_pricing.md"):
        text = open(os.path.join(args.docs, "getting_started", page), encoding="utf-8").read()
        fp_texts.update(re.findall(r'"(-?\d+(?:\.\d+)?)"', text))
    fp_texts.update(["0", "-3", "1.0000", "0.001234", "0.12345600", "-0.01",
                     "92233720368547758.07", "9223372036854.775807", "1.234", "1e3", ".5", "1."])
    fp = []
    for t in sorted(fp_texts):
        fp.append((t, t.encode()))
        fp.append((f"json-{t}", json_bytes(t)))
    fp += [("json-int", b"7"), ("json-neg-int", b"-7"), ("json-float", b"1.5"),
           ("json-big", b"18446744073709551615")]
    write_corpus("fixed_point", fp)

    # --- pem_keys.
    pems = []
    for path in sorted(glob.glob(os.path.join(ROOT, "core/testdata/*.pem"))
                       + glob.glob(os.path.join(ROOT, "tests/keys/*.pem"))
                       + glob.glob(os.path.join(FUZZ, "keys/*.pem"))):
        pems.append((os.path.relpath(path, ROOT), open(path, "rb").read()))
    for label in ("EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "OPENSSH PRIVATE KEY",
                  "RSA PUBLIC KEY", "CERTIFICATE"):
        pems.append((label, f"-----BEGIN {label}-----\nMIIB\n-----END {label}-----\n".encode()))
    pems.append(("pkcs1-encrypted", b"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
                 b"DEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n"))
    pems.append(("ed25519-pkcs8", b"-----BEGIN PRIVATE KEY-----\n"
                 b"MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n"
                 b"-----END PRIVATE KEY-----\n"))
    write_corpus("pem_keys", pems)

    # --- signature_verifier.
    vectors = json.load(open(os.path.join(ROOT, "core/testdata/signatures.json")))["cases"]
    sv = []
    for i, c in enumerate(vectors):
        text = "\n".join([c["timestamp"], c["method"], c["request_path_and_query"], c["signature"]])
        sv.append((f"free-{i}", b"\x00" + text.encode()))
    for v in range(6):
        for what in range(3):
            sv.append((f"tamper-{v}-{what}", bytes([1, v, 7 * v + what, 0, 0x80, what])))
    write_corpus("signature_verifier", sv)

    # --- http_date.
    dates = ["Sun, 06 Nov 1994 08:49:37 GMT", "Thu, 01 Jan 1970 00:00:00 GMT",
             "Wed, 25 Nov 2026 03:55:28 GMT", "Fri, 31 Dec 9999 23:59:59 GMT",
             "Sat, 29 Feb 2020 12:00:60 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
             "Sun Nov  6 08:49:37 1994", "Sun, 06 Nov 1994 08:49:37 PST", "  Mon, 01 Jan 2001 00:00:00 GMT  "]
    write_corpus("http_date", [(d, d.encode()) for d in dates])

    stream_frames(args.docs)


def stream_frames(docs):
    """The WebSocket messages: the AsyncAPI's and the docs' examples, later fields, edge cases."""
    spec = os.path.join(os.path.dirname(docs), "kalshi-specs", "asyncapi-2026-03.yaml")
    api = yaml.safe_load(open(spec, encoding="utf-8"))
    seeds = []
    for name, msg in sorted(api["components"]["messages"].items()):
        for ex in msg.get("examples", []):
            payload = ex.get("payload")
            # Server messages only (commands have `cmd`; ping/pong frames have no JSON).
            if isinstance(payload, dict) and "type" in payload:
                seeds.append((f"asyncapi-{name}-{ex.get('name', '')}", json_bytes(payload)))
    for page in sorted(glob.glob(os.path.join(docs, "websockets", "*.md"))):
        text = open(page, encoding="utf-8").read()
        stem = os.path.splitext(os.path.basename(page))[0]
        for i, block in enumerate(re.findall(r"example: \|-\n((?: {10}.*\n)+)", text)):
            try:
                payload = json.loads(block)
            except ValueError:
                continue
            if isinstance(payload, dict) and "type" in payload:
                seeds.append((f"docs-{stem}-{i}", json_bytes(payload)))
    later = {
        "ticker-l1": {"type": "ticker", "sid": 3, "msg": {
            "market_ticker": "KXBTCD-25AUG0517-T114999.99", "price_dollars": "0.4800",
            "yes_bid_dollars": "0.4700", "yes_ask_dollars": "0.4900", "yes_bid_size_fp": "120.50",
            "yes_ask_size_fp": "30.00", "last_trade_size_fp": "2.25", "volume_fp": "1000.00",
            "open_interest_fp": "800.00", "ts_ms": 1776254400123, "time": "2026-04-15T12:00:00.123456Z"}},
        "trade-block": {"type": "trade", "sid": 4, "msg": {
            "trade_id": "t-1", "market_ticker": "M-1", "yes_price_dollars": "0.3600",
            "no_price_dollars": "0.6400", "count_fp": "1.50", "taker_outcome_side": "no",
            "taker_book_side": "ask", "is_block_trade": True, "ts_ms": 1776254400000}},
        "fill-sides-fee": {"type": "fill", "sid": 13, "msg": {
            "trade_id": "t-2", "order_id": "o-2", "market_ticker": "M-1", "exchange_index": 0,
            "is_taker": False, "yes_price_dollars": "0.4100", "count_fp": "10.00", "fee_cost": "0.0700",
            "ts_ms": 1776254400001, "client_order_id": "c-2", "post_position_fp": "-10.00",
            "outcome_side": "yes", "book_side": "bid", "subaccount": 2}},
        "position-dollars": {"type": "market_position", "sid": 14, "msg": {
            "user_id": "u-1", "market_ticker": "M-1", "position_fp": "-5.00",
            "position_cost_dollars": "2.5000", "realized_pnl_dollars": "-0.4000",
            "fees_paid_dollars": "0.0700", "position_fee_cost_dollars": "0.0100", "volume_fp": "7.00"}},
        "lifecycle-determined": {"type": "market_lifecycle_v2", "sid": 5, "msg": {
            "event_type": "determined", "market_ticker": "M-1", "result": "yes",
            "determination_ts": 1776254400, "settlement_value": "1.0000"}},
        "lifecycle-price-structure": {"type": "market_lifecycle_v2", "sid": 5, "msg": {
            "event_type": "price_level_structure_updated", "market_ticker": "M-1",
            "price_level_structure": "tapered_deci_cent", "price_ranges": [
                {"start": "0.0000", "end": "0.1000", "step": "0.0010"},
                {"start": "0.1000", "end": "0.9000", "step": "0.0100"}]}},
        "lifecycle-metadata": {"type": "market_lifecycle_v2", "sid": 5, "msg": {
            "event_type": "metadata_updated", "market_ticker": "M-1", "yes_sub_title": "Above 4,500",
            "strike_type": "between", "floor_strike": 4500, "cap_strike": 4599.99,
            "custom_strike": {"Multivariate Event Ticker": "KXMVE-1"}}},
        "mve-lifecycle-created": {"type": "multivariate_market_lifecycle", "sid": 6, "msg": {
            "event_type": "created", "market_ticker": "KXMVECROSSCATEGORY-26APR15-ABC",
            "exchange_index": 1, "open_ts": 1776254400, "close_ts": 1776340800}},
        "event-lifecycle-shard": {"type": "event_lifecycle", "sid": 6, "msg": {
            "event_ticker": "E-1", "title": "T", "subtitle": "", "collateral_return_type": "",
            "series_ticker": "S", "strike_date": 1776340800, "strike_period": "daily", "exchange_index": 3}},
        "order-group-ts": {"type": "order_group_updates", "sid": 21, "seq": 8, "msg": {
            "event_type": "triggered", "order_group_id": "og_123", "ts_ms": 1777900000000}},
        "quote-executed-subaccount": {"type": "quote_executed", "sid": 15, "msg": {
            "quote_id": "q", "rfq_id": "r", "quote_creator_id": "a", "rfq_creator_id": "b",
            "order_id": "o", "client_order_id": "c", "market_ticker": "M",
            "executed_ts": "2026-03-26T10:05:00.5Z", "subaccount": 4}},
        "rfq-combo": {"type": "rfq_created", "sid": 15, "msg": {
            "id": "r", "creator_id": "", "market_ticker": "KXMVE-1", "contracts_fp": "10.00",
            "created_ts": "2026-03-26T10:00:00Z", "mve_collection_ticker": "KXMVECOLL",
            "mve_selected_legs": [{"event_ticker": "E-1", "market_ticker": "E-1-A", "side": "yes",
                                   "yes_settlement_value_dollars": "1.0000"}]}},
        "cfbenchmarks": {"type": "cfbenchmarks_value", "sid": 7, "seq": 12, "msg": {
            "index_id": "BRTI", "received_at": 1777900000123,
            "data": "{\"type\":\"value\",\"id\":\"BRTI\",\"value\":\"94012.37\",\"time\":1777900000000}",
            "avg_60s_data": {"value": "94010.02", "window_size": 59}}},
        "removed-multivariate-lookup": {"type": "multivariate_lookup", "sid": 13, "msg": {
            "collection_ticker": "C", "event_ticker": "E", "market_ticker": "M", "selected_markets": []}},
        "ok-no-msg": {"id": 124, "type": "ok"},
        "error-new-code": {"id": 9, "type": "error", "msg": {"code": 25, "msg": "Subscription buffer overflow"}},
    }
    for label, frame in later.items():
        seeds.append((f"later-{label}", json_bytes(frame)))
    seeds += [
        ("array-frame", b'["ticker",null,1,null,{}]'),
        ("no-sid", b'{"type":"trade","msg":{}}'),
        ("escaped-type", b'{"type":"tick\\u0065r","sid":1,"msg":{}}'),
        ("truncated", b'{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"M'),
        ("whitespace", b' \r\n\t{ "type" : "unsubscribed" , "sid" : 2 , "seq" : 7 } '),
    ]
    write_corpus("stream_frames", seeds)
    tokens = {f'"{n}"' for n in property_names(api["components"])}
    tokens |= {'"type"', '"sid"', '"seq"', '"id"', '"msg"', "null", "true", "false", "{}", "[]",
               '"ts_ms"', '"exchange_index"', '"outcome_side"', '"book_side"', '"is_block_trade"',
               '"taker_outcome_side"', '"taker_book_side"', '"fee_cost"', '"price_ranges"',
               '"price_level_structure"', '"metadata_updated"', '"price_level_structure_updated"',
               '"multivariate_market_lifecycle"', '"cfbenchmarks_value"', '"index_id"',
               '"subaccount"', '"created_ts_ms"', '"0.5000"', '"10.00"', '"2026-01-01T00:00:00Z"',
               "18446744073709551615", "-1", "1e3", "\\u0000"}
    write_dict("stream_frames", tokens)


if __name__ == "__main__":
    main()
