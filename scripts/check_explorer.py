#!/usr/bin/env python3
"""Drives `spheres explore` in headless Chromium as a student would, and checks it.

    python3 scripts/check_explorer.py --chromium /usr/bin/chromium --spheres target/release/spheres --out DIR

It starts `spheres explore --port 0` (the main job's pair, the aggregate public, plausible
worlds on) and, at 390 and 1280 px, moves every slider of the page by keyboard (five steps of
the arrow key) and by mouse (a click on its track), and toggles the uncertainty switch. From
each input to the first answer drawn it reads the page's own clock (window.spheresTimings). It
fails on:
  - a 95th percentile of those latencies of 1 s or more,
  - a console error or an uncaught exception,
  - a request to anything but the explorer's own address,
  - a page wider than its viewport,
  - a number on the page that differs from POST /api/compare with the page's settings, or a
    difference in that answer that differs from comparison.csv of the `spheres compare …`
    command the page prints (same seed).
It keeps a screenshot at each width in DIR and the latencies in DIR/latency.csv.

Uses check_pages.py's DevTools driver (the Python standard library only).
"""

import argparse
import base64
import csv
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_pages import Chromium, console_errors, evaluate  # noqa: E402

WIDTHS = (390, 1280)
P95_LIMIT_MS = 1000.0
ANSWER_TIMEOUT = 30.0  # seconds for a slider move's full answer


def start_explorer(spheres):
    process = subprocess.Popen([spheres, "explore", "--port", "0"], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    url = process.stdout.readline().strip()
    if not url.startswith("http://127.0.0.1:"):
        process.kill()
        raise RuntimeError(f"spheres explore printed {url!r}, not its address")
    return process, url


def answered(chrome):
    return evaluate(chrome, "(document.body && document.body.dataset.answered) || ''")


def wait_answer(chrome, before, runs, timeout=ANSWER_TIMEOUT):
    """Waits until the page has drawn a new answer of `runs` runs (after `before`)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = answered(chrome)
        if now != before and now.endswith(f":{runs}"):
            return now
        time.sleep(0.02)
    raise TimeoutError(f"no answer of {runs} runs within {timeout} s (last: {answered(chrome)!r})")


def key(chrome, code, times):
    for _ in range(times):
        for kind in ("rawKeyDown", "keyUp"):
            chrome.send("Input.dispatchKeyEvent", {"type": kind, "key": code, "code": code,
                                                   "windowsVirtualKeyCode": 39 if code == "ArrowRight" else 37})


def click(chrome, x, y):
    for kind in ("mousePressed", "mouseReleased"):
        chrome.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})


def slider_ids(chrome):
    return json.loads(evaluate(chrome, """(() => {
      document.querySelectorAll('details').forEach(d => { d.open = true; });
      return JSON.stringify([...document.querySelectorAll('input[type=range]')].map(e => e.id));
    })()"""))


def place(chrome, element_id, fraction):
    """Scrolls the element into view; the point `fraction` along it, in viewport pixels."""
    r = json.loads(evaluate(chrome, f"""(() => {{
      const e = document.getElementById({json.dumps(element_id)});
      e.scrollIntoView({{block: 'center'}}); e.focus();
      const r = e.getBoundingClientRect();
      return JSON.stringify([r.left, r.top, r.width, r.height]);
    }})()"""))
    return r[0] + 8 + (r[2] - 16) * fraction, r[1] + r[3] / 2


def move_every_slider(chrome):
    """Every slider by keyboard, then by mouse; the latencies (ms) of the first answers drawn."""
    moves = 0
    ids = slider_ids(chrome)
    for k, element_id in enumerate(ids):
        for how in ("keyboard", "mouse"):
            before = answered(chrome)
            x, y = place(chrome, element_id, 0.15 + 0.6 * ((k * 7 + len(how)) % 10) / 10)
            if how == "keyboard":
                key(chrome, "ArrowRight", 5)
            else:
                click(chrome, x, y)
            if evaluate(chrome, f"document.getElementById({json.dumps(element_id)}).value") is None:
                raise RuntimeError(f"{element_id} vanished")
            try:
                wait_answer(chrome, before, 1000)
            except TimeoutError:
                # A click on the value the slider already had changes nothing: no request.
                if how == "mouse" and answered(chrome) == before:
                    continue
                raise
            moves += 1
    for _ in range(2):  # the uncertainty switch off, and on again
        before = answered(chrome)
        click(chrome, *place(chrome, "worlds", 0.5))
        wait_answer(chrome, before, 1000)
    timings = json.loads(evaluate(chrome, "JSON.stringify(window.spheresTimings)"))
    return moves + 2, [t["ms"] for t in timings if t["runs"] == 200]


def post(url, body):
    request = urllib.request.Request(url + "api/compare", data=json.dumps(body).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=60) as r:
        return json.load(r)


def page_numbers(chrome):
    """The short table's difference and both scenarios' medians, as the page shows them."""
    return json.loads(evaluate(chrome, """JSON.stringify([...document.querySelectorAll('#short tr')].slice(1).map(
      tr => [...tr.querySelectorAll('td')].map(td => td.textContent)))"""))


def js_fmt(x):
    """A difference as the page writes it (fmt in page.html): sign, two decimals, a true minus."""
    if x is None:
        return "\u2013"
    return ("+" if x > 0 else "") + f"{x:.2f}".replace("-", "\u2212")


def check_numbers(chrome, url, spheres, workdir):
    """The page's numbers against the API with the page's settings, and the API against the command."""
    problems = []
    body = json.loads(evaluate(chrome, "JSON.stringify(body(1000))"))
    answer = post(url, body)
    rows = page_numbers(chrome)
    for row, state in zip(rows, answer["states"]):
        al = state["rows"]["alignment"]
        want_diff = js_fmt(al["variant"]["effect_p50"] if body.get("worlds", True) else al["variant"]["diff"])
        want_levels = f"{js_fmt(al['baseline']['p50'])} \u2192 {js_fmt(al['variant']['p50'])}"
        if not row[1].startswith(want_diff) or row[2] != want_levels:
            problems.append(f"{state['code']}: the page shows {row[1]!r} {row[2]!r}, the API {want_diff!r} {want_levels!r}")
    command = shlex.split(answer["provenance"]["command"])[1:]
    out = os.path.join(workdir, "compare")
    subprocess.run([spheres, *command, "--out", out, "--force", "--no-charts", "--quiet"], check=True,
                   stderr=subprocess.DEVNULL)
    with open(os.path.join(out, "comparison.csv")) as f:
        file = {(r["scenario"], r["state"], r["indicator"]): r for r in csv.DictReader(f)}
    variant = answer["provenance"]["scenarios"][1]["folder"]
    for state in answer["states"]:
        row = file[(variant, state["code"], "alignment")]
        for column in ("diff", "effect_p50", "p50"):
            api = state["rows"]["alignment"]["variant"][column]
            if row[column] and float(row[column]) != api:
                problems.append(f"{state['code']} {column}: API {api}, comparison.csv {row[column]}")
    return problems


def off_loopback(chrome, url):
    host = urllib.parse.urlparse(url).netloc
    bad = []
    for m in chrome.drain("Network.requestWillBeSent"):
        u = m["params"]["request"]["url"]
        parsed = urllib.parse.urlparse(u)
        if parsed.scheme in ("http", "https", "ws", "wss") and parsed.netloc != host:
            bad.append(f"request off loopback: {u}")
    return bad


def overflow(chrome, width):
    w = evaluate(chrome, "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
    return [f"page is {w} px wide in a {width} px viewport"] if w > width else []


def screenshot(chrome, width, out):
    metrics = chrome.send("Page.getLayoutMetrics")["result"]
    height = int(min(metrics["cssContentSize"]["height"], 9000))
    chrome.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
    shot = chrome.send("Page.captureScreenshot", {"format": "png"})["result"]["data"]
    with open(os.path.join(out, f"explore-{width}.png"), "wb") as f:
        f.write(base64.b64decode(shot))
    chrome.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})


def check_width(chrome, url, width, spheres, work, shots):
    chrome.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})
    console_errors(chrome)
    chrome.send("Page.navigate", {"url": url})
    wait_answer(chrome, "", 1000)
    moves, latencies = move_every_slider(chrome)
    problems = check_numbers(chrome, url, spheres, work)
    problems += overflow(chrome, width)
    evaluate(chrome, "window.scrollTo(0, 0)")
    screenshot(chrome, width, shots)
    problems += console_errors(chrome) + off_loopback(chrome, url)
    return moves, latencies, problems


def percentile(values, q):
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))] if s else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chromium", default="chromium")
    parser.add_argument("--spheres", default="target/release/spheres")
    parser.add_argument("--out", required=True)
    a = parser.parse_args()
    os.makedirs(a.out, exist_ok=True)
    server, url = start_explorer(a.spheres)
    chrome = Chromium(a.chromium)
    failures, rows = 0, []
    try:
        chrome.open_tab(("Page", "Runtime", "Log", "Network"))
        with tempfile.TemporaryDirectory(prefix="spheres-explore-check-") as work:
            for width in WIDTHS:
                moves, latencies, problems = check_width(chrome, url, width, a.spheres, work, a.out)
                rows += [(width, k, ms) for k, ms in enumerate(latencies)]
                p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
                if p95 >= P95_LIMIT_MS:
                    problems.append(f"p95 latency {p95:.0f} ms, over {P95_LIMIT_MS:.0f} ms")
                status = "ok" if not problems else f"FAILED ({len(problems)})"
                print(f"explore at {width:>4} px: {moves} moves, first answer drawn p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {max(latencies):.0f} ms  {status}")
                for p in problems:
                    print(f"    - {p}")
                failures += bool(problems)
    finally:
        chrome.close()
        server.terminate()
        server.wait(timeout=10)
    with open(os.path.join(a.out, "latency.csv"), "w") as f:
        f.write("width,move,ms\n" + "".join(f"{w},{k},{ms:.1f}\n" for w, k, ms in rows))
    print(f"screenshots and latency.csv: {a.out}")
    if failures:
        print(f"check_explorer: {failures} widths failed", file=sys.stderr)
        sys.exit(1)
    print("check_explorer: ok")


if __name__ == "__main__":
    main()
