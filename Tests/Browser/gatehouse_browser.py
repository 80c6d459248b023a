"""Driving Gatehouse's pages in headless Chromium, for the browser journeys (Tests/Browser/journeys.py), which also
take the README's screenshots (scripts/screenshots.sh).

Needs selenium (PyPI) and Debian's chromium and chromium-driver; the accessibility check needs axe-core-python (PyPI),
of which only the bundled axe.min.js is used.
"""

import base64
import json
import os
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

DESKTOP = 1280
PHONE = 390


def browser(javascript=True, width=DESKTOP):
    """A new headless Chromium with a profile of its own, so each browser is a separate person's session."""
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
                     "--disable-dev-shm-usage", f"--window-size={width},900", "--lang=en-GB"):
        options.add_argument(argument)
    if not javascript:
        # What a person with JavaScript switched off gets: the page's own scripts do not run.
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    return webdriver.Chrome(service=service, options=options)


def open_page(driver, base, path, heading=None):
    """Loads BASE+PATH and waits for its h1; with HEADING, the h1 must contain it."""
    driver.get(base + path)
    WebDriverWait(driver, 10).until(expected_conditions.presence_of_element_located((By.TAG_NAME, "h1")))
    if heading is not None:
        found = driver.find_element(By.TAG_NAME, "h1").text
        if heading not in found:
            raise AssertionError(f"{path} shows the heading {found!r}, expected {heading!r}")


def sign_in(driver, base, name, password):
    """Signs in through the real form, as a person would, and waits for the signed-in header."""
    open_page(driver, base, "/sign-in", "Sign in")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form[action='/sign-in'] button[type=submit]").click()
    WebDriverWait(driver, 10).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".sign-out")))
    who = driver.find_element(By.CSS_SELECTOR, ".sign-out .who").text
    if who != name:
        raise AssertionError(f"signed in as {name}, but the header names {who!r}")


def shoot(driver, path, width=DESKTOP):
    """Saves the whole page as the PNG PATH, not only the window: the viewport is stretched to the document's height
    first, and put back afterwards. Warns when the page is wider than WIDTH (something overflows horizontally)."""
    metrics = {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    time.sleep(0.2)
    height = driver.execute_script(
        "return Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0)")
    metrics["height"] = max(int(height), 300)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    time.sleep(0.2)
    overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        print(f"warning: {path} is {overflow} px wider than the {width} px viewport", file=sys.stderr)
    driver.save_screenshot(path)
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    print(f"    saved {path} ({width} x {metrics['height']})", flush=True)


WIDEST = """
var limit = document.documentElement.clientWidth, found = [];
document.querySelectorAll('body *').forEach(function (e) {
  var r = e.getBoundingClientRect();
  if (r.right > limit + 1 && !Array.from(e.children).some(function (c) { return c.getBoundingClientRect().right > limit + 1; })) {
    var p = e, clipped = false;
    while ((p = p.parentElement) && p !== document.body) { if (getComputedStyle(p).overflowX !== 'visible') { clipped = true; break; } }
    if (!clipped) found.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && e.className.baseVal === undefined ? '.' + String(e.className).split(' ').join('.') : ''));
  }
});
return found.slice(0, 4);
"""


def phone_overflow(driver):
    """(pixels, elements): how many CSS pixels the page now showing is wider than a 390 px phone screen (0: nothing
    slides sideways; a wide table may scroll inside its own box), and the innermost elements that stick out. The
    window is put back afterwards."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": PHONE, "height": 800, "deviceScaleFactor": 1, "mobile": True})
    try:
        driver.execute_script("return document.documentElement.offsetHeight")  # layout at the new width
        # clientWidth, not innerWidth: a mobile browser zooms out to fit wide content, so innerWidth grows with it.
        pixels = driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        return pixels, (driver.execute_script(WIDEST) if pixels > 0 else [])
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def fetch(driver, url):
    """GETs URL with the browser's cookies (a download the browser would make), returning (content type, text)."""
    cookies = "; ".join(f"{cookie['name']}={cookie['value']}" for cookie in driver.get_cookies())
    request = urllib.request.Request(url, headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers.get("Content-Type", ""), response.read().decode("utf-8")


class Axe:
    """axe-core run in the page: every violation is kept; `blocking` are the serious and critical ones."""

    BLOCKING = ("serious", "critical")

    def __init__(self):
        import axe_core_python  # only the accessibility check needs it

        with open(os.path.join(os.path.dirname(axe_core_python.__file__), "axe.min.js"), encoding="utf-8") as script:
            self.source = script.read()
        self.findings = []  # (page, rule id, impact, help, [target selectors])
        self.pages = []

    def check(self, driver, page):
        """Runs axe on the page now showing; returns this page's serious and critical violations."""
        self.pages.append(page)
        if not driver.execute_script("return typeof window.axe === 'object'"):
            driver.execute_script(self.source)
        driver.set_script_timeout(30)
        result = driver.execute_async_script(
            "var done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']})"
            ".then(function (r) { done(JSON.stringify(r.violations)); }, function (e) { done(JSON.stringify({error: String(e)})); });")
        violations = json.loads(result)
        if isinstance(violations, dict):
            raise AssertionError(f"axe-core failed on {page}: {violations['error']}")
        blocking = []
        for violation in violations:
            targets = [" ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
                       for node in violation["nodes"]]
            finding = (page, violation["id"], violation["impact"], violation["help"], targets)
            self.findings.append(finding)
            if violation["impact"] in self.BLOCKING:
                blocking.append(finding)
        return blocking

    @staticmethod
    def describe(finding):
        page, rule, impact, help_text, targets = finding
        return f"{page}: {rule} ({impact}) {help_text}: " + ", ".join(targets[:5]) + (" …" if len(targets) > 5 else "")


def save_failure(driver, folder, name):
    """Saves what the browser shows (PNG) and the page's markup (HTML) as FOLDER/NAME.*; returns the paths."""
    os.makedirs(folder, exist_ok=True)
    picture = os.path.abspath(os.path.join(folder, f"{name}.png"))
    markup = os.path.abspath(os.path.join(folder, f"{name}.html"))
    try:  # the whole page, not only the window, so what failed is in the picture wherever it is
        size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 16000), "scale": 1}
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "clip": clip, "captureBeyondViewport": True})
        with open(picture, "wb") as out:
            out.write(base64.b64decode(shot["data"]))
    except Exception:
        driver.save_screenshot(picture)
    with open(markup, "w", encoding="utf-8") as out:
        out.write(f"<!-- {driver.current_url} -->\n{driver.page_source}")
    return picture, markup
