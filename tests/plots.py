#!/usr/bin/env python3
"""Rendering tests of the plots: every plot type in PNG, SVG and PDF through gnuplot.

- SVG: every text element names a sans-serif family, bold by font-weight (never a family
  such as ":Bold", which browsers draw as a serif).
- PDF: rasterised with pdftoppm; the height of the ink of every all-digit word (found with
  pdftotext -bbox) gives its font size (DejaVu Sans digit bounds), which must be at least
  6 pt at print size, and the words' sizes must match what the raster shows.
- One rendering is compared with tests/plots/forest_35in.pgm (downscaled grayscale, so
  that hinting and antialiasing differences do not count): at most 2% of the pixels may
  differ by more than a quarter of the gray range.
Usage: tests/plots.py --iastm build/iastm [--out build/plots] [--update]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
REF = os.path.join(HERE, "plots", "forest_35in.pgm")
TRIALS = os.path.join(ROOT, "data", "trials.csv")
EX = os.path.join(ROOT, "data", "examples")
# pain_overall as analyses/pain_overall.analysis draws it
PAIN = ["--primary", "--where", "outcome=pain", "--by", "region", "--test", "adhoc", TRIALS]
DPI = 600
# DejaVu Sans digit outlines (glyf table: yMin, yMax in em): the ink height of a word of
# digits is (max top - min bottom) times the font size.
DIGIT = {"0": (-0.0142, 0.7422), "1": (0.0, 0.729), "2": (0.0, 0.7422),
         "3": (-0.0142, 0.7422), "4": (0.0, 0.729), "5": (-0.0142, 0.729),
         "6": (-0.0142, 0.7422), "7": (0.0, 0.729), "8": (-0.0142, 0.7422),
         "9": (-0.0142, 0.7422), ".": (0.0, 0.124)}
MIN_PT = 6.0

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL " + msg)


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        fail("%s: exit %d: %s" % (" ".join(cmd), p.returncode, p.stderr.strip()))
    return p


def read_pgm(path):
    """A binary PGM (P5) as (width, height, bytes)."""
    with open(path, "rb") as f:
        data = f.read()
    fields, pos = [], 0
    while len(fields) < 4:
        m = re.compile(rb"\s*(#[^\n]*\n\s*)*(\S+)").match(data, pos)
        fields.append(m.group(2))
        pos = m.end()
    assert fields[0] == b"P5" and fields[3] == b"255", path
    w, h = int(fields[1]), int(fields[2])
    return w, h, data[pos + 1:pos + 1 + w * h]


def raster(pdf, dpi, gray_prefix):
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-singlefile", pdf, gray_prefix],
                   check=True)
    return read_pgm(gray_prefix + ".pgm")


def words(pdf):
    """Words with their boxes in points: (text, x0, y0, x1, y1)."""
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True,
                         check=True).stdout
    pat = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                     r'yMax="([\d.]+)">([^<]*)</word>')
    return [(m.group(5), float(m.group(1)), float(m.group(2)), float(m.group(3)),
             float(m.group(4))) for m in pat.finditer(out)]


def ink_rows(img, x0, y0, x1, y1):
    """First and last pixel row with dark ink in the box, ignoring columns dark from top
    to bottom (a vertical line through the box)."""
    w, h, px = img
    x0, y0 = max(0, int(x0)), max(0, int(y0))
    x1, y1 = min(w, int(x1) + 1), min(h, int(y1) + 1)
    cols = [x for x in range(x0, x1)
            if sum(px[y * w + x] < 128 for y in range(y0, y1)) < 0.9 * (y1 - y0)]
    rows = [y for y in range(y0, y1) if any(px[y * w + x] < 128 for x in cols)]
    return (rows[0], rows[-1]) if rows else None


def text_sizes(pdf, tmp):
    """Font size (pt) of every all-digit word, from its ink in the raster."""
    img = raster(pdf, DPI, os.path.join(tmp, "r"))
    k = DPI / 72.0
    sizes = []
    for text, x0, y0, x1, y1 in words(pdf):
        if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", text):
            continue
        r = ink_rows(img, x0 * k, y0 * k, x1 * k, y1 * k)
        if not r:
            continue
        extent = max(DIGIT[c][1] for c in text) - min(DIGIT[c][0] for c in text)
        sizes.append((text, (r[1] - r[0] + 1) / k / extent))
    return sizes


def check_pdf_text(name, pdf, tmp, want_pt=None):
    sizes = text_sizes(pdf, tmp)
    if len(sizes) < 3:
        fail("%s: fewer than 3 numbers found in the PDF" % name)
        return
    small = min(s for _, s in sizes)
    print("%s: %d numbers, smallest text %.2f pt, largest %.2f pt" %
          (name, len(sizes), small, max(s for _, s in sizes)))
    # one pixel of the raster is 0.12 pt at 600 dpi: the ink is measured to that
    if small < MIN_PT - 72.0 / DPI:
        fail("%s: text of %.2f pt (below %g pt)" % (name, small, MIN_PT))
    if want_pt and abs(max(s for _, s in sizes) - want_pt) > 0.05 * want_pt:
        fail("%s: largest number %.2f pt, asked for %g pt" %
             (name, max(s for _, s in sizes), want_pt))


def check_svg(name, svg):
    with open(svg, encoding="utf-8") as f:
        text = f.read()
    groups = re.findall(r"<g [^>]*font-family=\"([^\"]*)\"[^>]*>", text)
    tags = re.findall(r"<g [^>]*font-family=\"[^\"]*\"[^>]*>", text)
    if not groups:
        fail("%s: no text in the SVG" % name)
    for fam in set(groups):
        if fam not in ("sans-serif",):
            fail("%s: SVG text in font family '%s'" % (name, fam))
    if ":Bold" in text or "Bold\"" in text:
        fail("%s: SVG names bold as a family" % name)
    return sum('font-weight="bold"' in t for t in tags)


def downscale(img, factor):
    w, h, px = img
    W, H = w // factor, h // factor
    out = bytearray(W * H)
    for Y in range(H):
        for X in range(W):
            s = 0
            for y in range(Y * factor, Y * factor + factor):
                row = y * w
                s += sum(px[row + X * factor:row + X * factor + factor])
            out[Y * W + X] = s // (factor * factor)
    return W, H, bytes(out)


def write_pgm(path, img):
    w, h, px = img
    with open(path, "wb") as f:
        f.write(b"P5\n%d %d\n255\n" % (w, h))
        f.write(px)


def compare_reference(pdf, tmp, out, update):
    img = downscale(raster(pdf, 96, os.path.join(tmp, "ref")), 2)
    if out:
        write_pgm(os.path.join(out, "forest_35in.pgm"), img)
    if update:
        write_pgm(REF, img)
        print("reference image rewritten: %s" % REF)
        return
    ref = read_pgm(REF)
    if ref[:2] != img[:2]:
        fail("reference image: size %dx%d, expected %dx%d" % (img[0], img[1], ref[0], ref[1]))
        return
    diff = sum(abs(a - b) > 64 for a, b in zip(img[2], ref[2])) / len(ref[2])
    print("reference image: %.2f%% of the pixels differ" % (100 * diff))
    if diff > 0.02:
        fail("reference image: %.2f%% of the pixels differ (at most 2%%)" % (100 * diff))


def gosh_plots(iastm):
    """The gosh command draws a plot (--plot FILE) when its help names FILE.png."""
    h = subprocess.run([iastm, "gosh", "--help"], capture_output=True, text=True).stdout
    return "FILE.png" in h


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iastm", default="build/iastm")
    ap.add_argument("--out", default=None, help="keep the renderings here")
    ap.add_argument("--update", action="store_true", help="rewrite the reference image")
    a = ap.parse_args()
    if not shutil.which("gnuplot"):
        print("plots: gnuplot not found: rendering tests skipped")
        return 0
    for tool in ("pdftoppm", "pdftotext"):
        if not shutil.which(tool):
            print("plots: %s missing (poppler-utils; scripts/deps.sh installs it)" % tool)
            return 1
    plots = {
        "forest": ["forest"] + PAIN,
        "forest_35in": ["forest", "--width", "3.5in"] + PAIN,
        "forest_7in": ["forest", "--width", "7in"] + PAIN,
        "forest_89mm": ["forest", "--width", "89mm", "--font-size", "9"] + PAIN,
        "funnel": ["funnel", "--primary", "--where", "outcome=pain", TRIALS],
        "funnel_35in": ["funnel", "--width", "3.5in", "--primary", "--where", "outcome=pain",
                        TRIALS],
        "bubble": ["bubble", "--mods", "ablat", os.path.join(EX, "bcg.csv")],
        "bubble_35in": ["bubble", "--width", "3.5in", "--mods", "ablat",
                        os.path.join(EX, "bcg.csv")],
    }
    if gosh_plots(a.iastm):
        plots["gosh"] = ["gosh", os.path.join(EX, "bcg.csv")]
    with tempfile.TemporaryDirectory() as tmp:
        out = a.out or tmp
        os.makedirs(out, exist_ok=True)
        for name, args in plots.items():
            for ext in ("png", "svg", "pdf"):
                path = os.path.join(out, "%s.%s" % (name, ext))
                flag = "--plot" if args[0] == "gosh" else "-o"  # gosh's -o is its table
                if run([a.iastm] + args[:1] + [flag, path] + args[1:]).returncode != 0:
                    continue
                if os.path.getsize(path) == 0:
                    fail("%s: empty file" % path)
                elif ext == "svg":
                    nbold = check_svg(name, path)
                    if name.startswith("forest") and nbold == 0:
                        fail("%s: no bold text in the SVG forest plot" % name)
                elif ext == "pdf":
                    check_pdf_text(name, path, tmp)
                elif ext == "png":
                    with open(path, "rb") as f:
                        if f.read(8) != b"\x89PNG\r\n\x1a\n":
                            fail("%s: not a PNG" % path)
        # the sizes asked for: a 10 pt font prints at 10 pt (numbers of the table)
        path = os.path.join(out, "font10.pdf")
        if run([a.iastm, "forest", "--font-size", "10", "-o", path] + PAIN).returncode == 0:
            check_pdf_text("forest --font-size 10", path, tmp, want_pt=10)
        # --dpi: pixels = inches x dpi
        path = os.path.join(out, "dpi300.png")
        if run([a.iastm, "forest", "--width", "3.5in", "--dpi", "300", "-o", path] +
               PAIN).returncode == 0:
            with open(path, "rb") as f:
                head = f.read(24)
            width = int.from_bytes(head[16:20], "big")
            if width != 1050:
                fail("--width 3.5in --dpi 300: PNG %d pixels wide, expected 1050" % width)
        for w, pt in (("3.5in", 252), ("7in", 504)):
            p = os.path.join(out, "forest_%s.pdf" % ("35in" if w == "3.5in" else "7in"))
            if os.path.exists(p):
                info = subprocess.run(["pdfinfo", p], capture_output=True, text=True).stdout
                m = re.search(r"Page size:\s+([\d.]+) x", info)
                if not m or abs(float(m.group(1)) - pt) > 0.5:
                    fail("forest --width %s: PDF page %s pt wide, expected %d" %
                         (w, m.group(1) if m else "?", pt))
        p35 = os.path.join(out, "forest_35in.pdf")
        if os.path.exists(p35):
            compare_reference(p35, tmp, a.out, a.update)
    if failures:
        print("plots: %d failure(s)" % len(failures))
        return 1
    print("plots: every plot type rendered in PNG, SVG and PDF; text at >= %g pt" % MIN_PT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
