"""Copying text out of the terminal: the system clipboard or OSC 52.

Two paths, because neither works everywhere:

* **System clipboard** through ``pyperclip`` (pbcopy, clip.exe, xclip, xsel,
  wl-copy). It only works on the machine that runs papertray, and only when
  that machine has a clipboard: a desktop session (``DISPLAY`` or
  ``WAYLAND_DISPLAY``), macOS, Windows or WSL.
* **OSC 52**: an escape sequence that asks the *terminal* to set its clipboard.
  It works over SSH and on headless machines, as long as the terminal allows
  it (most do; some ask first or cap the size). The app passes
  ``App.copy_to_clipboard``, which writes the sequence through its driver.

``auto`` uses the system clipboard when there is a local one and we are not
in an SSH session (then the local clipboard belongs to the remote host and the
user would never see the text), OSC 52 otherwise. ``osc52`` and ``system``
force one path. pyperclip failing (``PyperclipException``: "could not find a
copy/paste mechanism", or a helper program that breaks) never escapes: the
text goes through OSC 52 instead and the result says why. In ``auto`` mode a
failed system clipboard is not tried again in the same session.

Text is checked before it is copied: ESC and other control characters (but
newline and tab) are refused, so a hostile title or abstract cannot smuggle
escape sequences to the terminal, or into another program, through a paste.

This module does not import textual, so it can be tested without an app.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

METHOD_OSC52 = "OSC 52"
METHOD_SYSTEM = "system clipboard"

OSC52_SOFT_LIMIT = 75_000
"""Bytes of text whose base64 is 100,000 characters, a common terminal cap."""

_FORBIDDEN_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 controls but tab and newline, DEL, and C1 controls (``\\x9b`` is a CSI)."""


class ClipboardBackend(Protocol):
    """What the system path needs from pyperclip (tests pass a fake)."""

    def copy(self, text: str) -> None: ...


class ClipboardMode(str, Enum):
    """Which path copies text (a user setting)."""

    AUTO = "auto"
    OSC52 = "osc52"
    SYSTEM = "system"


@dataclass(frozen=True)
class CopyResult:
    """What one copy did, for a notification."""

    ok: bool
    method: str
    """``"OSC 52"``, ``"system clipboard"``, or ``""`` when the text was refused."""
    detail: str = ""
    """Why this path, or why it failed; empty when there is nothing to add."""

    @property
    def message(self) -> str:
        """One line for a toast: "Copied to system clipboard", "Not copied: ..."."""
        if not self.ok:
            return f"Not copied: {self.detail}" if self.detail else "Not copied"
        head = "Copied to system clipboard" if self.method == METHOD_SYSTEM else "Copied via OSC 52"
        return f"{head} ({self.detail})" if self.detail else head


def unsafe_character(text: str) -> str | None:
    """The first character that must not be copied, as ``\\x1b``, or None when safe.

    Args:
        text: Text about to be copied.

    Returns:
        An escaped spelling of the first control character other than newline
        and tab, or None.
    """
    match = _FORBIDDEN_RE.search(text)
    return f"\\x{ord(match.group(0)):02x}" if match else None


def local_clipboard_reason(env: Mapping[str, str], platform: str) -> str | None:
    """Why there is no usable local clipboard, or None when there is one.

    Args:
        env: Environment variables (``os.environ`` in the app).
        platform: ``sys.platform`` ("linux", "darwin", "win32"...).

    Returns:
        "SSH session" or "no local clipboard" when OSC 52 should be used,
        None when the system clipboard should be tried.
    """
    if env.get("SSH_TTY") or env.get("SSH_CONNECTION"):
        return "SSH session"
    if platform == "darwin" or platform.startswith(("win32", "cygwin", "msys")):
        return None
    if env.get("WSL_DISTRO_NAME") or env.get("WSL_INTEROP"):
        return None
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return "no local clipboard"


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    line = text[0] if text else type(error).__name__
    return line if len(line) <= 120 else line[:119] + "…"


class Clipboard:
    """Copies text by the path the mode and the environment call for.

    Args:
        osc52: Sends text as OSC 52 (the app passes ``App.copy_to_clipboard``).
        mode: ``auto`` (default), or ``osc52`` / ``system`` to force a path.
        env: Environment to judge by; ``os.environ`` when None.
        platform: Platform to judge by; ``sys.platform`` when None.
        backend: The system clipboard; the ``pyperclip`` module when None.
    """

    def __init__(
        self,
        osc52: Callable[[str], None],
        *,
        mode: ClipboardMode | str = ClipboardMode.AUTO,
        env: Mapping[str, str] | None = None,
        platform: str | None = None,
        backend: ClipboardBackend | None = None,
    ) -> None:
        self._osc52 = osc52
        self.mode = ClipboardMode(mode)
        self._env: Mapping[str, str] = os.environ if env is None else env
        self._platform = sys.platform if platform is None else platform
        self._backend: ClipboardBackend | None = backend
        """None until the first system copy: pyperclip is imported only when used."""
        self._system_failure: str | None = None

    @property
    def method(self) -> str:
        """The path the next copy will try first ("OSC 52" or "system clipboard")."""
        if self.mode is ClipboardMode.OSC52:
            return METHOD_OSC52
        if self.mode is ClipboardMode.SYSTEM:
            return METHOD_SYSTEM
        if self._system_failure or local_clipboard_reason(self._env, self._platform):
            return METHOD_OSC52
        return METHOD_SYSTEM

    def copy(self, text: str) -> CopyResult:
        """Copy ``text``; never raises.

        Args:
            text: What to copy; newline and tab are the only control
                characters allowed.

        Returns:
            Whether it was copied, by which path, and why.
        """
        if not text:
            return CopyResult(False, "", "nothing to copy")
        bad = unsafe_character(text)
        if bad:
            return CopyResult(False, "", f"text holds a control character ({bad})")
        if self.mode is ClipboardMode.OSC52:
            return self._send_osc52(text, "forced by setting")
        if self.mode is ClipboardMode.AUTO:
            if self._system_failure:
                return self._send_osc52(text, f"system clipboard unavailable: {self._system_failure}")
            reason = local_clipboard_reason(self._env, self._platform)
            if reason:
                return self._send_osc52(text, reason)
        try:
            if self._backend is None:
                import pyperclip

                self._backend = pyperclip
            self._backend.copy(text)
        except Exception as error:
            # PyperclipException is the usual one; xclip or wl-copy can also
            # fail with OSError. None of them may take the app down.
            failure = _first_line(error)
            if self.mode is ClipboardMode.AUTO:
                self._system_failure = failure
            return self._send_osc52(text, f"system clipboard unavailable: {failure}")
        return CopyResult(True, METHOD_SYSTEM)

    def _send_osc52(self, text: str, reason: str) -> CopyResult:
        try:
            self._osc52(text)
        except Exception as error:
            return CopyResult(False, METHOD_OSC52, f"OSC 52 failed: {_first_line(error)}")
        if len(text.encode("utf-8")) > OSC52_SOFT_LIMIT:
            reason += "; large text, some terminals cut OSC 52 at 100 kB"
        return CopyResult(True, METHOD_OSC52, reason)
