#!/usr/bin/env python3
"""Fill the manuscript template with numbers from analyses/results (never typed by hand).

Template directives:
  {{version}}                          iastm --version
  {{include:PATH}}                     a results file (Markdown), its first heading dropped
  {{claim:ID:FIELD}}                   a field of analyses/results/claims.json
  {{evidence:OUTCOME:REGION:COMP:FIELD}} a field of analyses/results/evidence.json
  {{ci:OUTCOME:REGION:COMP}}           "SMD 0.76 (95% CI 0.05 to 1.47; 6 trials, 280 participants)"
  {{verdicts}}                         one bullet per claim with its verdict
"""
import argparse
import json
import os
import re
import subprocess
import sys


def fmt(x, nd=2):
    if x is None:
        return "NA"
    if isinstance(x, float):
        return "%.*f" % (nd, x)
    return str(x)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iastm", required=True)
    ap.add_argument("--top", required=True)
    ap.add_argument("template")
    a = ap.parse_args()
    res = os.path.join(a.top, "analyses", "results")
    with open(os.path.join(res, "claims.json")) as f:
        claims = {c["claim_id"]: c for c in json.load(f)["claims"]}
    with open(os.path.join(res, "evidence.json")) as f:
        evidence = {(e["outcome"], e["region"], e["comparator"]): e
                    for e in json.load(f)["evidence"]}
    version = subprocess.run([a.iastm, "--version"], capture_output=True,
                             text=True).stdout.strip()

    def ev(o, r, c):
        try:
            return evidence[(o, r, c)]
        except KeyError:
            sys.exit("paper: no evidence row for %s/%s/%s" % (o, r, c))

    def sub(m):
        parts = m.group(1).split(":")
        kind = parts[0]
        if kind == "version":
            return version
        if kind == "include":
            with open(os.path.join(a.top, parts[1])) as f:
                text = f.read()
            return re.sub(r"\A#[^\n]*\n+", "", text).rstrip()
        if kind == "claim":
            return fmt(claims[parts[1]][parts[2]])
        if kind == "evidence":
            return fmt(ev(*parts[1:4])[parts[4]])
        if kind == "ci":
            e = ev(*parts[1:4])
            if e["estimate"] is None:
                return "no poolable trials"
            return "SMD %s (95%% CI %s to %s; %d trial%s, %s participants)" % (
                fmt(e["estimate"]), fmt(e["ci_lb"]), fmt(e["ci_ub"]), e["trials"],
                "" if e["trials"] == 1 else "s", fmt(e["participants"], 0))
        if kind == "verdicts":
            return "\n".join("- **%s** — %s: *%s* (%s; certainty %s)." % (
                c["claim_id"], c["claim"].rstrip("."), c["verdict"], c["why"], c["certainty"])
                for c in claims.values())
        sys.exit("paper: unknown directive {{%s}}" % m.group(1))

    with open(a.template) as f:
        sys.stdout.write(re.sub(r"\{\{([^}]+)\}\}", sub, f.read()))


if __name__ == "__main__":
    main()
