"""Headless Chromium for the real-browser tests: Debian's `chromium` and `chromium-driver`.

`./test` installs both with apt-get where it can (root or password-less sudo); elsewhere
the tests skip with one line saying so. Selenium is given both paths, so its driver
manager never runs and nothing is downloaded.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

BROWSERS = ("chromium", "chromium-browser")
DRIVER = "chromedriver"
ROOT = Path(__file__).resolve().parents[2]
PHONE = (390, 844)
"""A phone's viewport in CSS pixels (an iPhone 12-15)."""


def missing() -> str | None:
    """Why the real-browser tests cannot run here (one line), or None when they can."""
    browser = next((b for b in BROWSERS if shutil.which(b)), None)
    driver = shutil.which(DRIVER)
    if browser and driver:
        return None
    absent = " and ".join(n for n, found in (("chromium", browser), (DRIVER, driver)) if not found)
    if shutil.which("apt-get") is None:
        how = "this system has no apt-get: install Chromium and its chromedriver with its own packages"
    elif os.geteuid() != 0 and not _sudo_without_password():
        how = (
            "./test installs them with apt-get only as root or with password-less sudo: "
            "run `sudo apt-get install chromium chromium-driver`"
        )
    else:
        how = (
            "apt-get could not install them (offline?): `apt-get install chromium chromium-driver`"
        )
    return f"{absent} not on PATH; {how}"


def _sudo_without_password() -> bool:
    if shutil.which("sudo") is None:
        return False
    done = subprocess.run(["sudo", "-n", "true"], capture_output=True, check=False)
    return done.returncode == 0


def phone_browser(width: int = PHONE[0], height: int = PHONE[1]) -> Any:
    """A headless Chromium whose page is a phone's viewport; the caller quits it."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser = next(shutil.which(b) for b in BROWSERS if shutil.which(b))
    options = webdriver.ChromeOptions()
    options.binary_location = str(browser)
    for argument in (
        "--headless=new",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--hide-scrollbars",
        f"--window-size={width},{height}",
    ):
        options.add_argument(argument)
    if os.geteuid() == 0:  # Chromium refuses to run its sandbox as root
        options.add_argument("--no-sandbox")
    driver = webdriver.Chrome(
        service=Service(executable_path=shutil.which(DRIVER)), options=options
    )
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True},
    )
    return driver


def artifacts() -> Path:
    """Where browser tests leave screenshots for a person to look at (TTX_TEST_ARTIFACTS or test-artifacts/)."""
    folder = Path(os.environ.get("TTX_TEST_ARTIFACTS") or ROOT / "test-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def overflow(driver: Any) -> tuple[int, int]:
    """The page's width and the viewport's, in CSS pixels (equal or less: no sideways scrolling)."""
    width, inner = driver.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth]"
    )
    return int(width), int(inner)
