#!/usr/bin/env python3
"""Load an HTML page in headless Chromium (DevTools protocol over a pipe, standard library
only) at given viewport widths, measure it in the browser, assert what a reader needs, and
save full-page screenshots plus screen-sized tiles.

Checks at every width:
  - the page does not scroll sideways, and no element sticks out of the viewport unless a
    scroll container (overflow-x auto/scroll) that itself fits holds it;
  - every <img> and <svg> renders with a non-zero size (images loaded);
  - every <figure> of inline SVG shows one drawing, the .plot-narrow one (when it has one)
    up to --narrow-px, else the .plot-wide one; the drawing shown fits the viewport without
    scrolling sideways (up to --narrow-px a figure with no narrow drawing may scroll inside
    its box), and has one <title> that labels it; no id is used twice;
  - text in visible inline SVG figures renders at --min-svg-px or more, and no <img> is drawn at
    less than --min-img-scale of its own size (figures not shrunk to illegibility);
  - no table row is taller than --max-row-px;
  - with --self-contained: no script, and nothing (style, font, image, frame) loaded;
  - with --claims FILE (claims.json): one .claim element per claim, each with a verdict;
  - with --trials FILE (trials.csv): every trial's source link or DOI is a link on the page.
Usage: check.py --page FILE --widths 1280,390 --shots PREFIX [--claims F] [--trials F]
"""
import argparse
import base64
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "analyses"))
import trialinfo as ti  # noqa: E402

MEASURE = r"""
(() => {
  const vw = document.documentElement.clientWidth;
  const out = {vw: vw, scrollWidth: document.documentElement.scrollWidth,
               height: document.documentElement.scrollHeight,
               wide: [], empty: [], imgScale: [], svgText: [], tallRows: [], claims: [], links: []};
  const scrolls = el => { const o = getComputedStyle(el).overflowX;
                          return o === 'auto' || o === 'scroll' || o === 'hidden'; };
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                     (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '');
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right <= vw + 0.5 && r.left >= -0.5) continue;
    let p = el.parentElement, held = false;
    while (p && p !== document.body) {
      if (scrolls(p)) { const pr = p.getBoundingClientRect();
                        if (pr.right <= vw + 0.5 && pr.left >= -0.5) { held = true; break; } }
      p = p.parentElement;
    }
    if (!held) out.wide.push(name(el) + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
  }
  const shown = el => el.getClientRects().length > 0;  // not display:none, nor inside one
  for (const el of document.querySelectorAll('img, svg')) {
    if (el.parentElement && el.parentElement.closest('svg')) continue;
    if (!shown(el)) continue;  // a figure's other drawing: checked under figures below
    const r = el.getBoundingClientRect();
    const bad = r.width < 1 || r.height < 1 ||
                (el.tagName.toLowerCase() === 'img' && !(el.complete && el.naturalWidth > 0));
    if (bad) out.empty.push(name(el) + ' ' + r.width + 'x' + r.height);
    else if (el.tagName.toLowerCase() === 'img')
      out.imgScale.push([(el.getAttribute('src') || '').slice(0, 40), r.width / el.naturalWidth]);
  }
  for (const svg of document.querySelectorAll('svg')) {
    if (svg.parentElement && svg.parentElement.closest('svg')) continue;
    if (!shown(svg)) continue;
    let min = Infinity;
    for (const t of svg.querySelectorAll('text')) {
      if (!t.textContent.trim()) continue;
      const h = parseFloat(getComputedStyle(t).fontSize);
      const m = t.getScreenCTM();
      if (m && h) min = Math.min(min, h * Math.hypot(m.a, m.b));
    }
    if (min !== Infinity) out.svgText.push([svg.getAttribute('aria-labelledby') || name(svg), min]);
  }
  for (const tr of document.querySelectorAll('tr')) {
    const t = tr.closest('table');
    out.tallRows.push([tr.getBoundingClientRect().height,
                       (t && t.className ? t.className : 'table') + ' row ' + tr.rowIndex]);
  }
  // figures of inline SVG: which drawing is shown (class plot-wide, plot-narrow), its
  // rendered width, whether its scroll container scrolls, its title
  out.figures = [];
  for (const fig of document.querySelectorAll('figure')) {
    const svgs = [...fig.querySelectorAll('svg')].filter(s => !(s.parentElement && s.parentElement.closest('svg')));
    if (!svgs.length) continue;
    const f = {name: (svgs[0].getAttribute('aria-labelledby') || name(svgs[0])), drawings: svgs.length,
               shown: [], kinds: []};
    for (const s of svgs) {
      const kind = s.classList.contains('plot-narrow') ? 'narrow' : s.classList.contains('plot-wide') ? 'wide' : 'plot';
      f.kinds.push(kind);
      if (!shown(s)) continue;
      const r = s.getBoundingClientRect();
      let sc = s.parentElement, scrolled = false;
      while (sc && sc !== fig.parentElement) {
        if (sc.scrollWidth > sc.clientWidth + 0.5) scrolled = true;
        sc = sc.parentElement;
      }
      const titles = [...s.children].filter(c => c.tagName.toLowerCase() === 'title');
      const lab = s.getAttribute('aria-labelledby');
      f.shown.push({kind: kind, left: r.left, right: r.right, width: r.width, scrolled: scrolled,
                    titles: titles.length,
                    labelled: !!(lab && titles.length && titles[0].id === lab && document.getElementById(lab) === titles[0])});
    }
    out.figures.push(f);
  }
  const seen = {}; out.dupIds = [];
  for (const el of document.querySelectorAll('[id]')) {
    if (seen[el.id] && out.dupIds.length < 8) out.dupIds.push(el.id);
    seen[el.id] = true;
  }
  out.tallestTable = 0;
  for (const t of document.querySelectorAll('table'))
    out.tallestTable = Math.max(out.tallestTable, t.getBoundingClientRect().height);
  for (const c of document.querySelectorAll('.claim')) {
    const v = c.querySelector('.verdict');
    out.claims.push([c.id, v ? v.textContent.trim() : '']);
  }
  for (const a of document.querySelectorAll('a[href]')) out.links.push(a.getAttribute('href'));
  return JSON.stringify(out);
})()
"""


class Browser:
    """Chromium driven through --remote-debugging-pipe (fd 3: commands, fd 4: replies)."""

    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="iastm-chromium-")
        to_r, self.to_w = os.pipe()
        self.from_r, from_w = os.pipe()
        args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--mute-audio", "--disable-extensions",
                "--user-data-dir=" + self.profile, "--remote-debugging-pipe", "about:blank"]

        def fds():
            os.dup2(to_r, 3)
            os.dup2(from_w, 4)
        self.proc = subprocess.Popen(args, preexec_fn=fds, pass_fds=(3, 4), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_r)
        os.close(from_w)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def _read(self, timeout):
        import select
        end = time.time() + timeout
        while b"\0" not in self.buf:
            left = end - time.time()
            if left <= 0 or not select.select([self.from_r], [], [], left)[0]:
                raise TimeoutError("chromium did not answer")
            chunk = os.read(self.from_r, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, session=None, timeout=60, **params):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self.to_w, json.dumps(msg).encode() + b"\0")
        while True:
            r = self._read(timeout)
            if r.get("id") == self.next_id:
                if "error" in r:
                    raise RuntimeError("%s: %s" % (method, r["error"]))
                return r.get("result", {})
            self.events.append(r)

    def wait_event(self, method, session, timeout=60):
        for i, e in enumerate(self.events):
            if e.get("method") == method and e.get("sessionId") == session:
                del self.events[i]
                return e
        while True:
            e = self._read(timeout)
            if e.get("method") == method and e.get("sessionId") == session:
                return e
            self.events.append(e)

    def close(self):
        try:
            self.call("Browser.close", timeout=10)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        subprocess.run(["rm", "-rf", self.profile])


def load(b, url, width, height):
    target = b.call("Target.createTarget", url="about:blank")["targetId"]
    s = b.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
    b.call("Page.enable", s)
    b.call("Emulation.setDeviceMetricsOverride", s, width=width, height=height,
           deviceScaleFactor=1, mobile=width < 600)
    b.call("Page.navigate", s, url=url)
    b.wait_event("Page.loadEventFired", s)
    return target, s


def shoot(b, s, path, width, height, tile):
    """Full-page PNG at PATH.png and tiles of TILE pixels at PATH-01.png, ...: a tall page
    shrunk into one picture cannot be read."""
    for old in glob.glob(glob.escape(path) + "-[0-9][0-9].png"):
        os.remove(old)  # tiles of an earlier, longer page
    shots = []
    data = b.call("Page.captureScreenshot", s, format="png", captureBeyondViewport=True,
                  clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1})["data"]
    with open(path + ".png", "wb") as f:
        f.write(base64.b64decode(data))
    shots.append(path + ".png")
    for i in range(0, min(height, tile * 40), tile):
        data = b.call("Page.captureScreenshot", s, format="png", captureBeyondViewport=True,
                      clip={"x": 0, "y": i, "width": width, "height": min(tile, height - i),
                            "scale": 1})["data"]
        p = "%s-%02d.png" % (path, i // tile + 1)
        with open(p, "wb") as f:
            f.write(base64.b64decode(data))
        shots.append(p)
    return shots


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--page", required=True)
    ap.add_argument("--widths", default="1280,390")
    ap.add_argument("--shots", required=True, help="screenshot path prefix")
    ap.add_argument("--chromium", default="chromium")
    ap.add_argument("--self-contained", action="store_true",
                    help="fail on scripts and on anything loaded from elsewhere")
    ap.add_argument("--claims")
    ap.add_argument("--trials")
    ap.add_argument("--min-svg-px", type=float, default=8.0)
    ap.add_argument("--min-img-scale", type=float, default=0.85,
                    help="smallest rendered/natural width of an <img> (figure text stays legible)")
    ap.add_argument("--max-row-px", type=float, default=200.0)
    ap.add_argument("--narrow-px", type=int, default=600,
                    help="up to this viewport width a figure drawn twice shows its .plot-narrow drawing")
    ap.add_argument("--tile", type=int, default=1400)
    a = ap.parse_args()
    url = "file://" + os.path.abspath(a.page)
    os.makedirs(os.path.dirname(os.path.abspath(a.shots)) or ".", exist_ok=True)
    failures = []
    checks = 0

    def check(ok, what):
        nonlocal checks
        checks += 1
        if not ok:
            failures.append(what)

    if a.self_contained:
        with open(a.page, encoding="utf-8") as f:
            page = f.read()
        for bad in (r"<script", r"<link", r"<iframe", r"<object", r"<embed", r"@import", r"@font-face",
                    r"<[a-zA-Z]+\s[^>]*\bsrc\s*=", r"url\(\s*['\"]?(https?:)?//"):
            check(not re.search(bad, page), "page is not self-contained: it matches %r" % bad)
    b = Browser(a.chromium)
    try:
        for w in [int(x) for x in a.widths.split(",")]:
            h = 900 if w >= 600 else 844
            target, s = load(b, url, w, h)
            m = json.loads(b.call("Runtime.evaluate", s, expression=MEASURE, returnByValue=True)["result"]["value"])
            tag = "width %d" % w
            check(m["vw"] == w, "%s: viewport is %d px" % (tag, m["vw"]))
            check(m["scrollWidth"] <= m["vw"], "%s: page scrolls sideways (%d px wide)" % (tag, m["scrollWidth"]))
            check(not m["wide"], "%s: %d element(s) wider than the viewport: %s" % (tag, len(m["wide"]), "; ".join(m["wide"][:8])))
            check(not m["empty"], "%s: image(s) or SVG(s) of zero size: %s" % (tag, "; ".join(m["empty"][:8])))
            small = [(n, round(px, 1)) for n, px in m["svgText"] if px < a.min_svg_px]
            check(not small, "%s: figure text below %.0f px: %s" % (tag, a.min_svg_px, small[:6]))
            shrunk = [(n, round(x, 2)) for n, x in m["imgScale"] if x < a.min_img_scale]
            check(not shrunk, "%s: image(s) shrunk below %.2f of their size: %s" % (tag, a.min_img_scale, shrunk[:6]))
            check(not m["dupIds"], "%s: id(s) used more than once: %s" % (tag, m["dupIds"]))
            for f in m["figures"]:
                fn = "%s: figure %s" % (tag, f["name"])
                check(len(f["shown"]) == 1, "%s: %d of its %d drawings shown, expected 1" % (fn, len(f["shown"]), f["drawings"]))
                # a figure drawn twice shows the narrow drawing up to --narrow-px, the wide one above
                want = ("narrow" if w <= a.narrow_px else "wide") if "narrow" in f["kinds"] else None
                for d in f["shown"]:
                    check(want is None or d["kind"] == want, "%s: the %s drawing is shown, expected the %s one" % (fn, d["kind"], want))
                    # on a phone, a figure with only its wide drawing may scroll in its box
                    fits = d["left"] >= -0.5 and d["right"] <= m["vw"] + 0.5 and not d["scrolled"]
                    check(fits or (w <= a.narrow_px and "narrow" not in f["kinds"]),
                          "%s: scrolls sideways (drawn %d..%d px, viewport %d px)" % (fn, round(d["left"]), round(d["right"]), m["vw"]))
                    check(d["titles"] == 1 and d["labelled"], "%s: %d <title>(s), labelled by it: %s" % (fn, d["titles"], d["labelled"]))
            tall = ["%s: %d px" % (w, round(x)) for x, w in m["tallRows"] if x > a.max_row_px]
            check(not tall, "%s: %d table row(s) taller than %.0f px: %s" % (tag, len(tall), a.max_row_px, tall[:8]))
            if a.claims:
                with open(a.claims, encoding="utf-8") as f:
                    ids = ["claim-" + c["claim_id"] for c in json.load(f)["claims"]]
                got = dict(m["claims"])
                check(sorted(got) == sorted(ids), "%s: claims on the page %s, expected %s" % (tag, sorted(got), sorted(ids)))
                empty = [c for c in ids if not got.get(c)]
                check(not empty, "%s: claim(s) without a verdict: %s" % (tag, empty))
                known = ("Supported:", "Not supported:", "Contradicted:", "Insufficient evidence:")
                odd = [c for c in ids if got.get(c) and not got[c].startswith(known)]
                check(not odd, "%s: verdict not in words: %s" % (tag, [(c, got[c][:40]) for c in odd]))
            if a.trials:
                hrefs = set(m["links"])
                missing = sorted({r["study_id"] for r in ti.read_trials(a.trials)
                                  if not any(u in hrefs for u, _ in ti.links(r))})
                check(not missing, "%s: trial(s) without a source link on the page: %s" % (tag, missing))
            b.call("Emulation.setDeviceMetricsOverride", s, width=w, height=h, deviceScaleFactor=1, mobile=w < 600)
            shots = shoot(b, s, "%s-%d" % (a.shots, w), w, int(m["height"]), a.tile)
            svg_px = [px for _, px in m["svgText"]]
            print("site: %s: page %d px tall, smallest SVG text %s, tallest table %d px, tallest row %d px; "
                  "screenshots %s .. %s" % (tag, m["height"], "%.1f px" % min(svg_px) if svg_px else "n/a (no inline SVG)",
                                            round(m["tallestTable"]), round(max([x for x, _ in m["tallRows"]] or [0])),
                                            shots[0], shots[-1]))
            b.call("Target.closeTarget", targetId=target)
    finally:
        b.close()
    for f in failures:
        print("FAIL: " + f)
    print("site: %d passed, %d failed" % (checks - len(failures), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
