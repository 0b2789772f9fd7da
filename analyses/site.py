#!/usr/bin/env python3
"""Write the evidence page: one self-contained HTML file (inline CSS and SVG, no scripts,
no fonts or anything else fetched) from analyses/results, plots/*.svg, data/trials.csv,
data/claims.csv and analyses/README.md. The claims and their verdicts come first, then one
section per analysis: forest plot, summary-of-findings rows, pooled results, the trials
pooled and the rows not pooled with their reasons; then the methods.

Per-trial effect sizes come from `iastm es` with the analysis's own filter, so the page
shows exactly the numbers the pooled model used. The same inputs give the same bytes.

Usage: python3 analyses/site.py --iastm build/iastm [--top .] [--out analyses/site/index.html]
"""
import argparse
import html
import json
import os
import re
import shlex
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import trialinfo as ti  # noqa: E402

Z975 = 1.959963984540054  # standard normal 97.5% quantile, the forest plot's study CIs

VERDICT_CLASS = {
    "supported": "supported",
    "not supported": "notsupported",
    "contradicted": "contradicted",
    "insufficient evidence": "insufficient",
}
OUTCOME_ORDER = ["pain", "function", "rom"]


def esc(s):
    return html.escape("" if s is None else str(s), quote=True)


def num(x, nd=2):
    return ti.fmt_num(x, nd)


def ci_text(est, lb, ub, nd=2):
    if est is None:
        return "not estimable"
    return "%s (95%% CI %s to %s)" % (num(est, nd), num(lb, nd), num(ub, nd))


def est_ci(est, lb, ub, nd=2):
    """'0.59 (−0.45 to 1.63)' for table cells; '-' when nothing was estimated."""
    if est is None:
        return "-"
    return "%s (%s to %s)" % (num(est, nd), num(lb, nd), num(ub, nd))


def interval(lb, ub):
    return "-" if lb is None else "%s to %s" % (num(lb), num(ub))


def pct(x):
    return "-" if x is None else num(x, 0) + "%"


def pval(p):
    if p is None:
        return "NA"
    if p < 0.001:
        return "< 0.001"
    return ti.fmt_num(p, 3)


def trials_word(k):
    return "%d trial%s" % (k, "" if k == 1 else "s")


def link_html(row):
    ls = ti.links(row)
    if not ls:
        return '<span class="muted">no link in the data</span>'
    return "<br>".join('<a href="%s">%s</a>' % (esc(u), esc(t)) for u, t in ls)


def study_cell(row):
    return '%s<br><span class="muted small">%s</span>' % (esc(ti.label(row)), esc(row["study_id"]))


def table(head, rows, cls=""):
    """An HTML table inside its own horizontal scroll container. head: header cells
    (already HTML); rows: lists of (html, css_class) or html strings."""
    out = ['<div class="scroll"><table%s>' % (' class="%s"' % cls if cls else ""),
           "<thead><tr>" + "".join("<th>%s</th>" % h for h in head) + "</tr></thead><tbody>"]
    for r in rows:
        cells = []
        for c in r:
            if isinstance(c, tuple):
                cells.append('<td class="%s">%s</td>' % c[::-1])
            else:
                cells.append("<td>%s</td>" % c)
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></div>")
    return "\n".join(out)


# ---------------------------------------------------------------- inputs

def read_analysis(path):
    name = os.path.basename(path)[:-len(".analysis")]
    a = {"name": name, "comment": "", "title": name, "filter": "", "by": "", "loo": ""}
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            line = line.rstrip("\n")
            if i == 0 and line.startswith("#"):
                a["comment"] = line.lstrip("#").strip()
            m = re.match(r"(\w+):\s*(.*)$", line)
            if m and m.group(1) in a and m.group(1) != "name":
                a[m.group(1)] = m.group(2).strip()
    a["args"] = shlex.split(a["filter"])
    where = {}
    args = a["args"]
    for i, t in enumerate(args):
        if t == "--where" and i + 1 < len(args) and "=" in args[i + 1]:
            k, v = args[i + 1].split("=", 1)
            where[k] = v
    a["where"] = where
    a["outcome"] = where.get("outcome", "")
    # A sensitivity analysis changes which rows are pooled (all rows, or a restriction
    # other than outcome, region and comparator class).
    a["sensitivity"] = ("--primary" not in args or
                        any(k not in ("outcome", "region", "comparator_class") for k in where))
    return a


def analysis_order(a):
    o = a["outcome"]
    rank = OUTCOME_ORDER.index(o) if o in OUTCOME_ORDER else len(OUTCOME_ORDER)
    return (rank, o, a["sensitivity"], not a["name"].endswith("_overall"), a["name"])


def effect_sizes(iastm, a, data):
    cmd = [iastm, "es"] + a["args"] + ["--format", "json", data]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("site: %s failed: %s" % (" ".join(cmd), p.stderr.strip()))
    return json.loads(p.stdout)["effect_sizes"]


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


# ---------------------------------------------------------------- SVG

# an entry of gnuplot's <defs>: a point symbol (one element) or a filter, with its id
SVG_DEF = re.compile(r"""<(filter)\b[^>]*\bid=['"]([\w-]+)['"].*?</filter>\n?|"""
                     r"""<(\w+)\b[^>]*\bid=['"]([\w-]+)['"][^>]*/>\n?""", re.S)


GP_GROUP = ('fill="none" color="black" stroke="currentColor" stroke-width="1.00" '
            'stroke-linecap="butt" stroke-linejoin="miter"')


def compact_svg(body):
    """Gnuplot's SVG with the same drawing in fewer bytes (the page inlines two per figure):
    no <desc>, no definition nobody refers to, no empty group, no indentation, no padding
    inside rgb(). Text is untouched: a line break stays where there was one."""
    body = re.sub(r"<desc>.*?</desc>\n?", "", body, flags=re.S)
    dm = re.search(r"<defs>(.*?)</defs>", body, flags=re.S)
    if dm:
        defs = dm.group(1)
        while True:
            rest = body[:dm.start(1)] + defs + body[dm.end(1):]
            unused = [d for d in SVG_DEF.finditer(defs)
                      if not re.search(r"#%s\b" % re.escape(d.group(2) or d.group(4)),
                                       rest.replace(d.group(0), ""))]
            if not unused:
                break
            for d in unused:
                defs = defs.replace(d.group(0), "")
        body = body[:dm.start(1)] + defs + body[dm.end(1):]
    body = re.sub(r"\n[ \t]+", "\n", body)
    body = re.sub(r"<g\b[^>]*>\n*</g>\n?", "", body)
    body = re.sub(r"rgb\(\s*(\d+),\s*(\d+),\s*(\d+)\)", r"rgb(\1,\2,\3)", body)
    body = re.sub(r"""(\bd=(['"])[^'"]*?)\s+\2""", r"\1\2", body)
    body = re.sub(r"""(['"])[ \t]{2,}(?=[\w:-]+=|/?>)""", r"\1 ", body)
    # gnuplot's group of every line and label, as a class of the page's style sheet
    body = body.replace('<g %s>' % GP_GROUP, '<g class="gp">')
    return re.sub(r"\n\n+", "\n", body)


def inline_svg(path, prefix, title, cls="plot", scale=(0.9, 1.25)):
    """The SVG file as an inline element: prolog dropped, ids made unique on the page (every
    id and reference to one gets PREFIX), its title replaced by TITLE, fixed width and height
    replaced by the viewBox so that it scales with the page, its natural width times SCALE
    (least, most) as its min- and max-width (text stays readable: a figure wider than the
    screen scrolls inside its container instead of shrinking; most None: no upper bound)."""
    with open(path, encoding="utf-8") as f:
        svg = f.read()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<script\b.*?</script>", "", svg, flags=re.S)
    svg = re.sub(r"<title>.*?</title>", "", svg, count=1, flags=re.S)
    m = re.match(r"<svg\b([^>]*)>", svg)
    attrs = m.group(1)

    def attr(n):
        am = re.search(r'\b%s\s*=\s*["\']([^"\']*)["\']' % n, attrs)
        return am.group(1) if am else None
    width = float(re.sub(r"[a-z]+$", "", attr("width") or "0") or 0)
    height = float(re.sub(r"[a-z]+$", "", attr("height") or "0") or 0)
    vb = attr("viewBox") or "0 0 %g %g" % (width, height)
    if not width:
        width = float(vb.split()[2])
    body = compact_svg(svg[m.end():])
    fonts = set(re.findall(r'\sfont-family="([^"]*)"', body))
    font = ""
    if len(fonts) == 1:  # one family for every label: said once, on the figure
        body = re.sub(r'\sfont-family="[^"]*"', "", body)
        font = ' font-family="%s"' % esc(fonts.pop())
    body = re.sub(r"""\bid=(['"])""", lambda mm: "id=" + mm.group(1) + prefix, body)
    body = re.sub(r"""(href=['"])#""", lambda mm: mm.group(1) + "#" + prefix, body)
    body = body.replace("url(#", "url(#" + prefix)
    tid = prefix + "title"
    head = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            'viewBox="%s" role="img" aria-labelledby="%s" class="%s"%s '
            'style="min-width:%dpx%s">\n<title id="%s">%s</title>'
            % (esc(vb), tid, cls, font, round(width * scale[0]),
               "" if scale[1] is None else ";max-width:%dpx" % round(width * scale[1]), tid, esc(title)))
    return head + body.rstrip() + "\n"


# ---------------------------------------------------------------- Markdown (README)

def inline_md(s):
    s = esc(s)
    s = re.sub(r"`([^`]+)`", r"<code>\1</code>", s)
    s = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", s)
    return s


def md_section(text, heading):
    """The body of '## heading' in a small Markdown file, as HTML (paragraphs, numbered and
    bulleted lists, bold, code)."""
    m = re.search(r"^## %s\n(.*?)(?=^## |\Z)" % re.escape(heading), text, flags=re.S | re.M)
    if not m:
        return ""
    out, items, kind, para = [], [], None, []

    def flush():
        nonlocal items, kind, para
        if para:
            out.append("<p>%s</p>" % inline_md(" ".join(para)))
            para = []
        if items:
            out.append("<%s>%s</%s>" % (kind, "".join("<li>%s</li>" % inline_md(i) for i in items), kind))
            items, kind = [], None
    for line in m.group(1).split("\n"):
        lm = re.match(r"(\d+\.|-) (.*)", line)
        if lm:
            if para:
                flush()
            k = "ol" if lm.group(1)[0].isdigit() else "ul"
            if kind and kind != k:
                flush()
            kind = k
            items.append(lm.group(2))
        elif not line.strip():
            flush()
        elif items and line.startswith(" "):
            items[-1] += " " + line.strip()
        else:
            para.append(line.strip())
    flush()
    return "\n".join(out)


# ---------------------------------------------------------------- sections

METHODS = (("reml_hksj", "REML + Hartung-Knapp-Sidik-Jonkman (primary)"),
           ("reml_z", "REML + z"), ("dl_z", "DerSimonian-Laird + z (RevMan 5)"),
           ("bayes", "Bayesian, half-normal(0.5) prior on \u03c4"))


def claim_headline(c):
    v = c["verdict"]
    word = v[:1].upper() + v[1:]
    cert = c["certainty"]
    certainty = "certainty not rated" if cert == "not rated" else "%s certainty" % cert
    if c["region"] == "spine_vs_other" and c.get("spine_estimate") is not None and v != "insufficient evidence":
        return "%s: spine SMD %s vs other regions %s (difference %s; test for subgroup differences p = %s), %s in all; %s" % (
            word, num(c["spine_estimate"]), num(c["other_estimate"]), num(c["difference"]),
            pval(c["Q_between_p"]), trials_word(c["trials"]), certainty)
    if c.get("no_trial_in_population"):
        if c.get("indirect_estimate") is not None:
            return ("%s: no trial in this population. Indirect evidence (%s): SMD %s from %s; "
                    "%s certainty, rated down for indirectness" % (
                        word, c["indirect_scope"],
                        ci_text(c["indirect_estimate"], c["indirect_ci_lb"], c["indirect_ci_ub"]),
                        trials_word(c["indirect_trials"]), c["indirect_certainty"]))
        return "%s: no trial in this population, and no poolable trial nearby" % word
    if v == "insufficient evidence":
        if c["trials"] == 1 and c["region"] != "spine_vs_other":
            return "%s: only 1 trial with usable numbers (at least 2 needed): SMD %s; %s" % (
                word, ci_text(c["estimate"], c["ci_lb"], c["ci_ub"]), certainty)
        if c["trials"] == 0:
            return "%s: no trial reported usable numbers; %s" % (word, certainty)
        return "%s: %s; %s" % (word, c["why"], certainty)
    return "%s: pooled SMD %s from %s; %s" % (
        word, ci_text(c["estimate"], c["ci_lb"], c["ci_ub"]), trials_word(c["trials"]), certainty)


def glance_estimate(c):
    """The estimate a claim is judged on: for spine vs other regions the two subgroup
    estimates, not the pooled one."""
    if c["region"] == "spine_vs_other" and c.get("spine_estimate") is not None:
        return "spine %s vs other %s" % (num(c["spine_estimate"]), num(c["other_estimate"]))
    if c.get("no_trial_in_population"):
        if c.get("indirect_estimate") is None:
            return "no trial in this population"
        return "indirect: %s" % est_ci(c["indirect_estimate"], c["indirect_ci_lb"],
                                       c["indirect_ci_ub"])
    return est_ci(c["estimate"], c["ci_lb"], c["ci_ub"])


def claims_section(claims, not_pooled, sources, trial_rows, question_of, claim_trials=()):
    out = ['<section id="claims"><h2>The claims and what the trials say</h2>',
           '<p>Each claim is quoted as published. The verdict compares it with the pooled '
           'trials (rules under <a href="#methods">Methods</a>). SMD: standardized mean '
           'difference (Hedges\u2019 g); positive numbers favour IASTM; by convention 0.2 is a '
           'small, 0.5 a moderate and 0.8 a large difference. A verdict of low or very low '
           'certainty is a weak statement.</p>', '<h3>At a glance</h3>']
    glance = []
    for c in claims:
        cls = VERDICT_CLASS.get(c["verdict"], "insufficient")
        glance.append(['<a href="#claim-%s">%s</a>' % (esc(c["claim_id"]), esc(c["claim"])),
                       '<strong class="vw-%s">%s</strong>' % (cls, esc(c["verdict"])),
                       (esc(glance_estimate(c)), "num"),
                       (str(c["trials"]), "num"), esc(c["certainty"]),
                       esc(c.get("robustness") or "-")])
    out.append(table(["Claim", "Verdict", "SMD (95% CI)", "Trials pooled", "Certainty",
                      "Same verdict under other methods?"], glance, "glance"))
    out.append("<h3>Each claim in detail</h3>")
    for c in claims:
        cid = c["claim_id"]
        cls = VERDICT_CLASS.get(c["verdict"], "insufficient")
        out.append('<article class="claim v-%s" id="claim-%s">' % (cls, esc(cid)))
        out.append('<p class="claimtext">\u201c%s\u201d</p>' % esc(c["claim"]))
        if sources.get(cid):
            out.append('<p class="muted small">Claimed in: %s</p>' % esc(sources[cid]))
        if c.get("population"):
            out.append('<p class="small">Population: %s</p>' % esc(c["population"]))
        out.append('<p class="verdict"><strong>%s</strong></p>' % esc(claim_headline(c)))
        if c.get("robustness") and c["robustness"] != "not applicable":
            mrows = []
            for key, name in METHODS:
                if c.get(key + "_verdict") is None:
                    continue
                mrows.append([esc(name), (esc(ci_text(c[key + "_estimate"], c[key + "_lb"], c[key + "_ub"])), "num"),
                              esc(c[key + "_verdict"])])
            out.append('<p class="small">Robustness: <strong>%s</strong></p>' % esc(c["robustness"]))
            if mrows:
                out.append(table(["Method", "Estimate (95% interval)", "Verdict"], mrows, "methods"))
        detail = "Why: %s." % c["why"]
        if c["certainty_reasons"] and c["certainty"] != "not rated":
            detail += " Certainty: %s." % c["certainty_reasons"]
        out.append('<p class="small">%s</p>' % esc(detail))
        used = [t for t in claim_trials if t["claim_id"] == cid]
        if used:
            out.append('<p class="small">%s:</p><ul class="small">' % (
                "Indirect trials (another population)" if used[0].get("indirect") else "Trials behind the verdict"))
            for t in used:
                link = ""
                if (t.get("source_url") or "").startswith(("http://", "https://")):
                    link = ' <a href="%s">source</a>' % esc(t["source_url"])
                out.append("<li>%s (%s, %s): n %s vs %s, SMD %s%s</li>" % (
                    esc(t["citation"]), esc(t.get("site") or "-"), esc(t.get("condition") or "-"),
                    num(t["n1"], 0), num(t["n2"], 0), esc(ci_text(t["yi"], t["ci_lb"], t["ci_ub"])), link))
            out.append("</ul>")
        rows = [r for r in not_pooled if r["claim_id"] == cid]
        if rows:
            out.append('<p class="small">Relevant rows not pooled:</p><ul class="small">')
            for r in rows:
                t = trial_rows.get(r["line"])
                who = ti.label(t) if t else r["study"]
                out.append("<li>%s (%s, %s): %s</li>" % (
                    esc(who), esc(r["study"]),
                    esc(ti.comparator_words(r["comparator"])), esc(r["reason"])))
            out.append("</ul>")
        q = question_of(c)
        if q:
            out.append('<p class="small">Details: <a href="#q-%s">%s</a></p>' % (esc(q["name"]), esc(q["title"])))
        out.append("</article>")
    out.append("</section>")
    return "\n".join(out)


def sof_rows(a, evidence):
    """Summary-of-findings rows for an analysis: the question it answers and its subgroups."""
    o = a["outcome"]
    region = a["where"].get("region", "any")
    comp = a["where"].get("comparator_class", "any")
    keys = [(o, region, comp)]
    for (eo, er, ec) in sorted(evidence):
        if eo != o:
            continue
        if a["by"] == "region" and ec == comp and er != "any" and region == "any":
            keys.append((eo, er, ec))
        if a["by"] == "comparator_class" and er == region and ec != "any" and comp == "any":
            keys.append((eo, er, ec))
    return [evidence[k] for k in keys if k in evidence]


def sof_table(rows):
    head = ["Question", "Trials pooled", "Rows not pooled", "Participants", "SMD (95% CI)",
            "Prediction interval", "I\u00b2", "Certainty"]
    body = []
    for e in rows:
        q = ti.question_words(e["outcome"], e["region"], e["comparator"])
        nnp = len([s for s in e["not_pooled"].split("; ") if s]) if e["not_pooled"] else 0
        est = est_ci(e["estimate"], e["ci_lb"], e["ci_ub"])
        pi = interval(e["pi_lb"], e["pi_ub"])
        i2 = pct(e["I2"])
        cert = "<strong>%s</strong>" % esc(e["certainty"])
        if e["certainty"] != "not rated":
            cert += '<br><span class="small">%s</span>' % esc(e["certainty_reasons"])
        body.append([esc(q), (str(e["trials"]), "num"), (str(nnp), "num"),
                     ("-" if e["participants"] is None else num(e["participants"], 0), "num"),
                     (esc(est), "num"), (esc(pi), "num"), (esc(i2), "num"), cert])
    return table(head, body, "sof")


def pooled_row(label, model, bold):
    """One model of a results file; a field the model does not report shows as '-'."""
    g = {k: model.get(k) for k in ("k", "participants", "estimate", "ci_lb", "ci_ub", "pval",
                                   "pi_lb", "pi_ub", "tau2", "I2")}
    est = esc(est_ci(g["estimate"], g["ci_lb"], g["ci_ub"]))
    return [label, ("-" if g["k"] is None else str(g["k"]), "num"),
            ("-" if g["participants"] is None else num(g["participants"], 0), "num"),
            ("<strong>%s</strong>" % est if bold else est, "num"),
            ("-" if g["pval"] is None else esc(pval(g["pval"])), "num"),
            (esc(interval(g["pi_lb"], g["pi_ub"])), "num"),
            ("-" if g["tau2"] is None else esc(num(g["tau2"])), "num"), (esc(pct(g["I2"])), "num")]


def pooled_table(res):
    head = ["", "Trials", "Participants", "SMD (95% CI)", "p", "Prediction interval", "\u03c4\u00b2", "I\u00b2"]
    body = []
    notes = []
    for g in res.get("subgroups", []):
        label = g.get("group", "")
        label = ti.comparator_words(label)
        body.append(pooled_row(esc(label), g, False))
        if g.get("note"):
            notes.append("%s: %s" % (label, g["note"]))
    for o in res.get("overall", []):
        body.append(pooled_row("<strong>All trials</strong>", o, True))
        if o.get("note"):
            notes.append("all trials: %s" % o["note"])
    out = table(head, body, "pooled")
    for t in res.get("subgroup_test", []):
        out += ('\n<p class="small">Test for subgroup differences (%s): Q = %s, df = %d, p = %s.</p>'
                % (esc(t["by"].replace("_", " ")), esc(num(t["Q_between"])), t["Q_between_df"], esc(pval(t["Q_between_p"]))))
    for n in notes:
        out += '\n<p class="small muted">Note (%s)</p>' % esc(n)
    return out


def trials_table(es, a, rows_by_line):
    head = ["Study", "Site (region)", "Comparator", "Measure, time point", "n IASTM / comparator",
            "SMD (95% CI)", "Source"]
    if a["by"] and a["by"] not in ("region", "comparator_class"):
        head.insert(1, esc(a["by"]))
    body = []
    for e in es:
        if not e["included"]:
            continue
        r = rows_by_line[e["line"]]
        lb, ub = e["yi"] - Z975 * e["sei"], e["yi"] + Z975 * e["sei"]
        cells = [study_cell(r), esc("%s (%s)" % (r["body_site"], r["region"])),
                 esc(ti.comparator_words(r["comparator_class"])),
                 esc("%s; %s" % (r["instrument"], r["timepoint"])),
                 ("%d / %d" % (e["n1"], e["n2"]), "num"),
                 (esc(est_ci(e["yi"], lb, ub)), "num"), (link_html(r), "src")]
        if len(head) == 8:
            cells.insert(1, esc(r.get(a["by"], "")))
        body.append(cells)
    if not body:
        return "<p>No trial could be pooled.</p>"
    return table(head, body, "trials")


def excluded_table(res, rows_by_line):
    ex = res.get("excluded", [])
    if not ex:
        return "<p>Every relevant row was pooled.</p>"
    head = ["Study", "Comparator", "Outcome measure", "n IASTM / comparator", "Why not pooled", "Source"]
    body = []
    for x in ex:
        r = rows_by_line.get(x["line"])
        if r is None:
            body.append([esc(x["study"]), "", "", "", esc(x["reason"]), ""])
            continue
        n = ("%s / %s" % (r["n_iastm"], r["n_comp"]) if r["n_iastm"] and r["n_comp"]
             else "not reported")
        body.append([study_cell(r), esc(ti.comparator_words(r["comparator_class"])),
                     esc(r["instrument"]), (esc(n), "num"),
                     esc("%s (data form: %s)" % (x["reason"], x["data_form"])), (link_html(r), "src")])
    return table(head, body, "excluded")


def question_section(a, top, res, es, evidence, rows_by_line, main_of):
    name = a["name"]
    out = ['<section class="question" id="q-%s">' % esc(name), "<h2>%s</h2>" % esc(a["title"])]
    if a["comment"]:
        out.append("<p>%s</p>" % esc(a["comment"]))
    svg = os.path.join(top, "plots", name + ".svg")
    narrow = os.path.join(top, "plots", name + ".narrow.svg")
    if os.path.exists(svg):
        # Two drawings of one figure: the table at its natural width, and one reflowed to a
        # phone's width (plots/NAME.narrow.svg); CSS shows the narrow one up to NARROW_PX
        # px of viewport width, the wide one above. Each has
        # its own id prefix and title; the one not displayed is out of the accessibility tree.
        two = os.path.exists(narrow)
        figs = inline_svg(svg, "p-%s-" % name, a["title"], "plot plot-wide" if two else "plot")
        hint = "Wider than a phone screen: scroll sideways."
        if two:
            figs += inline_svg(narrow, "p-%s-n-" % name, a["title"], "plot plot-narrow", (0.9, 2.0))
            hint = '<span class="plot-wide">Wider than a narrow window: scroll sideways.</span>'
        out.append('<figure class="forest"><div class="scroll">%s</div><figcaption class="small muted">'
                   'Forest plot: each trial\u2019s SMD with its 95%% CI; diamonds: pooled estimates. '
                   '%s</figcaption></figure>' % (figs, hint))
    else:
        out.append('<p class="muted">Forest plot not drawn (gnuplot was not installed when the page was made).</p>')
    if res is None:
        out.append("<p>Not analysable: no row could be pooled.</p></section>")
        return "\n".join(out)
    out.append("<h3>Summary of findings</h3>")
    rows = sof_rows(main_of(a) if a["sensitivity"] else a, evidence)
    if a["sensitivity"]:
        out.append('<p class="small">This is a sensitivity analysis; the summary of findings '
                   'below is that of the main analysis (primary rows), for comparison.</p>')
    out.append(sof_table(rows) if rows else "<p>No summary-of-findings row for this question.</p>")
    out.append("<h3>Pooled results</h3>")
    out.append(pooled_table(res))
    out.append("<h3>Trials pooled</h3>")
    out.append(trials_table(es, a, rows_by_line))
    out.append("<h3>Rows not pooled</h3>")
    out.append(excluded_table(res, rows_by_line))
    out.append("</section>")
    return "\n".join(out)


def reviews_section(reviews):
    if not reviews:
        return ""
    head = ["Review", "Outcome (region)", "Their measure, trials", "Their estimate (95% CI)",
            "Our SMD (95% CI), trials", "Why they can differ"]
    body = []
    for r in reviews:
        theirs = est_ci(r["their_estimate"], r["their_ci_lb"], r["their_ci_ub"])
        ours = est_ci(r["our_estimate"], r["our_ci_lb"], r["our_ci_ub"])
        if r["our_estimate"] is not None:
            ours += ", %d" % r["our_trials"]
        body.append([esc(r["review_id"]), esc("%s (%s)" % (ti.outcome_words(r["outcome"]), r["region"])),
                     esc("%s, %s" % (r["their_measure"], r["their_k"])), (esc(theirs), "num"),
                     (esc(ours), "num"), esc(r["note"])])
    return ('<section id="reviews"><h2>Published reviews side by side</h2>\n%s</section>' % table(head, body, "reviews"))


NARROW_PX = 600  # up to this viewport width (px) the page shows the narrow forest plots

CSS = """
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;color:#1b1b1b;background:#fff;font:17px/1.5 "DejaVu Sans","Liberation Sans",Arial,sans-serif}
header,main,footer{max-width:76rem;margin:0 auto;padding:0 1rem}
header{padding-top:1rem}
h1{font-size:1.75rem;line-height:1.25;margin:.5rem 0}
h2{font-size:1.4rem;line-height:1.3;margin:2.2rem 0 .6rem;padding-top:.6rem;border-top:2px solid #ddd}
h3{font-size:1.1rem;margin:1.4rem 0 .4rem}
p,li{max-width:50rem}
a{color:#0b57a4}
td.src a{overflow-wrap:anywhere}
code{font-size:.92em;background:#f3f3f3;padding:0 .2em;overflow-wrap:anywhere}
.muted{color:#555}.small{font-size:.88rem}
nav.toc{background:#f6f7f9;border:1px solid #dde;padding:.6rem 1rem;margin:1rem 0}
nav.toc ol{margin:.3rem 0;padding-left:1.4rem}
nav.toc ol ol{font-size:.92rem}
nav.toc summary{cursor:pointer}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;font-size:.9rem;line-height:1.35}
th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid #ddd;overflow-wrap:break-word}
th{background:#f1f3f5;font-weight:600}
td.num{white-space:nowrap;text-align:right;font-variant-numeric:tabular-nums}
table.sof{min-width:66rem}table.trials{min-width:56rem}table.excluded{min-width:50rem}
table.pooled{min-width:40rem}table.reviews{min-width:56rem}table.glance{min-width:40rem}
table.glance td:first-child{min-width:15rem}table.reviews td:last-child{min-width:18rem}table.reviews td:nth-child(3){min-width:8rem}
table.sof td:first-child{min-width:9rem}
table.sof td:last-child{min-width:30rem}
td.src{min-width:12rem}
table.trials td:nth-child(4),table.excluded td:nth-child(5){min-width:12rem}
figure{margin:1rem 0}
figure.forest .scroll{border:1px solid #e3e3e3}
svg.plot{display:block;width:100%;height:auto}
svg.plot g.gp{fill:none;color:black;stroke:currentColor;stroke-width:1;stroke-linecap:butt;stroke-linejoin:miter}
svg.plot-narrow{display:none}
@media (max-width:NARROW_PXpx){svg.plot-wide,span.plot-wide{display:none}svg.plot-narrow{display:block}}
.claim{border-left:6px solid #999;background:#fafafa;padding:.5rem 1rem;margin:1rem 0}
.claim p{margin:.35rem 0}
.claimtext{font-style:italic;font-size:1.05rem}
.verdict{font-size:1.05rem}
.v-supported{border-color:#1e7d32}.v-supported .verdict{color:#14521f}
.v-notsupported{border-color:#c77700}.v-notsupported .verdict{color:#7a4700}
.v-contradicted{border-color:#b3261e}.v-contradicted .verdict{color:#8c1d18}
.v-insufficient{border-color:#777}.v-insufficient .verdict{color:#333}
.vw-supported{color:#14521f}.vw-notsupported{color:#7a4700}.vw-contradicted{color:#8c1d18}.vw-insufficient{color:#333}
footer{margin-top:3rem;padding-bottom:2rem;color:#555;font-size:.88rem}
@media (max-width:600px){body{font-size:16px}header,main,footer{padding:0 .7rem}h1{font-size:1.4rem}}
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--iastm", required=True)
    ap.add_argument("--top", default=".")
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    top = a.top
    out_path = a.out or os.path.join(top, "analyses", "site", "index.html")
    res_dir = os.path.join(top, "analyses", "results")
    data = os.path.join(top, "data", "trials.csv")
    trial_rows = ti.read_trials(data, a.iastm)
    rows_by_line = ti.by_line(trial_rows)
    claims_json = load_json(os.path.join(res_dir, "claims.json"))
    ev_json = load_json(os.path.join(res_dir, "evidence.json"))
    evidence = {(e["outcome"], e["region"], e["comparator"]): e for e in ev_json["evidence"]}
    sources = {}
    cpath = os.path.join(top, "data", "claims.csv")
    if os.path.exists(cpath):
        import csv
        with open(cpath, newline="", encoding="utf-8") as f:
            sources = {r["claim_id"]: r.get("source", "") for r in csv.DictReader(f)}
    version = subprocess.run([a.iastm, "--version"], capture_output=True, text=True).stdout.strip()

    adir = os.path.join(top, "analyses")
    analyses = sorted((read_analysis(os.path.join(adir, f)) for f in os.listdir(adir)
                       if f.endswith(".analysis")), key=analysis_order)
    by_name = {x["name"]: x for x in analyses}

    def main_of(x):
        return by_name.get(x["outcome"] + "_overall", x)

    def question_of(c):
        region, comp = c["region"], c["comparator"]
        if comp != "any":
            name = "%s_spine_by_comparator" % c["outcome"] if region == "spine" else "%s_by_comparator" % c["outcome"]
        else:
            name = "%s_overall" % c["outcome"]
        return by_name.get(name) or by_name.get("%s_overall" % c["outcome"])

    sections = []
    for x in analyses:
        rp = os.path.join(res_dir, x["name"] + ".json")
        res = load_json(rp) if os.path.exists(rp) else None
        es = effect_sizes(a.iastm, x, data) if res is not None else []
        sections.append(question_section(x, top, res, es, evidence, rows_by_line, main_of))

    toc = ['<nav class="toc" aria-label="Contents"><strong>Contents</strong><ol>',
           '<li><a href="#claims">The claims and what the trials say</a></li>',
           "<li><details><summary>The questions, one section each (%d)</summary><ol>" % len(analyses)]
    for x in analyses:
        toc.append('<li><a href="#q-%s">%s</a></li>' % (esc(x["name"]), esc(x["title"])))
    toc.append("</ol></details></li>")
    if ev_json.get("published_reviews"):
        toc.append('<li><a href="#reviews">Published reviews side by side</a></li>')
    toc.append('<li><a href="#methods">Methods</a></li></ol></nav>')

    readme = ""
    rpath = os.path.join(adir, "README.md")
    if os.path.exists(rpath):
        with open(rpath, encoding="utf-8") as f:
            readme = f.read()
    methods = ['<section id="methods"><h2>Methods</h2>',
               "<p>Data: one row per trial \u00d7 comparison \u00d7 outcome \u00d7 measure in "
               "<code>data/trials.csv</code>, each read from the page its source link names. "
               "Effect sizes: standardized mean differences (Hedges\u2019 g, exact small-sample "
               "correction), positive favouring IASTM. Models: random effects, REML estimate of "
               "\u03c4\u00b2, Wald-type 95% confidence intervals, 95% prediction intervals; subgroups "
               "each with their own \u03c4\u00b2. Only one row per trial, comparison and outcome (the "
               "primary row) enters the main analyses. Rows that cannot be turned into an effect "
               "size are listed with the reason, never dropped silently.</p>"]
    for h, title in (("Certainty rules (GRADE-style, applied mechanically)", "Certainty"),
                     ("Verdict rules for the claims", "Verdicts on the claims")):
        body = md_section(readme, h)
        if body:
            methods.append("<h3>%s</h3>\n%s" % (esc(title), body))
    methods.append("</section>")

    page = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            "<title>IASTM: what the trials say \u2014 evidence page</title>",
            "<style>%s</style></head><body>" % CSS.strip().replace("NARROW_PX", str(NARROW_PX)),
            "<header><h1>Instrument-assisted soft tissue mobilization (IASTM): what the trials say</h1>",
            '<p>Claims made about IASTM (the Graston technique, gua sha and similar tools), checked '
            'against the trials whose numbers could be read from publicly reachable reports. '
            'Written by %s from <code>data/trials.csv</code>; every number below comes from '
            '<code>analyses/results/</code>.</p></header>' % esc(version or "iastm"),
            "<main>", "\n".join(toc), claims_section(claims_json["claims"], claims_json.get("not_pooled", []),
                                                     sources, rows_by_line, question_of,
                                                     claims_json.get("trials", []))]
    page += sections
    page.append(reviews_section(ev_json.get("published_reviews", [])))
    page.append("\n".join(methods))
    page.append("</main><footer>Made by <code>make analyses</code> (analyses/site.py). "
                "No script, font or image is loaded from elsewhere: the page works offline.</footer>")
    page.append("</body></html>\n")
    text = "\n".join(page)
    os.makedirs(os.path.dirname(os.path.abspath(out_path)), exist_ok=True)
    tmp = out_path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, out_path)


if __name__ == "__main__":
    main()
