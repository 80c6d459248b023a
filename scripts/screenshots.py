#!/usr/bin/env python3
"""Screenshots of every portal page with headless Chromium, for docs/screenshots/ and the README.

Usage: scripts/screenshots.py BASE_URL OUT_DIR --user NAME --flow NAMESPACE/ID --execution ID --paused ID
The password is read from the GATEHOUSE_PASSWORD variable (never from the command line, where `ps` shows it).

Expects a running Gatehouse with seeded data (scripts/screenshots.sh prepares one). Signs in through the real form,
then saves full-page PNGs 1280 pixels wide, and the request form also 390 wide (a phone). Needs selenium (PyPI) and
Debian's chromium and chromium-driver.
"""

import argparse
import os
import sys
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Browser"))
from gatehouse_browser import DESKTOP, browser, open_page, sign_in  # noqa: E402  (after the path it is found on)

PHONE = 390


def shoot(driver, out_dir, name, width=DESKTOP):
    """Saves the whole page, not only the window: the viewport is stretched to the document's height first."""
    mobile = width < 600
    metrics = {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": mobile}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    time.sleep(0.2)
    height = driver.execute_script(
        "return Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0)")
    metrics["height"] = max(int(height), 300)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    time.sleep(0.2)
    overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        print(f"warning: {name} is {overflow} px wider than the {width} px viewport", file=sys.stderr)
    path = os.path.join(out_dir, f"{name}.png")
    driver.save_screenshot(path)
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    print(f"{path} ({width} x {metrics['height']})")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base")
    parser.add_argument("out_dir")
    parser.add_argument("--user", required=True)
    parser.add_argument("--flow", required=True, help="NAMESPACE/ID of the flow whose request form is shown")
    parser.add_argument("--execution", required=True, help="a finished execution with log lines")
    parser.add_argument("--paused", required=True, help="an execution waiting for approval")
    parser.add_argument("--bad", action="append", default=[], metavar="FIELD=VALUE",
                        help="a wrong answer typed into the form for the validation-error shot (repeat)")
    args = parser.parse_args()
    password = os.environ.get("GATEHOUSE_PASSWORD")
    if not password:
        raise SystemExit("error: set GATEHOUSE_PASSWORD to the password of --user")
    base = args.base.rstrip("/")
    os.makedirs(args.out_dir, exist_ok=True)

    driver = browser()
    try:
        open_page(driver, base, "/sign-in", "Sign in")
        shoot(driver, args.out_dir, "sign-in")
        sign_in(driver, base, args.user, password)

        open_page(driver, base, "/", "Catalog")
        shoot(driver, args.out_dir, "catalog")

        form = f"/flows/{args.flow}/request"
        open_page(driver, base, form)
        shoot(driver, args.out_dir, "request-form")
        shoot(driver, args.out_dir, "request-form-phone", width=PHONE)

        # The browser would stop the bad answers itself (HTML5 constraints); the server's messages are what this shows.
        driver.execute_script("document.querySelector('main form').noValidate = true")
        for pair in args.bad:
            field, _, value = pair.partition("=")
            element = driver.find_element(By.NAME, field)
            element.clear()
            element.send_keys(value)
        driver.find_element(By.CSS_SELECTOR, "main form .actions button[type=submit]:not([name])").click()
        WebDriverWait(driver, 10).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".field.invalid")))
        shoot(driver, args.out_dir, "request-form-errors")

        open_page(driver, base, f"/executions/{args.execution}", "Execution")
        shoot(driver, args.out_dir, "execution")

        open_page(driver, base, f"/executions/{args.paused}", "PAUSED")
        shoot(driver, args.out_dir, "execution-paused")

        open_page(driver, base, "/requests", "My requests")
        shoot(driver, args.out_dir, "my-requests")

        open_page(driver, base, "/tokens", "API tokens")
        shoot(driver, args.out_dir, "api-tokens")

        open_page(driver, base, "/executions/no-such-execution", "Not found")
        shoot(driver, args.out_dir, "error")
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
