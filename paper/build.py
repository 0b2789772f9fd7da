#!/usr/bin/env python3
"""Fill the manuscript template with numbers from analyses/results (never typed by hand).

Template directives:
  {{version}}                          iastm --version
  {{include:PATH}}                     a results file (Markdown), its first heading dropped
  {{claim:ID:FIELD}}                   a field of analyses/results/claims.json
  {{evidence:OUTCOME:REGION:COMP:FIELD}} a field of analyses/results/evidence.json
  {{ci:OUTCOME:REGION:COMP}}           "SMD 0.76 (95% CI 0.05 to 1.47; 6 trials, 280 participants)"
  {{verdicts}}                         one bullet per claim with its verdict
  {{sof}}                              summary-of-findings table (evidence.json), compact
  {{reviews}}                          published reviews beside our estimates (evidence.json)
  {{studies}}                          table of the included studies (data/trials.csv)
  {{references:trials}}                one reference per included study, with DOI and source
  {{references:reviews}}               the published reviews of data/published_reviews.csv
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "analyses"))
import trialinfo as ti  # noqa: E402


def fmt(x, nd=2):
    if x is None:
        return "NA"
    if isinstance(x, float):
        return "%.*f" % (nd, x)
    return str(x)


def md(text):
    """Text from the data as literal Markdown: every punctuation mark that Markdown or
    pandoc could read as syntax is backslash-escaped, and line breaks become spaces."""
    text = " ".join(str(text).split())
    return re.sub(r"([\\`*_{}\[\]()<>#+\-.!|~^$@:\"'&])", r"\\\1", text)


def md_link(url, text):
    return "[%s](<%s>)" % (md(text), url.replace(">", "%3E").replace(" ", "%20"))


def md_links(row):
    return "; ".join(md_link(u, t) for u, t in ti.links(row)) or "no link in the data"


def unique(values):
    out = []
    for v in values:
        if v and v not in out:
            out.append(v)
    return out


NBSP = "\u00a0"


def est_ci(est, lb, ub):
    """'0.59 (−0.45 to 1.63)' kept on one line; '-' when nothing was estimated."""
    if est is None:
        return "-"
    return ("%s (%s to %s)" % (ti.fmt_num(est), ti.fmt_num(lb), ti.fmt_num(ub))).replace(" ", NBSP)


def pipe_table(head, rows):
    return "\n".join(["| " + " | ".join(head) + " |", "|" + "---|" * len(head)] +
                      ["| " + " | ".join(r) + " |" for r in rows])


def sof_table(evidence):
    """The summary of findings with one question column and the certainty reasons beside
    the rating, so that no cell is a long paragraph squeezed into a narrow column."""
    rows = []
    for e in evidence:
        n_np = len([x for x in e["not_pooled"].split("; ") if x]) if e["not_pooled"] else 0
        pi = "-" if e["pi_lb"] is None else ("%s to %s" % (ti.fmt_num(e["pi_lb"]), ti.fmt_num(e["pi_ub"]))).replace(" ", NBSP)
        cert = "**%s**" % md(e["certainty"])
        if e["certainty"] not in ("not rated",):
            cert += ": " + md(e["certainty_reasons"])
        rows.append([md(ti.question_words(e["outcome"], e["region"], e["comparator"])),
                     "%d (%d)" % (e["trials"], n_np),
                     "-" if e["participants"] is None else ti.fmt_num(e["participants"], 0),
                     est_ci(e["estimate"], e["ci_lb"], e["ci_ub"]), pi,
                     "-" if e["I2"] is None else ti.fmt_num(e["I2"], 0) + "%", cert])
    return pipe_table(["Question", "Trials (rows not pooled)", "Participants", "SMD (95% CI)",
                       "95% prediction interval", "I²", "Certainty"], rows)


def reviews_table(reviews):
    rows = []
    for r in reviews:
        ours = est_ci(r["our_estimate"], r["our_ci_lb"], r["our_ci_ub"])
        rows.append([md(r["review_id"]), md("%s, %s" % (ti.outcome_words(r["outcome"]), r["region"])),
                     md(r["their_measure"]), md(r["their_k"] or "-"),
                     est_ci(r["their_estimate"], r["their_ci_lb"], r["their_ci_ub"]),
                     ours + ("" if r["our_estimate"] is None else ", %d trials" % r["our_trials"]),
                     md(r["note"])])
    return pipe_table(["Review", "Outcome, region", "Their measure", "Their trials",
                       "Their estimate (95% CI)", "Ours: SMD (95% CI)", "Why they can differ"], rows)


def studies_table(rows):
    """One row per study: who and when, design, site, comparators, outcomes, group sizes
    per comparison, and where the numbers were read."""
    head = ["Study", "Design", "Condition, site (region)", "Comparator", "Outcomes",
            "n IASTM / comparator", "Source"]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for sid, rs in sorted(ti.studies(rows).items(), key=lambda kv: ti.label(kv[1][0]).lower()):
        r = rs[0]
        comps = unique(ti.comparator_words(x["comparator_class"]) for x in rs)
        outcomes = unique(ti.outcome_words(x["outcome"]) for x in rs)
        ns = unique("%s / %s" % (x["n_iastm"], x["n_comp"]) if x["n_iastm"] and x["n_comp"]
                    else "not reported" for x in rs)
        cells = ["%s (%s)" % (md(ti.label(r)), md(sid)), md(r["design"]),
                 "%s; %s (%s)" % (md(r["condition"]), md(r["body_site"]), md(r["region"])),
                 md("; ".join(comps)), md(", ".join(outcomes)), md("; ".join(ns)), md_links(r)]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def trial_references(rows):
    out = []
    for sid, rs in sorted(ti.studies(rows).items(), key=lambda kv: ti.label(kv[1][0]).lower()):
        r = rs[0]
        parts = [md(r["author"]) + " (%s)." % md(ti.year(r)), md(r["title"].rstrip(".")) + "."]
        if r["journal"]:
            parts.append("*%s*." % md(r["journal"].rstrip(".")))
        if r["doi"].strip():
            parts.append(md_link(ti.doi_url(r["doi"]), "doi:" + r["doi"].strip()) + ".")
        src = r["source_url"].strip()
        if re.match(r"https?://", src):
            parts.append("Numbers read from %s (%s)." % (md_link(src, src), md(r["source_location"])))
        out.append("- " + " ".join(parts) + " \\[%s\\]" % md(sid))
    return "\n".join(out)


def review_references(path):
    by_key = {}
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            key = r["doi"].strip() or r["citation"]
            if len(r["citation"]) > len(by_key.get(key, {}).get("citation", "")):
                by_key[key] = r
    out = []
    for r in sorted(by_key.values(), key=lambda r: r["citation"].lower()):
        ref = "- " + md(r["citation"].rstrip(".")) + "."
        if r["doi"].strip():
            ref += " " + md_link(ti.doi_url(r["doi"]), "doi:" + r["doi"].strip()) + "."
        elif re.match(r"https?://", r["source_url"].strip()):
            ref += " " + md_link(r["source_url"].strip(), r["source_url"].strip()) + "."
        out.append(ref)
    return "\n".join(out)


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
        ev_json = json.load(f)
    evidence = {(e["outcome"], e["region"], e["comparator"]): e for e in ev_json["evidence"]}
    trials = ti.read_trials(os.path.join(a.top, "data", "trials.csv"), a.iastm)
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
        if kind == "sof":
            return sof_table(ev_json["evidence"])
        if kind == "reviews":
            return reviews_table(ev_json.get("published_reviews", []))
        if kind == "studies":
            return studies_table(trials)
        if kind == "references" and parts[1] == "trials":
            return trial_references(trials)
        if kind == "references" and parts[1] == "reviews":
            return review_references(os.path.join(a.top, "data", "published_reviews.csv"))
        if kind == "verdicts":
            return "\n".join("- **%s** — %s: *%s* (%s; certainty %s; %s)." % (
                c["claim_id"], c["claim"].rstrip("."), c["verdict"], c["why"],
                c["certainty"] if not c.get("no_trial_in_population") else
                "indirect evidence only, " + (c.get("indirect_certainty") or "none"),
                "the verdict " + c["robustness"] if c.get("robustness") == "depends on the method"
                else "robust across four methods" if c.get("robustness") == "robust"
                else "no pooled verdict")
                for c in claims.values())
        if kind == "robustness":
            n = {}
            for c in claims.values():
                n[c.get("robustness", "not applicable")] = n.get(c.get("robustness", "not applicable"), 0) + 1
            return "%d of %d verdicts are robust across the four methods, %d depend on the method, and %d have no pooled verdict" % (
                n.get("robust", 0), len(claims), n.get("depends on the method", 0), n.get("not applicable", 0))
        sys.exit("paper: unknown directive {{%s}}" % m.group(1))

    with open(a.template) as f:
        sys.stdout.write(re.sub(r"\{\{([^}]+)\}\}", sub, f.read()))


if __name__ == "__main__":
    main()
