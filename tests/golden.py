#!/usr/bin/env python3
"""Compare build/iastm's JSON output with the R metafor reference files.

Each check runs one command, finds the records carrying the reference file's columns,
and compares every numeric field at the tolerance the reference README gives:
effect sizes 1e-10 relative; pooling, tau2 and its CI 1e-7 relative (1e-9 absolute near
zero); subgroup, regression, bias and leave-one-out 1e-6 relative; the small-sample tests
(t, adhoc) and Egger as regtest's default (model "rma") of the second set 1e-7 relative. "NA" in a reference
means metafor gives no value there: any output is accepted.
"""
import argparse
import csv
import json
import math
import os
import subprocess
import sys

TOL_ES = (1e-10, 1e-12)
TOL_POOL = (1e-7, 1e-9)
TOL_EXTRA = (1e-6, 1e-9)
TOL_BAYES_TAU = (1e-7, 0.0)  # second set: tau quantities 1e-7, mu and theta 1e-6
TOL_BAYES_MU = (1e-6, 0.0)
TOL_SMALL = (1e-7, 1e-9)  # second set: *.smalltests.csv
TOL_MV = (1e-6, 1e-12)


class Harness:
    def __init__(self, iastm, ref):
        self.iastm, self.ref = iastm, ref
        self.passed = self.failed = 0
        self.worst = {}

    def path(self, name):
        return os.path.join(self.ref, name)

    def read(self, name):
        with open(self.path(name), newline="") as f:
            return list(csv.DictReader(f))

    def run(self, args):
        p = subprocess.run([self.iastm] + args, capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError("exit %d: %s" % (p.returncode, p.stderr.strip()))
        return json.loads(p.stdout)

    @staticmethod
    def records(doc, keys):
        """All records (dicts in the top-level lists) that carry every key."""
        out = []
        for sec in doc.values() if isinstance(doc, dict) else [doc]:
            for rec in sec if isinstance(sec, list) else [sec]:
                if isinstance(rec, dict) and all(k in rec for k in keys):
                    out.append(rec)
        return out

    def compare(self, label, got, want, fields, tol, rename=None):
        """Compare one output record with one reference row."""
        rel, abs_ = tol
        bad = []
        for f in fields:
            w = want[f]
            g = got.get((rename or {}).get(f, f))
            if w == "NA":
                continue
            try:
                wv = float(w)
            except ValueError:  # text field such as trimfill_side
                if str(g) != w:
                    bad.append("%s: got %r, expected %r" % (f, g, w))
                continue
            if g is None or isinstance(g, str):
                bad.append("%s: got %r, expected %s" % (f, g, w))
                continue
            d = abs(g - wv)
            r = d / abs(wv) if wv != 0 else (0.0 if d == 0 else math.inf)
            key = label.split(" ")[0]
            if d > abs_:
                self.worst[key] = max(self.worst.get(key, 0.0), r)
            if not (d <= abs_ or d <= rel * abs(wv)):
                bad.append("%s: got %.17g, expected %s (rel err %.2e)" % (f, g, w, r))
        if bad:
            self.failed += 1
            print("FAIL %s\n  %s" % (label, "\n  ".join(bad)))
        else:
            self.passed += 1

    def fail(self, label, why):
        self.failed += 1
        print("FAIL %s: %s" % (label, why))

    # --- checks -------------------------------------------------------------------
    def check_es(self, name):
        for meas in ("SMD", "MD"):
            refname = "%s.%s.es.csv" % (name, meas.lower())
            want = self.read(refname)
            label = "%s (es --measure %s)" % (refname, meas)
            try:
                got = self.records(self.run(["es", "--measure", meas, "--format", "json",
                                             self.path(name + ".csv")]), ["yi", "vi"])
            except RuntimeError as e:
                self.fail(label, e)
                continue
            if len(got) != len(want):
                self.fail(label, "%d records, expected %d" % (len(got), len(want)))
                continue
            for i, (g, w) in enumerate(zip(got, want)):
                self.compare("%s row %d" % (label, i + 1), g, w, ["yi", "vi"], TOL_ES)

    def check_pool(self, refname, infile):
        fields = ["k", "estimate", "se", "stat", "pval", "ci_lb", "ci_ub", "tau2", "tau2_lb",
                  "tau2_ub", "I2", "I2_lb", "I2_ub", "H2", "Q", "Q_df", "Q_p", "pi_lb", "pi_ub"]
        for w in self.read(refname):
            args = ["pool", "--method", w["method"], "--test", w["test"], "--format", "json",
                    self.path(infile)]
            label = "%s %s/%s" % (refname, w["method"], w["test"])
            try:
                got = self.records(self.run(args), ["estimate", "tau2", "Q"])
                self.compare(label, got[0], w, fields, TOL_POOL)
                if w["method"] != "FE":
                    got = self.records(self.run(args[:1] + ["--pi", "hts"] + args[1:]),
                                       ["pi_lb", "pi_ub"])
                    self.compare(label + " --pi hts", got[0], w, ["pi_hts_lb", "pi_hts_ub"],
                                 TOL_POOL, {"pi_hts_lb": "pi_lb", "pi_hts_ub": "pi_ub"})
            except (RuntimeError, IndexError) as e:
                self.fail(label, e)

    def check_smalltests(self, name):
        """rma(yi, vi, method = M, test = "t" | "adhoc"): t with k-1 df and the z SE, or
        Knapp-Hartung with the SE never below the z one; the prediction interval uses the
        test's SE and t quantile (metafor's predict())."""
        refname = name + ".smalltests.csv"
        fields = ["k", "estimate", "se", "stat", "df", "pval", "ci_lb", "ci_ub", "tau2",
                  "pi_lb", "pi_ub"]
        for w in self.read(refname):
            args = ["pool", "--method", w["method"], "--test", w["test"], "--format", "json",
                    self.path(name + ".yivi.csv")]
            label = "%s %s/%s" % (refname, w["method"], w["test"])
            got = self._one(label, args, fields)
            if got is not None:
                if got[0].get("test") != w["test"]:
                    self.fail(label, "test %r reported, expected %r" % (got[0].get("test"),
                                                                       w["test"]))
                    continue
                self.compare(label, got[0], w, fields, TOL_SMALL)

    def _one(self, label, args, keys):
        try:
            got = self.records(self.run(args), keys)
        except RuntimeError as e:
            self.fail(label, e)
            return None
        if not got:
            self.fail(label, "no record with fields %s" % ", ".join(keys))
            return None
        return got

    def check_subgroup(self, name, by):
        infile = self.path(name + ".csv")
        args = ["pool", "--by", by, "--method", "REML", "--format", "json", infile]
        fields = ["k", "estimate", "se", "ci_lb", "ci_ub", "tau2", "I2", "Q", "Q_p"]
        got = self._one(name + ".subgroup", args, ["group"] + fields)
        if got is not None:
            want = self.read(name + ".subgroup.csv")
            bygroup = {str(g["group"]): g for g in got}
            for w in want:
                if w["group"] not in bygroup:
                    self.fail("%s.subgroup %s" % (name, w["group"]), "group missing")
                else:
                    self.compare("%s.subgroup %s" % (name, w["group"]), bygroup[w["group"]], w,
                                 fields, TOL_EXTRA)
        w = self.read(name + ".subgroup_test.csv")[0]
        got = self._one(name + ".subgroup_test", args, ["Q_between", "Q_between_df", "Q_between_p"])
        if got is not None:
            self.compare(name + ".subgroup_test", got[0], w,
                         ["Q_between", "Q_between_df", "Q_between_p"], TOL_EXTRA)
        got = self._one(name + ".subgroup_test regress",
                        ["regress", "--mods", by, "--format", "json", infile], ["QM", "QM_p", "tau2"])
        if got is not None:
            self.compare(name + ".subgroup_test regress", got[0], w,
                         ["QM", "QM_df", "QM_p", "common_tau2"], TOL_EXTRA, {"common_tau2": "tau2"})

    def check_metareg(self, name, mod):
        refname = "%s.metareg_%s.csv" % (name, mod)
        for w in self.read(refname):
            args = ["regress", "--mods", mod, "--test", w["test"], "--format", "json",
                    self.path(name + ".csv")]
            label = "%s %s" % (refname, w["test"])
            got = self._one(label, args, ["tau2", "I2", "R2", "QM", "QM_p", "QE", "QE_p"])
            if got is None:
                continue
            self.compare(label, got[0], w, ["tau2", "I2", "R2", "QM", "QM_p", "QE", "QE_p"],
                         TOL_EXTRA)
            coefs = self.records(self.run(args), ["term", "estimate", "se", "pval", "ci_lb", "ci_ub"])
            if len(coefs) != 2:
                self.fail(label + " coefficients", "%d coefficient records, expected 2" % len(coefs))
                continue
            self.compare(label + " intercept", coefs[0], w, ["intercept", "se_intercept"], TOL_EXTRA,
                         {"intercept": "estimate", "se_intercept": "se"})
            self.compare(label + " slope", coefs[1], w,
                         ["slope", "se_slope", "p_slope", "slope_ci_lb", "slope_ci_ub"], TOL_EXTRA,
                         {"slope": "estimate", "se_slope": "se", "p_slope": "pval",
                          "slope_ci_lb": "ci_lb", "slope_ci_ub": "ci_ub"})

    def check_bias(self, refname, infile):
        """The first set: classic Egger, regtest(model = "lm")."""
        w = self.read(refname)[0]
        fields = list(w.keys())
        args = ["bias", "--egger", "lm", "--format", "json", self.path(infile)]
        got = self._one(refname, args, ["egger_bias"])
        if got is not None:
            merged = {}
            for rec in self.records(self.run(args), []):
                merged.update(rec)
            self.compare(refname, merged, w, fields, TOL_EXTRA)

    def check_egger_rma(self, name):
        """NAME.egger_rma.csv: regtest()'s default (model "rma", REML, z) is bias's default."""
        refname = name + ".egger_rma.csv"
        w = self.read(refname)[0]
        got = self._one(refname, ["bias", "--format", "json", self.path(name + ".yivi.csv")],
                        list(w.keys()))
        if got is not None:
            self.compare(refname, got[0], w, list(w.keys()), TOL_SMALL)

    def check_loo(self, refname, infile):
        want = self.read(refname)
        fields = ["estimate", "se", "ci_lb", "ci_ub", "Q", "tau2", "I2"]
        got = self._one(refname, ["loo", "--format", "json", self.path(infile)], ["left_out"] + fields)
        if got is None:
            return
        if len(got) != len(want):
            self.fail(refname, "%d records, expected %d" % (len(got), len(want)))
            return
        for g, w in zip(got, want):
            self.compare("%s row %s" % (refname, w["left_out"]), g, w, fields, TOL_EXTRA)

    def check_bayes(self, name):
        """NAME.bayes.csv: one row per prior; quadrature in base R (second set)."""
        refname = name + ".bayes.csv"
        for w in self.read(refname):
            label = "%s %s" % (refname, w["prior"])
            args = ["bayes", "--tau-prior", w["prior"], "--format", "json",
                    self.path(name + ".yivi.csv")]
            got = self._one(label, args, ["prior", "tau_median", "mu_median"])
            if got is None:
                continue
            if got[0].get("prior") != w["prior"]:
                self.fail(label, "prior %r in the output" % got[0].get("prior"))
                continue
            tau = [f for f in w if f.startswith("tau_")]
            rest = [f for f in w if f.startswith(("mu_", "theta_"))]
            self.compare(label + " tau", got[0], w, ["k"] + tau, TOL_BAYES_TAU)
            self.compare(label + " mu/theta", got[0], w, rest, TOL_BAYES_MU)


# Every row names its source: these provenance columns must be filled on every row, so each
# pooled number can be traced back to the page it was read from.
PROVENANCE = ("study_id", "source_type", "source_url", "source_location")


def check_mv(h, name):
    """NAME.mv.csv: rma.mv multilevel (V = vi) and CHE (vcalc, rho = 0.6) with CR2."""
    refname = name + ".mv.csv"
    fields = ["k", "clusters", "estimate", "se", "stat", "pval", "ci_lb", "ci_ub",
              "sigma2_cluster", "sigma2_obs", "Q", "Q_p", "logLik", "rve_se", "rve_df",
              "rve_p", "rve_ci_lb", "rve_ci_ub"]
    extra = {"multilevel": [], "che": ["--rho", "0.6"]}
    for w in h.read(refname):
        label = "%s %s" % (refname, w["model"])
        args = ["mv", "--cluster", "cluster", "--obs", "obs"] + extra[w["model"]] + \
            ["--format", "json", h.path(name + ".mv_input.csv")]
        try:
            got = h.records(h.run(args), ["model", "estimate", "sigma2_cluster", "rve_df"])
            if len(got) != 1 or got[0].get("model") != w["model"]:
                h.fail(label, "expected one %s record, got %r" % (w["model"], got))
                continue
            h.compare(label, got[0], w, fields, TOL_MV)
        except (RuntimeError, IndexError, ValueError) as e:
            h.fail(label, e)


def schema_columns(readme):
    """The column names of the first table of data/README.md (| `a`, `b` | meaning |)."""
    cols, in_table = [], False
    with open(readme, encoding="utf-8") as f:
        for line in f:
            if line.startswith("| column |"):
                in_table = True
            elif in_table and not line.startswith("|"):
                break
            elif in_table:
                first = line.split("|")[1]
                cols += [c for i, c in enumerate(first.split("`")) if i % 2 == 1]
    return cols


def check_data(h, trials, readme):
    """The project's own trial data: the documented schema, and provenance on every row."""
    with open(trials, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if len(rows) < 2:
        h.fail(trials, "no data rows")
        return
    header, schema = rows[0], schema_columns(readme)
    missing = [c for c in schema if c not in header]
    extra = [c for c in header if c not in schema]
    if not schema or missing or extra:
        h.fail(trials, "header differs from the schema of %s (missing: %s; undocumented: %s)"
               % (readme, ", ".join(missing) or "none", ", ".join(extra) or "none"))
        return
    h.passed += 1
    idx = {c: i for i, c in enumerate(header)}
    for line, r in enumerate(rows[1:], start=2):
        if len(r) != len(header):
            h.fail("%s:%d" % (trials, line), "%d fields, header has %d" % (len(r), len(header)))
            continue
        empty = [c for c in PROVENANCE if not r[idx[c]].strip()]
        bad = []
        if r[idx["source_type"]] not in ("primary", "secondary", ""):
            bad.append("source_type '%s'" % r[idx["source_type"]])
        if r[idx["source_url"]] and not r[idx["source_url"]].startswith(("http://", "https://")):
            bad.append("source_url '%s' is not a web address" % r[idx["source_url"]])
        if empty or bad:
            h.fail("%s:%d" % (trials, line),
                   "; ".join((["empty " + ", ".join(empty)] if empty else []) + bad))
        else:
            h.passed += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--iastm", required=True)
    ap.add_argument("--ref", required=True)
    ap.add_argument("--trials", default="data/trials.csv",
                    help="the project's trial data, checked against its schema (data/README.md)")
    a = ap.parse_args()
    if not os.path.isdir(a.ref):
        print("golden: reference folder %s not found" % a.ref)
        return 1
    h = Harness(a.iastm, a.ref)
    if a.trials:
        check_data(h, a.trials, os.path.join(os.path.dirname(a.trials), "README.md"))
    h.check_es("normand1999")
    for refname, infile in (("bcg.pool.csv", "bcg.csv"),
                            ("raudenbush1985.pool.csv", "raudenbush1985.csv"),
                            ("normand1999.smd.pool.csv", "normand1999.smd.es.csv"),
                            ("normand1999.md.pool.csv", "normand1999.md.es.csv")):
        h.check_pool(refname, infile)
    for name in ("bcg", "raudenbush1985", "normand1999"):
        h.check_smalltests(name)
        h.check_egger_rma(name)
    h.check_subgroup("bcg", "alloc")
    h.check_subgroup("raudenbush1985", "tester")
    h.check_metareg("bcg", "ablat")
    h.check_metareg("raudenbush1985", "weeks")
    for name, infile in (("bcg", "bcg.csv"), ("raudenbush1985", "raudenbush1985.csv"),
                         ("normand1999.smd", "normand1999.smd.es.csv"),
                         ("normand1999.md", "normand1999.md.es.csv")):
        h.check_bias(name + ".bias.csv", infile)
        h.check_loo(name + ".loo.csv", infile)
    for name in ("normand1999", "bcg", "raudenbush1985"):
        h.check_bayes(name)
    check_mv(h, "konstantopoulos2011")
    for key in sorted(h.worst):
        print("golden: %-34s max relative error %.2e" % (key, h.worst[key]))
    print("golden: %d passed, %d failed" % (h.passed, h.failed))
    return 1 if h.failed else 0


if __name__ == "__main__":
    sys.exit(main())
