"""The trials of data/trials.csv as readers see them: author-year labels, source links,
one entry per study. Shared by the evidence page (analyses/site.py) and the paper
(paper/build.py), so that both name and link a trial the same way."""
import csv
import json
import re
import subprocess

COMPARATOR_WORDS = {
    "manual_mfr": "hands-on myofascial release",
    "spinal_manipulation": "spinal manipulation",
    "sham": "sham",
    "control": "control (same care without IASTM)",
    "other_active": "other active treatment",
}
OUTCOME_WORDS = {"pain": "pain", "function": "function", "rom": "range of motion"}


def comparator_words(code):
    """A comparator class in words ('hands-on myofascial release'); the code when unknown."""
    return COMPARATOR_WORDS.get(code, code)


def outcome_words(code):
    """An outcome in words ('range of motion'); the code when unknown."""
    return OUTCOME_WORDS.get(code, code)


def read_trials(path, iastm=None):
    """Rows of trials.csv as dicts, each with '_line': the file line where the record
    starts (the line number iastm prints for a row), and, given the iastm program,
    '_label': the row's label from `iastm es --format json` (the study id without it)."""
    rows = []
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        reader.fieldnames  # read the header, so that line_num counts it
        start = reader.line_num + 1
        for row in reader:
            row["_line"] = start
            start = reader.line_num + 1
            rows.append(row)
    labels = {}
    if iastm:
        p = subprocess.run([iastm, "es", "--format", "json", path], capture_output=True,
                           text=True)
        if p.returncode != 0:
            raise SystemExit("iastm es failed: " + p.stderr.strip())
        labels = {e["line"]: e.get("citation", e["study"])
                  for e in json.loads(p.stdout)["effect_sizes"]}
    for row in rows:
        row["_label"] = labels.get(row["_line"], row["study_id"])
    return rows


def by_line(rows):
    return {r["_line"]: r for r in rows}


def studies(rows):
    """study_id -> its rows, in order of first appearance."""
    out = {}
    for r in rows:
        out.setdefault(r["study_id"], []).append(r)
    return out


def year(row):
    """The year as a reference list prints it ('n.d.' when not known)."""
    y = row.get("year", "").strip()
    return y if y and y != "NA" else "n.d."


def label(row):
    """The row's author-year label ('Braun et al. 2011', 'Paranjape and Lad 2020', with
    letters for equal labels of different trials) as the plots print it: taken from
    iastm's own output by read_trials(..., iastm=...), never rebuilt here."""
    return row["_label"]


def doi_url(doi):
    doi = doi.strip()
    return "https://doi.org/" + doi if doi else ""


def links(row):
    """(url, text) pairs for a row: its DOI first, then the page the numbers were read from.
    Only http(s) addresses count as links."""
    out = []
    doi = row.get("doi", "").strip()
    if doi:
        out.append((doi_url(doi), "doi:" + doi))
    src = row.get("source_url", "").strip()
    if re.match(r"https?://", src):
        host = re.sub(r"^https?://(www\.)?", "", src).split("/")[0]
        if all(u != src for u, _ in out):
            out.append((src, host))
    return out


def question_words(outcome, region, comparator):
    """'Pain, spine, vs hands-on myofascial release': a summary-of-findings question."""
    return "%s, %s, %s" % (
        outcome_words(outcome).capitalize(),
        {"any": "all regions", "other": "other regions"}.get(region, region.replace("_", " ")),
        "any comparator" if comparator == "any" else "vs " + comparator_words(comparator))


def fmt_num(x, nd=2, minus="\u2212"):
    """A number rounded for reading, with a true minus sign; None -> 'NA'."""
    if x is None:
        return "NA"
    s = "%.*f" % (nd, x)
    if s.startswith("-"):
        s = s[1:] if float(s) == 0 else minus + s[1:]
    return s
