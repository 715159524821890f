"""The official SDK's `from_json` on the comparison's market-data files, N times, for an
instruction count under callgrind (see BENCHMARKS.md):

    valgrind --tool=callgrind <venv>/bin/python benches/compare/sdk_count.py markets|book N [DIR]

DIR holds `markets_1k.json` and `orderbook_100.json` as `run.sh` writes them (default:
`$CARGO_TARGET_DIR/compare`, else `target/compare`). Per parse = the difference of two counts
(N=3 and N=1, say) over the difference of N: the interpreter's start and the imports cancel out.
"""

import os
import sys

from kalshi_python_sync.models.get_market_orderbook_response import GetMarketOrderbookResponse
from kalshi_python_sync.models.get_markets_response import GetMarketsResponse

what, n = sys.argv[1], int(sys.argv[2])
default = os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "compare")
d = sys.argv[3] if len(sys.argv) > 3 else default
with open(os.path.join(d, "markets_1k.json")) as f:
    markets = f.read()
with open(os.path.join(d, "orderbook_100.json")) as f:
    book = f.read()
for _ in range(n):
    if what == "markets":
        assert len(GetMarketsResponse.from_json(markets).markets) == 1_000
    elif what == "book":
        assert len(GetMarketOrderbookResponse.from_json(book).orderbook_fp.yes_dollars) == 100
    else:
        sys.exit(f"unknown workload {what!r}: markets or book")
