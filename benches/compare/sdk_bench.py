"""Times the official Python SDK (kalshi-python-sync) on the same workloads as the Rust client.

Run by `kalshi-compare` (see run.sh), which passes the data files, the key and the port of the
fixed-answer loopback server, and reads one JSON object from stdout: workload -> summary.

Written against kalshi-python-sync 3.34.0 (3.2.0's calls are the same; its models no longer match
the API). What the SDK does, as read from its installed source: `KalshiAuth.sign` is
pyca/cryptography's RSA-PSS (OpenSSL); `Model.from_json` is the standard library's `json.loads`
(its C scanner) followed by pydantic-core (Rust) validating the resulting dicts; no orjson.

The timing method is the Rust side's (`kalshi_benches::timing::measure`): a warm-up that
calibrates a batch size so that one batch lasts about `per_sample`, then `samples` batches; the
per-call time of each batch is recorded and the median reported.
"""

import argparse
import json
import sys
import time


def measure(fn, per_sample=0.2, samples=15):
    batch = 1
    while True:
        t = time.perf_counter_ns()
        for _ in range(batch):
            fn()
        e = time.perf_counter_ns() - t
        if e >= per_sample * 1e9 / 4 or batch >= 1 << 30:
            per_call = e / batch
            batch = max(1, int(per_sample * 1e9 / max(per_call, 1)))
            break
        batch *= 2
    per_call = []
    for _ in range(samples):
        t = time.perf_counter_ns()
        for _ in range(batch):
            fn()
        per_call.append((time.perf_counter_ns() - t) / batch)
    s = sorted(per_call)
    n = len(s)
    med = s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2
    return {"median_ns": med, "min_ns": s[0], "max_ns": s[-1], "samples": n, "batch": batch}


class _NoRsaKey:
    """Stands in for the SDK's private key: returns 256 zero bytes, so that what is timed is
    everything but RSA."""

    def sign(self, *_args, **_kwargs):
        return bytes(256)


class _CountingKey:
    """Wraps the SDK's private key and counts its signatures."""

    def __init__(self, key):
        self.key = key
        self.calls = 0

    def sign(self, *args, **kwargs):
        self.calls += 1
        return self.key.sign(*args, **kwargs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--key-id", required=True)
    ap.add_argument("--key-file", required=True)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()

    import kalshi_python_sync as k
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding
    from kalshi_python_sync.api.order_groups_api import OrderGroupsApi
    from kalshi_python_sync.auth import KalshiAuth
    from kalshi_python_sync.models.create_order_group_request import CreateOrderGroupRequest
    from kalshi_python_sync.models.create_order_group_response import CreateOrderGroupResponse
    from kalshi_python_sync.models.get_order_group_response import GetOrderGroupResponse
    from kalshi_python_sync.models.get_order_groups_response import GetOrderGroupsResponse
    from kalshi_python_sync.models.get_market_orderbook_response import GetMarketOrderbookResponse
    from kalshi_python_sync.models.get_markets_response import GetMarketsResponse

    import pydantic_core

    per_sample, samples = (0.05, 5) if args.quick else (0.2, 15)
    big_samples = 3 if args.quick else 7

    pem = open(args.key_file).read()
    path = "/trade-api/v2/portfolio/order_groups/create"
    out = {
        "sdk_version": getattr(k, "__version__", "?"),
        "python": sys.version.split()[0],
        "pydantic_core": getattr(pydantic_core, "__version__", "?"),
    }

    def run(name, fn, **kw):
        kw.setdefault("per_sample", per_sample)
        kw.setdefault("samples", samples)
        out[name] = measure(fn, **kw)
        print(f"  python {name}: {out[name]['median_ns'] / 1e3:.2f} us", file=sys.stderr)

    # 1. The RSA-PSS primitive the SDK calls (pyca/cryptography, i.e. OpenSSL).
    auth = KalshiAuth(args.key_id, pem)
    msg = f"1703123456789POST{path}".encode()
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.DIGEST_LENGTH)
    run("sign_primitive", lambda: auth.private_key.sign(msg, pss, hashes.SHA256()))

    # 2. The SDK's auth-header call (clock read, message, RSA-PSS, base64, dict).
    run("auth_headers", lambda: auth.create_auth_headers("POST", path))

    # 3. Its request serialization for create order group: model, params, auth headers
    #    (one signature), body to JSON text as rest.py does before sending.
    conf = k.Configuration(host=f"http://127.0.0.1:{args.port}/trade-api/v2")
    conf.api_key_id = args.key_id
    conf.private_key_pem = pem
    client = k.KalshiClient(conf)
    api = OrderGroupsApi(client)

    def serialize():
        req = CreateOrderGroupRequest(contracts_limit=100)
        method, url, headers, body, _post = api._create_order_group_serialize(
            create_order_group_request=req,
            _request_auth=None,
            _content_type=None,
            _headers=None,
            _host_index=0,
        )
        return json.dumps(body), headers

    run("serialize_create", serialize)

    # 4. The same with RSA taken out (a key object that returns zero bytes).
    real_key = client.kalshi_auth.private_key
    client.kalshi_auth.private_key = _NoRsaKey()
    run("serialize_create_no_rsa", serialize)
    client.kalshi_auth.private_key = real_key

    # 5. Parsing, from text already in memory.
    def text(name):
        with open(f"{args.data_dir}/{name}", encoding="utf-8") as f:
            return f.read()

    create_txt = text("create_order_group.json")
    get_txt = text("order_group_10k.json")
    list_txt = text("order_groups_100k.json")
    assert len(GetOrderGroupsResponse.from_json(list_txt).order_groups) == 100_000
    assert len(GetOrderGroupResponse.from_json(get_txt).orders) == 10_000
    run("parse_create", lambda: CreateOrderGroupResponse.from_json(create_txt))
    run("parse_get_10k", lambda: GetOrderGroupResponse.from_json(get_txt))
    run(
        "parse_list_100k",
        lambda: GetOrderGroupsResponse.from_json(list_txt),
        per_sample=0.0,
        samples=big_samples,
    )
    run("json_loads_100k", lambda: json.loads(list_txt), per_sample=0.0, samples=big_samples)
    markets_txt = text("markets_1k.json")
    book_txt = text("orderbook_100.json")
    assert len(GetMarketsResponse.from_json(markets_txt).markets) == 1_000
    assert len(GetMarketOrderbookResponse.from_json(book_txt).orderbook_fp.yes_dollars) == 100
    run("parse_markets_1k", lambda: GetMarketsResponse.from_json(markets_txt))
    run("parse_book_100", lambda: GetMarketOrderbookResponse.from_json(book_txt))

    # 6. Whole calls against the fixed-answer server, keep-alive (urllib3 pool).
    created = client.create_order_group(contracts_limit=100)
    assert created.order_group_id == "og-1", created
    # How many RSA signatures one call makes (counted on the key object the SDK calls).
    counting = _CountingKey(client.kalshi_auth.private_key)
    client.kalshi_auth.private_key = counting
    client.create_order_group(contracts_limit=100)
    client.kalshi_auth.private_key = counting.key
    out["signs_per_call"] = counting.calls
    run("e2e_create", lambda: client.create_order_group(contracts_limit=100))

    print(json.dumps(out))


if __name__ == "__main__":
    main()
