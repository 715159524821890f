#!/usr/bin/env python3
"""Builds `operations.json`, the committed inventory of Kalshi's REST API, from the reference.

Reads `operations.tsv` (one row per operation: method, path, id, area, tier, status, docs page)
and, for each row with a docs page, the OpenAPI fragment inside that page's ```` ```yaml ````
block. `$ref`s are resolved, `allOf` is merged, and what the drift test needs is kept: each
parameter (name, place, required, type), the request body and every response's schema (field
names, types, formats, enums, required-ness). Rows newer than the docs take their facts from
`manual.json` (written by hand from Kalshi's official Python SDK 3.34.0).

Usage: python3 core/spec/extract.py ../shared/reference > core/spec/operations.json
(needs PyYAML). The output is committed; CI never runs this script.
"""
import json
import os
import re
import sys

import yaml

KEEP = ("type", "format", "enum", "nullable", "minimum", "maximum", "maxLength", "minLength",
        "maxItems", "minItems", "pattern")


def resolve(node, doc, stack=()):
    """The schema `node` with refs resolved and allOf merged, keeping only the facts we use."""
    if not isinstance(node, dict):
        return {}
    ref_name = None
    if "$ref" in node:
        ref = node["$ref"]
        ref_name = ref.rsplit("/", 1)[-1]
        if ref_name in stack:
            return {"ref": ref_name, "recursive": True}
        target = doc
        for part in ref.lstrip("#/").split("/"):
            target = target[part]
        out = resolve(target, doc, stack + (ref_name,))
        out.setdefault("ref", ref_name)
        for k in ("nullable",):
            if k in node:
                out[k] = node[k]
        return out
    out = {}
    if "allOf" in node:
        props, required = {}, []
        for part in node["allOf"]:
            r = resolve(part, doc, stack)
            for k, v in r.items():
                if k == "properties":
                    props.update(v)
                elif k == "required":
                    required += [x for x in v if x not in required]
                else:
                    out.setdefault(k, v)
        if props:
            out["properties"] = props
        if required:
            out["required"] = required
    for k in KEEP:
        if k in node:
            out[k] = node[k]
    if "items" in node:
        out["items"] = resolve(node["items"], doc, stack)
    if "properties" in node:
        props = out.setdefault("properties", {})
        for name, sub in node["properties"].items():
            props[name] = resolve(sub, doc, stack)
    if "required" in node and isinstance(node["required"], list):
        req = out.setdefault("required", [])
        req += [x for x in node["required"] if x not in req]
    if isinstance(node.get("additionalProperties"), dict):
        out["additionalProperties"] = resolve(node["additionalProperties"], doc, stack)
    if node.get("deprecated"):
        out["deprecated"] = True
    if "properties" in out and "type" not in out:
        out["type"] = "object"
    return out


def parameter(p, doc):
    if "$ref" in p:
        target = doc
        for part in p["$ref"].lstrip("#/").split("/"):
            target = target[part]
        p = target
    out = {"name": p["name"], "in": p["in"], "required": bool(p.get("required", False))}
    out["schema"] = resolve(p.get("schema", {}), doc)
    if p.get("deprecated"):
        out["deprecated"] = True
    return out


def operation(row, ref_dir):
    method, path, op_id, area, tier, status, page = row[:7]
    entry = {"operation_id": op_id, "method": method, "path": path, "area": area,
             "tier": tier, "status": status, "docs": None if page == "-" else page}
    if page == "-":
        return entry
    text = open(os.path.join(ref_dir, "kalshi-docs", page), encoding="utf-8").read()
    m = re.search(r"````yaml[^\n]*\n(.*?)````", text, re.S)
    doc = yaml.safe_load(m.group(1))
    op = doc["paths"][path][method.lower()]
    if op.get("operationId") != op_id:
        raise SystemExit(f"{page}: operationId {op.get('operationId')} is not {op_id}")
    params = [parameter(p, doc) for p in doc["paths"][path].get("parameters", [])]
    params += [parameter(p, doc) for p in op.get("parameters", [])]
    entry["parameters"] = params
    body = op.get("requestBody")
    if body:
        schema = body.get("content", {}).get("application/json", {}).get("schema", {})
        entry["request_body"] = {"required": bool(body.get("required", False)),
                                 "schema": resolve(schema, doc)}
    else:
        entry["request_body"] = None
    responses = {}
    for code, resp in op.get("responses", {}).items():
        if "$ref" in resp:
            target = doc
            for part in resp["$ref"].lstrip("#/").split("/"):
                target = target[part]
            resp = target
        schema = resp.get("content", {}).get("application/json", {}).get("schema")
        responses[str(code)] = {"schema": resolve(schema, doc) if schema else None}
    entry["responses"] = responses
    if op.get("deprecated"):
        entry["deprecated"] = True
    return entry


def main():
    ref_dir = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    manual = json.load(open(os.path.join(here, "manual.json"), encoding="utf-8"))
    rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(ref_dir, "operations.tsv"),
                                                      encoding="utf-8")][1:]
    ops = []
    for row in rows:
        e = operation(row, ref_dir)
        if e["docs"] is None and e["operation_id"] in manual:
            e.update(manual[e["operation_id"]])
        ops.append(e)
    ops.sort(key=lambda e: (e["tier"], e["area"], e["operation_id"]))
    json.dump({"source": "Kalshi docs (June 2026) and operations.tsv (October 2026); "
                         "see core/spec/README.md",
               "operations": ops}, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
