#!/usr/bin/env python3
"""Check every command's --format json output against its JSON Schema, docs/schema/CMD.json.

Each command runs on the fixtures below (one run per set of options that changes the
parts of its output) and every output must validate: the parts (top-level members) and
fields of the schema only (additionalProperties false), the required ones present, every
value of its type or enum. Every command with JSON output has a schema, and a schema uses
only the keywords the validator below implements: type, properties, required, items, enum,
additionalProperties (plus the annotations $schema, $id, title, description).

Usage: python3 tests/schema.py --iastm build/iastm [--write]
--write regenerates the schemas from the outputs: the type of each field from the writer
call that prints it in src/ (ma_writer_num: number or null, ma_writer_int: integer,
ma_writer_str: string or null, ma_writer_bool: boolean), the parts and fields present in
every run as required. Review the diff.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys

from examples import commands  # the command names of `iastm --help`

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCHEMA_DIR = os.path.join(ROOT, "docs", "schema")
DRAFT = "https://json-schema.org/draft/2020-12/schema"

BCG = "data/examples/bcg.csv"
TRIALS = "tests/cli/data/trials_mini.csv"
# (command, options): every run of a command must validate against its one schema.
RUNS = [
    ("es", [BCG]), ("es", ["tests/cli/data/es_kinds.csv"]),
    ("audit", ["tests/cli/data/audit.csv"]),
    ("pool", [BCG]), ("pool", ["--studies", "tests/cli/data/es_kinds.csv"]),
    ("pool", ["tests/cli/data/dependent.csv"]), ("pool", ["--by", "alloc", BCG]),
    ("pool", ["--by", "region", "--common-tau2", "tests/cli/data/moderators.csv"]),
    ("regress", ["--mods", "ablat", BCG]),
    ("regress", ["--mods", "region,weeks", "--test", "knha", "tests/cli/data/moderators.csv"]),
    ("loo", [BCG]), ("loo", ["tests/cli/data/es_kinds.csv"]),
    ("cumul", ["--order", "year", BCG]), ("cumul", ["tests/cli/data/es_kinds.csv"]),
    ("influence", [BCG]), ("bias", [BCG]), ("bias", ["--egger", "lm", BCG]), ("bias", ["tests/cli/data/es_kinds.csv"]),
    ("evidence", ["--all-rows", "--reviews", "tests/cli/data/reviews_mini.csv", TRIALS]),
    ("evidence", [TRIALS]),
    ("claims", ["--claims", "tests/cli/data/claims_mini.csv", "--all-rows", TRIALS]),
    ("permutest", ["--threads", "2", "--exact", BCG]),
    ("permutest", ["--threads", "2", "--mods", "ablat", "--iter", "200", "--seed", "9", BCG]),
    ("gosh", ["--threads", "2", BCG]),
    ("boot", ["--threads", "2", "--reps", "200", "--seed", "4", BCG]),
    ("bayes", [BCG]), ("bayes", ["--tau-prior", "jeffreys", "--mu-prior", "normal:0:1",
                                 "tests/cli/data/good.csv"]),
    ("mv", ["--cluster", "cluster", "--obs", "obs", "data/examples/konstantopoulos2011.csv"]),
    ("mv", ["--cluster", "cluster", "--obs", "obs", "--che",
            "data/examples/konstantopoulos2011.csv"]),
]
PLOTS = ("forest", "funnel", "bubble")  # figures: no JSON output (--format is refused)
KEYWORDS = {"$schema", "$id", "title", "description", "type", "properties", "required",
            "items", "enum", "additionalProperties"}


def run(iastm, cmd, opts):
    p = subprocess.run([iastm, cmd, "--format", "json"] + opts, capture_output=True,
                       text=True, cwd=ROOT)
    if p.returncode != 0:
        raise RuntimeError("%s %s: exit %d: %s" % (cmd, " ".join(opts), p.returncode,
                                                  p.stderr.strip()))
    return json.loads(p.stdout)


# --- the validator: the subset of JSON Schema 2020-12 the schemas use ------------------
def type_ok(value, t):
    if isinstance(t, list):
        return any(type_ok(value, x) for x in t)
    return {"object": lambda v: isinstance(v, dict),
            "array": lambda v: isinstance(v, list),
            "string": lambda v: isinstance(v, str),
            "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
            "boolean": lambda v: isinstance(v, bool),
            "null": lambda v: v is None}[t](value)


def validate(value, schema, where="$"):
    """The first error as 'PATH: why', or None."""
    unknown = set(schema) - KEYWORDS
    if unknown:
        return "%s: schema keyword(s) not supported: %s" % (where, ", ".join(sorted(unknown)))
    if "type" in schema and not type_ok(value, schema["type"]):
        return "%s: %r is not of type %s" % (where, value, schema["type"])
    if "enum" in schema and value not in schema["enum"]:
        return "%s: %r is not one of %s" % (where, value, schema["enum"])
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                return "%s: required member '%s' missing" % (where, key)
        for key, v in value.items():
            if key in props:
                err = validate(v, props[key], "%s.%s" % (where, key))
                if err:
                    return err
            elif schema.get("additionalProperties", True) is False:
                return "%s: member '%s' not in the schema" % (where, key)
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            err = validate(v, schema["items"], "%s[%d]" % (where, i))
            if err:
                return err
    return None


def self_test():
    """The validator refuses what it must: returns the number of its failures."""
    schema = {"type": "object", "required": ["a"], "additionalProperties": False,
              "properties": {"a": {"type": "array", "items": {
                  "type": "object", "properties": {"k": {"type": "integer"},
                                                   "t": {"enum": ["z", None]}}}}}}
    good = {"a": [{"k": 1, "t": None}]}
    bad = [{}, {"a": [], "b": []}, {"a": [{"k": 1.5}]}, {"a": [{"k": True}]},
           {"a": [{"t": "q"}]}, {"a": {}}]
    fails = 0 if validate(good, schema) is None else 1
    fails += sum(1 for b in bad if validate(b, schema) is None)
    if fails:
        print("schema: FAIL the validator's own test (%d)" % fails)
    return fails


# --- --write: schemas from the outputs and the writer calls in src/ ---------------------
def writer_kinds():
    """{key: set of JSON types} from ma_writer_num/int/str/bool(w, "key", ...) in src/."""
    kinds = {}
    types = {"num": ["number", "null"], "int": ["integer"], "str": ["string", "null"],
             "bool": ["boolean"]}
    for path in glob.glob(os.path.join(ROOT, "src", "*", "*.c")):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for kind, key in re.findall(r'ma_writer_(num|int|str|bool)\(\s*w,\s*"([^"]+)"', text):
            kinds.setdefault(key, set()).update(types[kind])
    # the fields of a fit (report.c RMA_FIELDS): k and iterations are integers
    for key in ("k", "iterations"):
        kinds.setdefault(key, set()).add("integer")
    kinds.setdefault("converged", set()).add("boolean")
    kinds.setdefault("method_used", set()).update(["string", "null"])
    kinds.setdefault("note", set()).update(["string", "null"])
    return kinds


ORDER = ["integer", "number", "string", "boolean", "null"]
METHODS = ["FE", "DL", "REML", "ML", "PM", "HS", "SJ", "HE", "EB"]
# Fields with a closed set of values: an enum when every value seen is in it.
ENUMS = {"test": ["z", "knha", "t", "adhoc"], "pi_type": ["default", "hts"],
         "method": METHODS, "method_used": METHODS,
         "certainty": ["high", "moderate", "low", "very low"]}


def field_type(key, values, kinds):
    if key in kinds:
        t = set(kinds[key])
    else:  # a key made at run time (claims' METHOD_estimate, bayes' tau_*, gosh's q*)
        t = set()
        for v in values:
            if isinstance(v, str):
                t.update(["string", "null"])
            elif isinstance(v, bool):
                t.add("boolean")
            elif v is None or isinstance(v, (int, float)):
                t.update(["number", "null"])
    if "number" in t:
        t.discard("integer")
    t = [x for x in ORDER if x in t]
    return t[0] if len(t) == 1 else t


def make_schema(cmd, docs, kinds):
    parts = {}
    for doc in docs:
        for name, recs in doc.items():
            parts.setdefault(name, []).append(recs)
    props = {}
    for name, lists in parts.items():
        recs = [r for lst in lists for r in lst]
        keys = []
        for r in recs:
            keys += [k for k in r if k not in keys]
        fields = {}
        for k in keys:
            values = [r[k] for r in recs if k in r]
            fields[k] = {"type": field_type(k, values, kinds)}
            if k in ENUMS and all(v is None or v in ENUMS[k] for v in values):
                nullable = "null" in fields[k]["type"]
                fields[k]["enum"] = ENUMS[k] + ([None] if nullable else [])
        required = [k for k in keys if recs and all(k in r for r in recs)]
        props[name] = {"type": "array", "items": {
            "type": "object", "properties": fields, "required": required,
            "additionalProperties": False}}
    return {
        "$schema": DRAFT,
        "$id": "https://github.com/iastm/iastm/docs/schema/%s.json" % cmd,
        "title": "iastm %s --format json" % cmd,
        "description": "One object per run: each member is a part of the output (the "
                       "tables --format csv writes as the main table and with --parts), "
                       "a list of records. Numbers at full precision; null where a value "
                       "is undefined (NA in csv).",
        "type": "object",
        "properties": props,
        "required": [n for n in parts if all(n in d for d in docs)],
        "additionalProperties": False,
    }


def dump(x, indent=0):
    """JSON with one line per field's schema (a dict without dicts inside)."""
    pad = "  " * (indent + 1)
    if isinstance(x, dict) and any(isinstance(v, dict) for v in x.values()):
        items = ["%s%s: %s" % (pad, json.dumps(k), dump(v, indent + 1)) for k, v in x.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * indent + "}"
    return json.dumps(x)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--iastm", required=True)
    ap.add_argument("--write", action="store_true")
    a = ap.parse_args()
    iastm = os.path.abspath(a.iastm)
    docs, failed, checked = {}, 0, 0
    for cmd, opts in RUNS:
        try:
            docs.setdefault(cmd, []).append((opts, run(iastm, cmd, opts)))
        except (RuntimeError, ValueError) as e:
            print("schema: FAIL %s" % e)
            failed += 1
    if a.write:
        kinds = writer_kinds()
        os.makedirs(SCHEMA_DIR, exist_ok=True)
        for cmd, runs in docs.items():
            with open(os.path.join(SCHEMA_DIR, cmd + ".json"), "w", encoding="utf-8") as f:
                f.write(dump(make_schema(cmd, [d for _, d in runs], kinds)) + "\n")
        print("schema: %d schemas written to docs/schema" % len(docs))
    for cmd in commands(iastm):
        if cmd not in PLOTS and cmd not in docs:
            print("schema: FAIL %s: no run of it here (RUNS)" % cmd)
            failed += 1
    for cmd, runs in sorted(docs.items()):
        path = os.path.join(SCHEMA_DIR, cmd + ".json")
        try:
            with open(path, encoding="utf-8") as f:
                schema = json.load(f)
        except (OSError, ValueError) as e:
            print("schema: FAIL %s: %s" % (cmd, e))
            failed += 1
            continue
        if schema.get("$schema") != DRAFT:
            print("schema: FAIL %s: $schema is not %s" % (path, DRAFT))
            failed += 1
        for opts, doc in runs:
            err = validate(doc, schema)
            checked += 1
            if err:
                print("schema: FAIL %s %s: %s" % (cmd, " ".join(opts), err))
                failed += 1
    failed += self_test()
    print("schema: %d outputs of %d commands validated, %d failed" % (checked, len(docs),
                                                                      failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
