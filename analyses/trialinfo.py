"""The trials of data/trials.csv as readers see them: author-year labels, source links,
one entry per study. Shared by the evidence page (analyses/site.py) and the paper
(paper/build.py), so that both name and link a trial the same way."""
import csv
import re

COMPARATOR_WORDS = {
    "manual_mfr": "hands-on myofascial release",
    "spinal_manipulation": "spinal manipulation",
    "sham": "sham",
    "control": "control (same care without IASTM)",
    "other_active": "other active treatment",
}
OUTCOME_WORDS = {"pain": "pain", "function": "function", "rom": "range of motion"}


def read_trials(path):
    """Rows of trials.csv as dicts, each with '_line': the file line where the record
    starts (the line number iastm prints for a row)."""
    rows = []
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        start = reader.line_num + 1
        for row in reader:
            row["_line"] = start
            start = reader.line_num + 1
            rows.append(row)
    return rows


def by_line(rows):
    return {r["_line"]: r for r in rows}


def studies(rows):
    """study_id -> its rows, in order of first appearance."""
    out = {}
    for r in rows:
        out.setdefault(r["study_id"], []).append(r)
    return out


def _authors(author):
    """Surnames of the author field: 'Braun M, Schwickert M' -> ['Braun', 'Schwickert'];
    parenthesized remarks are dropped; 'X et al.' counts as several."""
    text = re.sub(r"\([^)]*\)", "", author).strip()
    several = "et al" in text
    text = text.replace("et al.", "").replace("et al", "")
    names = [n.strip() for n in text.split(",") if n.strip()]
    surnames = [n.split()[0] for n in names if n.split()]
    if several and len(surnames) < 3:
        surnames += ["", ""]
    return surnames


def year(row):
    y = row.get("year", "").strip()
    return y if y and y != "NA" else "n.d."


def label(row):
    """Author-year label: 'Braun et al. 2011', 'Paranjape and Lad 2020', 'Noreen n.d.'."""
    author = row.get("author", "").strip()
    if not author or author.startswith(("not shown", "[")):
        return row["study_id"]  # no author printed: the id says more than "not n.d."
    s = _authors(author) or [row["study_id"]]
    if len(s) >= 3:
        who = s[0] + " et al."
    elif len(s) == 2:
        who = s[0] + " and " + s[1]
    else:
        who = s[0]
    return "%s %s" % (who, year(row))


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
        OUTCOME_WORDS.get(outcome, outcome).capitalize(),
        {"any": "all regions", "other": "other regions"}.get(region, region.replace("_", " ")),
        "any comparator" if comparator == "any" else "vs " + COMPARATOR_WORDS.get(comparator, comparator))


def fmt_num(x, nd=2, minus="\u2212"):
    """A number rounded for reading, with a true minus sign; None -> 'NA'."""
    if x is None:
        return "NA"
    s = "%.*f" % (nd, x)
    if s.startswith("-"):
        s = s[1:] if float(s) == 0 else minus + s[1:]
    return s
