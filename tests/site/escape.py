#!/usr/bin/env python3
"""The evidence page escapes text from the data: a trial and a claim whose fields hold
quotes, ampersands, angle brackets and a javascript: address are written into a copy of
the inputs, the page is made from it, and the parsed page must show that text as text,
with no element, attribute or link made from it.
Usage: escape.py --iastm build/iastm --tmp DIR"""
import argparse
import csv
import html.parser
import os
import shutil
import subprocess
import sys

HOSTILE_AUTHOR = 'O\'Brien <b>Q</b> & "Sons", Roe <script>alert(1)</script>'
HOSTILE_MEASURE = 'VAS <10 & "mm"> \'x\''
HOSTILE_CLAIM = 'IASTM <em>cures</em> pain & "stiffness" </article><script>x()</script>'


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.hrefs, self.text = set(), [], []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.hrefs += [v for k, v in attrs if k == "href"]

    def handle_data(self, data):
        self.text.append(data)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iastm", required=True)
    ap.add_argument("--tmp", required=True)
    a = ap.parse_args()
    top = a.tmp
    shutil.rmtree(top, ignore_errors=True)
    for d in ("data", "analyses/results", "plots"):
        os.makedirs(os.path.join(top, d))
    with open("data/trials.csv", newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    for r in rows:
        if r["study_id"] == "braun2011":
            r["author"], r["instrument"] = HOSTILE_AUTHOR, HOSTILE_MEASURE
            r["doi"], r["source_url"] = "", "javascript:alert(1)"
    data = os.path.join(top, "data", "trials.csv")
    with open(data, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    claims = os.path.join(top, "data", "claims.csv")
    with open(claims, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["claim_id", "claim", "source", "outcome", "region", "comparator_class", "expected"])
        w.writerow(["hostile", HOSTILE_CLAIM, "a <i>blog</i> & more", "pain", "any", "any", "favours_iastm"])
    shutil.copy("analyses/pain_overall.analysis", os.path.join(top, "analyses"))
    shutil.copy("analyses/README.md", os.path.join(top, "analyses"))
    res = os.path.join(top, "analyses", "results")
    filt = ["--primary", "--where", "outcome=pain", "--by", "region"]
    for cmd in (["pool"] + filt + ["--format", "json", "-o", os.path.join(res, "pain_overall.json"), data],
                ["evidence", "--format", "json", "-o", os.path.join(res, "evidence.json"), data],
                ["claims", "--claims", claims, "--format", "json", "-o", os.path.join(res, "claims.json"), data]):
        subprocess.run([a.iastm] + cmd, check=True)
    out = os.path.join(top, "index.html")
    subprocess.run([sys.executable, "analyses/site.py", "--iastm", a.iastm, "--top", top, "--out", out], check=True)
    p = Page()
    with open(out, encoding="utf-8") as f:
        p.feed(f.read())
    text = "".join(p.text)
    checks = [(t not in p.tags, "element <%s> made from data" % t) for t in ("script", "b", "em", "i")]
    checks.append((not any(h.strip().lower().startswith("javascript:") for h in p.hrefs),
                   "javascript: link made from data"))
    checks += [(want in text, "text not shown as written: %r" % want)
               for want in ("O'Brien and Roe", HOSTILE_MEASURE, HOSTILE_CLAIM, "a <i>blog</i> & more")]
    checks.append((text.count(HOSTILE_CLAIM) >= 2, "claim not shown in both the glance table and its card"))
    failures = [m for ok, m in checks if not ok]
    for f in failures:
        print("FAIL: site escaping: " + f)
    print("site-escape: %d passed, %d failed" % (len(checks) - len(failures), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
