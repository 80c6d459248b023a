#!/usr/bin/env python3
"""The three Gatehouse journeys in a real browser, with axe-core on every page they visit.

Usage: journeys.py --base URL --data DIR --gatehouse BINARY --mail DIR --slack FILE --other-execution ID [--failures DIR]
                   [--screenshots DIR]
The users' password comes from GATEHOUSE_PASSWORD. scripts/browser-tests prepares the server, users and sinks.
With --screenshots (scripts/screenshots.sh) the README's pictures are saved into DIR on the way, each page at the
moment it shows the journey's data, and a few pages the journeys do not need are visited for them.

  developer   asks for a VM (a field error, the cost of the chosen type) and watches the live log reach the approval;
  approver    sees the inbox badge, reads the plan and the cost, approves with a comment; the developer's open page
              turns SUCCESS by itself; the e-mail and the Slack message arrive;
  platform    the auditor filters the history by requester, opens the execution, exports CSV, reads the audit log;
              `gatehouse audit verify` passes;
  no script   the developer's journey again with JavaScript switched off, following the execution by reloading.

On a failure every open browser's screen and markup are saved under --failures and the run exits 1; a serious or
critical axe violation on any page also fails the run.
"""

import argparse
import contextlib
import csv
import glob
import io
import json
import os
import re
import subprocess
import sys
import time

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from gatehouse_browser import DESKTOP, PHONE, Axe, browser, fetch, open_page, phone_overflow, save_failure, shoot, sign_in

FORM = "/flows/hetzner/vm-provision/request"
# The fixture module derives addresses from TEST-NET-3 (Tests/WebTests/Fixtures/namespace-files).
ADDRESS = re.compile(r"203\.0\.113\.\d+")
SLOW = 120  # seconds a Terraform plan or apply may take on a busy machine before a wait gives up


class Failure(Exception):
    pass


class Journeys:
    def __init__(self, args, password):
        self.args = args
        self.base = args.base.rstrip("/")
        self.password = password
        self.drivers = {}
        self.current = "start"
        self.axe = Axe()
        self.too_wide = []  # (page, pixels) wider than a phone screen
        self.execution = None
        self.address = None

    # --- Plumbing -------------------------------------------------------------------------------------------------

    def person(self, role, javascript=True):
        driver = browser(javascript=javascript)
        self.drivers[role] = driver
        return driver

    @contextlib.contextmanager
    def step(self, description):
        self.current = description
        print(f"  {description}", flush=True)
        try:
            yield
        except Exception as error:
            slug = re.sub(r"[^a-z0-9]+", "-", description.lower()).strip("-")[:60]
            saved = []
            for role, driver in self.drivers.items():
                with contextlib.suppress(Exception):
                    saved.extend(save_failure(driver, self.args.failures, f"{slug}--{re.sub(r'[^a-z]+', '-', role)}"))
            # Selenium's own message without the driver's native stack trace.
            message = (getattr(error, "msg", None) or str(error)).strip() or type(error).__name__
            raise Failure(f"{description}: {message}" + "".join(f"\n    saved {path}" for path in saved)) from error

    @staticmethod
    def check(condition, message):
        if not condition:
            raise AssertionError(message)

    def wait(self, driver, condition, message, timeout=15):
        try:
            # A page that reloads itself (execution.js at the end) can swap elements between finding and reading.
            return WebDriverWait(driver, timeout, poll_frequency=0.2,
                                 ignored_exceptions=(StaleElementReferenceException,)).until(lambda _: condition())
        except Exception as error:
            raise AssertionError(f"{message} (waited {timeout} s)") from error

    def scan(self, driver, page):
        """axe on the page now showing; serious and critical violations are reported together at the end."""
        for finding in self.axe.check(driver, page):
            print(f"    axe: {Axe.describe(finding)}", flush=True)
        overflow, culprits = phone_overflow(driver)
        if overflow > 0:
            self.too_wide.append((page, overflow))
            print(f"    phone: {page} is {overflow} px wider than a {PHONE} px screen: {', '.join(culprits)}", flush=True)

    def shoot(self, driver, name, width=DESKTOP):
        """With --screenshots, the page now showing as DIR/NAME.png (full page, 1280 px wide unless WIDTH)."""
        if self.args.screenshots:
            os.makedirs(self.args.screenshots, exist_ok=True)
            path = os.path.join(self.args.screenshots, f"{name}.png")
            shoot(driver, path, width)

    @staticmethod
    def text(driver, selector):
        try:
            found = driver.find_elements(By.CSS_SELECTOR, selector)
            return found[0].text if found else ""
        except StaleElementReferenceException:
            return ""

    # --- Journeys -------------------------------------------------------------------------------------------------

    def fill_request(self, driver, name):
        """The developer's part of the form up to the field error, shared by the script and no-script journeys."""
        with self.step(f"{name}: the catalog offers the Hetzner VM"):
            open_page(driver, self.base, "/", "Catalog")
            if self.scripted(driver):
                self.scan(driver, "catalog")
                self.shoot(driver, "catalog")
            driver.find_element(By.CSS_SELECTOR, f"a[href='{FORM}']").click()
            self.wait(driver, lambda: driver.current_url.endswith(FORM), "the Request button did not open the form")
            self.check("test server on Hetzner" in self.text(driver, ".lead"), "the form does not describe the flow")
            if self.scripted(driver):
                self.scan(driver, "request form")
                self.shoot(driver, "request-form")
                self.shoot(driver, "request-form-phone", width=PHONE)

        with self.step(f"{name}: a bad VM name is answered next to the field"):
            driver.find_element(By.ID, "input-name").send_keys("Web_01!")
            driver.find_element(By.ID, "input-team").send_keys("platform")
            driver.find_element(By.CSS_SELECTOR, "main form .actions button[type=submit]:not([name])").click()
            self.wait(driver, lambda: driver.find_elements(By.CSS_SELECTOR, ".field.invalid"), "no field is marked invalid")
            invalid = driver.find_elements(By.CSS_SELECTOR, ".field.invalid")
            self.check(len(invalid) == 1, f"{len(invalid)} fields are marked invalid, expected only the name")
            field = invalid[0]
            self.check(field.find_elements(By.ID, "input-name"), "the invalid field is not the VM name")
            errors = field.find_element(By.CSS_SELECTOR, "ul.errors")
            self.check(errors.text.strip() != "", "the name's error list is empty")
            self.check(field.find_element(By.ID, "input-name").get_attribute("aria-describedby") == errors.get_attribute("id"),
                       "the name input is not described by its error")
            self.check(driver.find_element(By.ID, "input-name").get_attribute("value") == "Web_01!", "the typed name was lost")
            self.check(driver.find_element(By.ID, "input-team").get_attribute("value") == "platform", "the team was lost")
            self.check("need attention" in self.text(driver, "p.error[role=alert]"), "no summary says fields need attention")
            if self.scripted(driver):
                self.scan(driver, "request form with errors")
                self.shoot(driver, "request-form-errors")

    def scripted(self, driver):
        return driver is not self.drivers.get("developer without JavaScript")

    def submit_request(self, driver, name, vm):
        name_input = driver.find_element(By.ID, "input-name")
        name_input.clear()
        name_input.send_keys(vm)
        driver.find_element(By.CSS_SELECTOR, "main form .actions button[type=submit]:not([name])").click()
        self.wait(driver, lambda: "/executions/" in driver.current_url, f"{name}: the form did not lead to the execution page")
        return driver.current_url.rstrip("/").rsplit("/", 1)[-1]

    def developer(self):
        ada = self.person("developer")
        with self.step("developer: signs in"):
            open_page(ada, self.base, "/sign-in", "Sign in")
            self.scan(ada, "sign-in")
            self.shoot(ada, "sign-in")
            sign_in(ada, self.base, "ada", self.password)

        self.fill_request(ada, "developer")

        with self.step("developer: the cost follows the server type"):
            cost = ada.find_element(By.ID, "input-server_type-cost")
            self.check(cost.text == "from €2.99/month", f"the default CX23 shows the cost {cost.text!r}")
            Select(ada.find_element(By.ID, "input-server_type")).select_by_value("cx33")
            self.wait(ada, lambda: cost.text == "from €4.99/month", f"after picking CX33 the cost still reads {cost.text!r}")

        with self.step("developer: submits and watches the live log reach the approval"):
            self.execution = self.submit_request(ada, "developer", "web-js")
            self.check(self.text(ada, "#state") in ("CREATED", "QUEUED", "RUNNING", "PAUSED"), "the new execution shows no state")
            # Marks this page: a reload would lose the mark; sessionStorage keeps the live state changes across the
            # reload the page makes by itself once the execution has ended.
            ada.execute_script(
                "window.gatehouseNotReloaded = true; var state = document.getElementById('state');"
                "new MutationObserver(function () { sessionStorage.setItem('live-state', state.textContent); })"
                ".observe(state, {childList: true, characterData: true, subtree: true});")
            self.wait(ada, lambda: self.text(ada, "#state") == "PAUSED", "the page never showed PAUSED", timeout=SLOW)
            self.check(ada.execute_script("return window.gatehouseNotReloaded === true"), "the page reloaded to show PAUSED")
            tasks = {element.text for element in ada.find_elements(By.CSS_SELECTOR, "#log .task")}
            self.check("plan" in tasks, f"the live log shows no lines of the plan task (tasks {sorted(tasks)})")

            def task_rows():
                return {row.find_element(By.CSS_SELECTOR, "td").text: row.find_element(By.CSS_SELECTOR, ".state").text
                        for row in ada.find_elements(By.CSS_SELECTOR, "#task-rows tr")}
            self.wait(ada, lambda: task_rows().get("plan") == "SUCCESS" and task_rows().get("approve") == "PAUSED",
                      "the Tasks table did not follow the run live")
            self.check(ada.execute_script("return window.gatehouseNotReloaded === true"), "the page reloaded to fill the Tasks table")
            self.scan(ada, "execution page, paused")

    def approver(self):
        bob = self.person("approver")
        ada = self.drivers["developer"]
        with self.step("approver: signs in and sees one request waiting"):
            sign_in(bob, self.base, "bob", self.password)
            badge = self.text(bob, "nav a[href='/approvals'] .badge")
            self.check(badge == "1", f"the Approvals badge shows {badge!r}, expected 1")

        with self.step("approver: the inbox lists the developer's request with its cost"):
            bob.find_element(By.CSS_SELECTOR, "nav a[href='/approvals']").click()
            self.wait(bob, lambda: self.text(bob, "h1") == "Approvals", "the Approvals link did not open the inbox")
            row = bob.find_element(By.XPATH, f"//table[@id='approvals']//tr[.//a[@href='/executions/{self.execution}']]")
            self.check("ada" in row.text and "€4.99/month" in row.text, f"the inbox row reads {row.text!r}")
            self.scan(bob, "approvals inbox")
            self.shoot(bob, "approvals")

        with self.step("approver: reads the plan and the cost"):
            row.find_element(By.CSS_SELECTOR, "a").click()
            self.wait(bob, lambda: bob.find_elements(By.ID, "approval"), "the request has no approval panel")
            self.check("Waiting for approval" in self.text(bob, "#approval h2"), "the panel does not say it waits for approval")
            cost = self.text(bob, "#monthly-cost")
            self.check(cost.startswith("€4.99/month ("), f"the panel shows the cost {cost!r}")
            if self.args.modern_terraform:
                changes = self.text(bob, "#plan-changes")
                self.check("terraform_data.server" in changes, f"the plan lists {changes!r}, not terraform_data.server")
                self.check("1 to create" in self.text(bob, ".plan-counts"), "the plan counts do not show 1 to create")
            else:
                print("    (Terraform before 1.4: the outputs-only fixture plans no resources; addresses not checked)")
            self.check(re.fullmatch(r"[0-9a-f]{64}", self.text(bob, "#plan-sha256")), "the plan's SHA-256 is not shown")
            self.check("web-js" in self.text(bob, "main section:nth-of-type(2)") or "web-js" in bob.page_source,
                       "the requester's inputs are not shown")
            self.scan(bob, "approval panel")

        with self.step("approver: approves with a comment"):
            bob.find_element(By.ID, "approve-comment").send_keys("Fine for the load test; enjoy")
            self.shoot(bob, "execution-approval")
            bob.find_element(By.CSS_SELECTOR, "#approve-form button[type=submit]").click()
            self.wait(bob, lambda: not bob.find_elements(By.ID, "approve-form"), "the approve form is still there")
            self.check(not bob.find_elements(By.ID, "decision-problem"), f"refused: {self.text(bob, '#decision-problem')}")

        with self.step("developer: the open page turns SUCCESS by itself and shows the address"):
            self.wait(ada, lambda: self.text(ada, "#state") == "SUCCESS", "the developer's page never showed SUCCESS", timeout=SLOW)
            self.wait(ada, lambda: ADDRESS.search(self.text(ada, "main")), "the page shows no VM address")
            seen = ada.execute_script("return sessionStorage.getItem('live-state')")
            self.check(seen == "SUCCESS", f"the live feed's last state was {seen!r}: SUCCESS came from a reload")
            self.address = ADDRESS.search(self.text(ada, "main")).group(0)
            self.scan(ada, "execution page, succeeded")
            if self.args.screenshots:  # loaded afresh: the finished page, however far its own reload had got
                open_page(ada, self.base, f"/executions/{self.execution}", self.execution)
                self.shoot(ada, "execution")

        with self.step("the e-mails arrive at the SMTP server"):
            ready = self.poll(lambda: [m for m in self.mails() if m["rcpt_tos"] == ["ada@example.com"]], "no e-mail to ada")
            subject = ready[0]["headers"].get("subject")
            self.check(subject == f"Your VM web-js is ready at {self.address}", f"ada's e-mail is titled {subject!r}")
            self.check(f"ssh root@{self.address}" in (ready[0]["text"] or ""), "ada's e-mail has no ssh hint")
            notices = [m for m in self.mails() if m["rcpt_tos"] == ["bob@example.com"]]
            self.check(notices and self.execution in (notices[0]["text"] or ""), "the approver's notice does not link the request")

        with self.step("the Slack message arrives at the webhook"):
            expected = f"VM request web-js by ada: SUCCESS, ssh root@{self.address}"
            self.poll(lambda: [r for r in self.slack() if r["path"] == "/hooks/vms" and expected in r["body"]],
                      f"no Slack message containing {expected!r}: {[r['body'] for r in self.slack()]}")
            notices = [r for r in self.slack() if r["path"] == "/hooks/approvals"]
            self.check(notices and self.execution in notices[0]["body"], "the approval notice did not reach Slack")

        with self.step("developer: My VMs lists the new VM; the tokens page opens"):
            open_page(ada, self.base, "/vms", "My VMs")
            self.check(self.address in self.text(ada, "#vm-web-js"), "My VMs does not show web-js with its address")
            self.scan(ada, "my VMs")
            self.shoot(ada, "vms")
            open_page(ada, self.base, "/tokens", "API tokens")
            self.scan(ada, "API tokens")
            self.shoot(ada, "api-tokens")

    def platform(self):
        cleo = self.person("auditor")
        with self.step("auditor: filters the history by requester"):
            sign_in(cleo, self.base, "cleo", self.password)
            cleo.find_element(By.CSS_SELECTOR, "nav a[href='/history']").click()
            self.wait(cleo, lambda: self.text(cleo, "h1") == "History", "the History link did not open the history")
            self.scan(cleo, "history")
            self.check(cleo.find_elements(By.CSS_SELECTOR, f"a[href='/executions/{self.args.other_execution}']"),
                       "the unfiltered history lacks dan's execution")
            requester = cleo.find_element(By.CSS_SELECTOR, "form[action='/history'] input[name=requester]")
            requester.send_keys("ada")
            cleo.find_element(By.CSS_SELECTOR, "form[action='/history'] button[type=submit]").click()
            self.wait(cleo, lambda: "requester=ada" in cleo.current_url, "the filter was not applied")
            self.check(cleo.find_elements(By.CSS_SELECTOR, f"a[href='/executions/{self.execution}']"),
                       "ada's execution is not in her history")
            self.check(not cleo.find_elements(By.CSS_SELECTOR, f"a[href='/executions/{self.args.other_execution}']"),
                       "dan's execution is in the history filtered to ada")
            self.scan(cleo, "history filtered")

        with self.step("auditor: exports the filtered history as CSV"):
            link = cleo.find_element(By.LINK_TEXT, "CSV").get_attribute("href")
            self.check("requester=ada" in link, f"the CSV link {link!r} drops the filter")
            content_type, text = fetch(cleo, link)
            self.check("text/csv" in content_type, f"the export is {content_type!r}")
            rows = list(csv.reader(io.StringIO(text)))
            ours = [row for row in rows if self.execution in row]
            self.check(len(ours) == 1 and "ada" in ours[0] and "SUCCESS" in ours[0], f"the CSV rows for the request: {ours}")
            self.check(not any(self.args.other_execution in row for row in rows), "the CSV holds dan's execution")

        with self.step("auditor: opens the execution"):
            cleo.find_element(By.CSS_SELECTOR, f"a[href='/executions/{self.execution}']").click()
            self.wait(cleo, lambda: self.execution in self.text(cleo, "h1"), "the execution page did not open")
            self.check(self.text(cleo, "#state") == "SUCCESS" and self.address in self.text(cleo, "main"),
                       "the auditor does not see SUCCESS and the address")

        with self.step("auditor: the audit log holds the journey"):
            cleo.find_element(By.CSS_SELECTOR, "nav a[href='/audit']").click()
            self.wait(cleo, lambda: self.text(cleo, "h1") == "Audit log", "the Audit log link did not open the log")
            self.scan(cleo, "audit log")
            cleo.find_element(By.CSS_SELECTOR, "form[action='/audit'] input[name=execution]").send_keys(self.execution)
            cleo.find_element(By.CSS_SELECTOR, "form[action='/audit'] button[type=submit]").click()
            self.wait(cleo, lambda: "execution=" in cleo.current_url, "the audit filter was not applied")
            rows = cleo.find_elements(By.CSS_SELECTOR, "table.audit tbody tr")
            actions = {row.find_element(By.CSS_SELECTOR, "code").text: row for row in rows}
            for action in ("execution.created", "execution.paused", "execution.resumed", "execution.success"):
                self.check(action in actions, f"no {action} event for the request (found {sorted(actions)})")
            created = actions["execution.created"].text
            self.check("ada" in created and "web-js" in created, f"the request's event reads {created!r}")
            decision = actions["execution.resumed"].text
            for expected in ("bob", "APPROVED", "Fine for the load test; enjoy"):
                self.check(expected in decision, f"the approval's event lacks {expected!r}: {decision!r}")
            self.shoot(cleo, "audit")

        with self.step("gatehouse audit verify passes"):
            verified = subprocess.run([self.args.gatehouse, "audit", "verify", "--data", self.args.data],
                                      capture_output=True, text=True, timeout=60)
            self.check(verified.returncode == 0, f"exit {verified.returncode}: {verified.stdout}{verified.stderr}")
            print(f"    {verified.stdout.strip().splitlines()[-1] if verified.stdout.strip() else 'verified'}")

    def without_javascript(self):
        ada = self.person("developer without JavaScript", javascript=False)
        with self.step("no script: signs in"):
            sign_in(ada, self.base, "ada", self.password)

        self.fill_request(ada, "no script")

        with self.step("no script: the prices are in the options, the form works without the cost script"):
            self.check(not ada.find_elements(By.ID, "input-server_type-cost"), "the cost script ran with JavaScript off")
            labels = [option.text for option in Select(ada.find_element(By.ID, "input-server_type")).options]
            self.check(all("€" in label for label in labels), f"server types without prices: {labels}")

        with self.step("no script: submits and reaches the approval by reloading"):
            execution = self.submit_request(ada, "no script", "web-nojs")
            self.check("reload" in self.text(ada, "#live-hint"), "the page does not tell to reload")
            for _ in range(SLOW * 2):
                if self.text(ada, "#state") == "PAUSED":
                    break
                time.sleep(0.5)
                ada.refresh()
            self.check(self.text(ada, "#state") == "PAUSED", "reloading never showed PAUSED")
            self.check(execution != self.execution, "the second request reused the first execution")
            tasks = {element.text for element in ada.find_elements(By.CSS_SELECTOR, "#log .task")}
            self.check("plan" in tasks, f"the log shows no plan lines (tasks {sorted(tasks)})")

    def last_screenshots(self):
        """With --screenshots, the pages that look best once both of ada's requests exist, and the error page."""
        ada, cleo = self.drivers["developer"], self.drivers["auditor"]
        with self.step("screenshots: my requests, the filtered history and the error page"):
            open_page(ada, self.base, "/requests", "My requests")
            self.shoot(ada, "my-requests")
            open_page(cleo, self.base, "/history?requester=ada", "History")
            self.shoot(cleo, "history")
            open_page(ada, self.base, "/executions/no-such-execution", "Not found")
            self.shoot(ada, "error")

    # --- Sinks ----------------------------------------------------------------------------------------------------

    def mails(self):
        found = []
        for path in sorted(glob.glob(os.path.join(self.args.mail, "*.json")), key=lambda p: int(os.path.basename(p)[:-5])):
            with open(path, encoding="utf-8") as message:
                found.append(json.load(message))
        return found

    def slack(self):
        with open(self.args.slack, encoding="utf-8") as record:
            return [json.loads(line) for line in record if line.strip()]

    def poll(self, found, message, timeout=30):
        """What `found` returns once it is not empty; the worker sends after the execution has ended."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = found()
            if result:
                return result
            time.sleep(0.2)
        raise AssertionError(message)

    def close(self):
        for driver in self.drivers.values():
            with contextlib.suppress(Exception):
                driver.quit()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--gatehouse", required=True)
    parser.add_argument("--mail", required=True, help="the SMTP sink's folder")
    parser.add_argument("--slack", required=True, help="the Slack sink's record file")
    parser.add_argument("--other-execution", required=True, help="an execution requested by dan, not ada")
    parser.add_argument("--modern-terraform", action="store_true", help="the CLI plans terraform_data resources")
    parser.add_argument("--failures", default=".build/browser-failures")
    parser.add_argument("--screenshots", metavar="DIR", help="also save the README's screenshots into DIR")
    args = parser.parse_args()
    password = os.environ.get("GATEHOUSE_PASSWORD")
    if not password:
        raise SystemExit("error: set GATEHOUSE_PASSWORD")

    started = time.monotonic()
    journeys = Journeys(args, password)
    walks = [("developer", journeys.developer), ("approver", journeys.approver), ("platform team", journeys.platform),
             ("developer without JavaScript", journeys.without_javascript)]
    if args.screenshots:
        walks.append(("screenshots", journeys.last_screenshots))
    try:
        for name, journey in walks:
            print(f"{name}:", flush=True)
            journey()
    except Failure as failure:
        print(f"\nFAILED {failure}", file=sys.stderr)
        return 1
    finally:
        journeys.close()

    findings = journeys.axe.findings
    blocking = [finding for finding in findings if finding[2] in Axe.BLOCKING]
    others = [finding for finding in findings if finding[2] not in Axe.BLOCKING]
    print(f"\naxe-core: {len(journeys.axe.pages)} pages checked, {len(findings)} violations, {len(blocking)} serious or critical")
    for finding in others:
        print(f"  note: {Axe.describe(finding)}")
    for finding in blocking:
        print(f"  FAIL: {Axe.describe(finding)}", file=sys.stderr)
    if blocking:
        print("\nFAILED accessibility: serious or critical axe violations (above)", file=sys.stderr)
        return 1
    print(f"phone width: {len(journeys.axe.pages)} pages checked at {PHONE} px, {len(journeys.too_wide)} wider than the screen")
    if journeys.too_wide:
        for page, pixels in journeys.too_wide:
            print(f"  FAIL: {page} slides {pixels} px sideways on a {PHONE} px screen", file=sys.stderr)
        print("\nFAILED phone width: pages wider than the screen (above)", file=sys.stderr)
        return 1
    print(f"all journeys passed in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
