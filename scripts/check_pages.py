#!/usr/bin/env python3
"""Renders spheres's index.html pages in headless Chromium and checks them.

    python3 scripts/check_pages.py --chromium /usr/bin/chromium --screenshots DIR PAGE.html...

For every page, at a phone's width (390 px) and a laptop's (1280 px), it fails on:
  - an image that does not load or decode (every lazy image is made eager and awaited, and
    every <details> opened),
  - a link to a file that does not exist, to an anchor that is not on the page, or to the network
    (the pages promise to be self-contained),
  - a console error, an uncaught exception, or a failed load Chromium logs,
  - a page wider than the viewport (horizontal scrolling), naming the elements that stick out;
and keeps a full-page screenshot of each (as a person first sees it: <details> closed) in DIR,
named after the page's folder and the width. It prints each page's render time.

Chromium is driven through the DevTools protocol over a pipe (--remote-debugging-pipe), so
only the Python standard library is needed. Used by scripts/check_pages.sh.
"""

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

WIDTHS = (390, 1280)
MAX_SHOT_HEIGHT = 16000  # pixels; longer pages are cut in the screenshot (never in the checks)
TIMEOUT = 60.0  # seconds for any one protocol answer


class Chromium:
    """A headless Chromium and its DevTools pipe (fd 3 in, fd 4 out, messages end in NUL)."""

    def __init__(self, binary):
        self.profile = tempfile.mkdtemp(prefix="spheres-pages-")
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def wire():
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        args = [
            binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-default-apps", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
            f"--user-data-dir={self.profile}", "--remote-debugging-pipe", "about:blank",
        ]
        self.process = subprocess.Popen(
            args, preexec_fn=wire, pass_fds=(3, 4), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def send(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        return self.wait(lambda m: m.get("id") == self.next_id, f"{method}")

    def read(self, deadline):
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self.from_chrome, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed its pipe")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def wait(self, done, what, timeout=TIMEOUT):
        """Reads messages until `done(message)`; keeps events for later."""
        for k, m in enumerate(self.events):
            if done(m):
                return self.events.pop(k)
        deadline = time.monotonic() + timeout
        while True:
            m = self.read(deadline)
            if done(m):
                if "error" in m:
                    raise RuntimeError(f"{what}: {m['error']}")
                return m
            if "method" in m:
                self.events.append(m)

    def drain(self, method):
        taken = [m for m in self.events if m.get("method") == method]
        self.events = [m for m in self.events if m.get("method") != method]
        return taken

    def open_tab(self, domains):
        """A blank tab, attached, with the DevTools `domains` enabled."""
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)
        target_id = target["result"]["targetId"]
        attached = self.send("Target.attachToTarget", {"targetId": target_id, "flatten": True}, session=False)
        self.session = attached["result"]["sessionId"]
        for domain in domains:
            self.send(f"{domain}.enable")

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


PREPARE = """(async () => {
  const images = [...document.images];
  images.forEach(i => { i.loading = 'eager'; });
  await Promise.all(images.map(i => i.complete ? null :
      new Promise(r => { i.addEventListener('load', r); i.addEventListener('error', r); })));
  return images.length;
})()"""

INSPECT = """(async (viewport) => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const images = [...document.images];
  images.forEach(i => { i.loading = 'eager'; });
  await Promise.all(images.map(i => i.complete ? null :
      new Promise(r => { i.addEventListener('load', r); i.addEventListener('error', r); })));
  const broken = images.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.getAttribute('src'));
  const links = [...document.querySelectorAll('a[href]')].map(a => [a.getAttribute('href'), a.href]);
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
  // Against the width set, not window.innerWidth: a phone zooms out to fit what overflows.
  const width = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
  const wide = [];
  if (width > viewport) {
    for (const e of document.body.querySelectorAll('*')) {
      const r = e.getBoundingClientRect();
      if (r.right > viewport + 1 && getComputedStyle(e).position !== 'fixed') {
        let inScroller = false;
        for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
          if (getComputedStyle(p).overflowX !== 'visible') { inScroller = true; break; }
        }
        if (!inScroller) wide.push(e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') +
            ' (' + Math.round(r.right) + ' px): ' + (e.textContent || '').trim().slice(0, 60));
      }
      if (wide.length >= 5) break;
    }
  }
  return JSON.stringify({broken, links, ids, width, viewport, wide, images: images.length});
})(VIEWPORT)"""


def evaluate(chrome, expression):
    answer = chrome.send("Runtime.evaluate", {
        "expression": expression, "awaitPromise": True, "returnByValue": True})
    result = answer["result"]
    if "exceptionDetails" in result:
        raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
    return result["result"].get("value")


def check_links(page_path, links, ids):
    problems = []
    for raw, resolved in links:
        parsed = urllib.parse.urlparse(resolved)
        if raw.startswith("#"):
            if raw[1:] and raw[1:] not in ids:
                problems.append(f"link to a missing anchor {raw}")
        elif parsed.scheme == "file":
            target = urllib.request.url2pathname(parsed.path)
            if not os.path.exists(target):
                problems.append(f"broken link {raw} (no {target})")
        else:
            problems.append(f"link to the network {raw} (pages must be self-contained)")
    return problems


def console_errors(chrome):
    problems = []
    for m in chrome.drain("Runtime.consoleAPICalled"):
        p = m["params"]
        if p.get("type") in ("error", "assert"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))
            problems.append(f"console {p['type']}: {text}")
    for m in chrome.drain("Runtime.exceptionThrown"):
        d = m["params"]["exceptionDetails"]
        problems.append(f"uncaught exception: {d.get('text')} {d.get('exception', {}).get('description', '')}")
    for m in chrome.drain("Log.entryAdded"):
        e = m["params"]["entry"]
        if e.get("level") == "error":
            problems.append(f"console error ({e.get('source')}): {e.get('text')} {e.get('url', '')}")
    return problems


def shot_name(page, root):
    folder = os.path.relpath(os.path.dirname(os.path.abspath(page)), root)
    return "page" if folder == "." else folder.replace(os.sep, "--")


def check(chrome, page, width, shots, root, shot_height=MAX_SHOT_HEIGHT):
    url = "file://" + urllib.request.pathname2url(os.path.abspath(page))
    chrome.send("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})
    chrome.drain("Page.loadEventFired")
    console_errors(chrome)
    started = time.monotonic()
    chrome.send("Page.navigate", {"url": url})
    chrome.wait(lambda m: m.get("method") == "Page.loadEventFired", "load")
    count = evaluate(chrome, PREPARE)
    rendered = time.monotonic() - started
    # The screenshot: the whole page as a person first sees it.
    metrics = chrome.send("Page.getLayoutMetrics")["result"]
    height = int(min(metrics["cssContentSize"]["height"], shot_height))
    chrome.send("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": max(height, 100), "deviceScaleFactor": 1, "mobile": width < 600})
    shot = chrome.send("Page.captureScreenshot", {"format": "png"})["result"]["data"]
    name = f"{shot_name(page, root)}-{width}.png"
    with open(os.path.join(shots, name), "wb") as f:
        f.write(base64.b64decode(shot))
    chrome.send("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})
    found = json.loads(evaluate(chrome, INSPECT.replace("VIEWPORT", str(width))))
    problems = [f"broken image {src}" for src in found["broken"]]
    problems += check_links(page, found["links"], found["ids"])
    if found["width"] > found["viewport"]:
        problems.append(f"page is {found['width']} px wide in a {found['viewport']} px viewport: "
                        + ("; ".join(found["wide"]) or "(no single element found)"))
    problems += console_errors(chrome)
    return rendered, count, name, height, problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chromium", default="chromium")
    parser.add_argument("--screenshots", required=True)
    parser.add_argument("--root", help="folder the screenshots' names are relative to")
    parser.add_argument("--widths", default=",".join(map(str, WIDTHS)),
                        help="viewport widths in pixels, comma-separated (default %(default)s)")
    parser.add_argument("--shot-height", type=int, default=MAX_SHOT_HEIGHT,
                        help="cut screenshots at this many pixels (default %(default)s)")
    parser.add_argument("pages", nargs="+")
    a = parser.parse_args()
    os.makedirs(a.screenshots, exist_ok=True)
    root = a.root or os.path.commonpath([os.path.dirname(os.path.abspath(p)) for p in a.pages])
    chrome = Chromium(a.chromium)
    failures = 0
    widths = []
    try:
        chrome.open_tab(("Page", "Runtime", "Log"))
        print(f"{'page':<58} {'width':>5} {'images':>6} {'render':>8} {'height':>7}  result")
        widths = [int(w) for w in a.widths.split(",")]
        for page in a.pages:
            for width in widths:
                rendered, images, shot, height, problems = check(chrome, page, width, a.screenshots, root, a.shot_height)
                label = os.path.relpath(page, root)
                status = "ok" if not problems else f"FAILED ({len(problems)})"
                print(f"{label:<58} {width:>5} {images:>6} {rendered * 1000:>6.0f} ms {height:>6}px  {status}")
                for p in problems:
                    print(f"    - {p}")
                failures += bool(problems)
    finally:
        chrome.close()
    print(f"screenshots: {a.screenshots}")
    if failures:
        print(f"check_pages: {failures} page renderings failed", file=sys.stderr)
        sys.exit(1)
    print(f"check_pages: {len(a.pages)} pages at {len(widths)} widths, all ok")


if __name__ == "__main__":
    main()
