"""Clipboard: which path copies, fallbacks that never raise, and real OSC 52 bytes."""

from __future__ import annotations

import base64
import re

import pytest
from pyperclip import PyperclipException
from textual.app import App, ComposeResult
from textual.drivers.headless_driver import HeadlessDriver
from textual.widgets import Static

from tui.clipboard import (
    METHOD_OSC52,
    METHOD_SYSTEM,
    OSC52_SOFT_LIMIT,
    Clipboard,
    ClipboardMode,
    CopyResult,
    local_clipboard_reason,
)

DESKTOP = {"DISPLAY": ":0"}
TEXT = "Zoë Ångström — 李明 ✓\nsecond line\twith a tab"


class FakeSystem:
    """A pyperclip stand-in that records what it was given."""

    def __init__(self) -> None:
        self.copied: list[str] = []

    def copy(self, text: str) -> None:
        self.copied.append(text)


class NoMechanism:
    """pyperclip on a machine without xclip/xsel/wl-copy."""

    def __init__(self, error: Exception | None = None) -> None:
        self.calls = 0
        self.error = error or PyperclipException(
            "Pyperclip could not find a copy/paste mechanism for your system.\nOn Linux, you can run..."
        )

    def copy(self, text: str) -> None:
        self.calls += 1
        raise self.error


class Terminal:
    """Stands in for App.copy_to_clipboard."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def __call__(self, text: str) -> None:
        self.sent.append(text)


def make(
    *, env: dict[str, str], platform: str = "linux", mode: ClipboardMode | str = ClipboardMode.AUTO,
    backend: object | None = None,
) -> tuple[Clipboard, Terminal, FakeSystem | NoMechanism]:
    terminal = Terminal()
    system = backend if backend is not None else FakeSystem()
    clipboard = Clipboard(terminal, mode=mode, env=env, platform=platform, backend=system)  # type: ignore[arg-type]
    return clipboard, terminal, system  # type: ignore[return-value]


def test_desktop_uses_the_system_clipboard() -> None:
    clipboard, terminal, system = make(env=DESKTOP)
    assert clipboard.method == METHOD_SYSTEM
    assert clipboard.copy(TEXT) == CopyResult(True, METHOD_SYSTEM)
    assert system.copied == [TEXT]  # type: ignore[union-attr]
    assert terminal.sent == []


@pytest.mark.parametrize(
    ("env", "platform"),
    [({"WAYLAND_DISPLAY": "wayland-0"}, "linux"), ({}, "darwin"), ({}, "win32"), ({"WSL_DISTRO_NAME": "Ubuntu"}, "linux")],
)
def test_other_local_clipboards(env: dict[str, str], platform: str) -> None:
    clipboard, terminal, system = make(env=env, platform=platform)
    result = clipboard.copy("x")
    assert (result.ok, result.method) == (True, METHOD_SYSTEM)
    assert system.copied == ["x"]  # type: ignore[union-attr]
    assert terminal.sent == []


def test_headless_linux_uses_osc52_without_touching_pyperclip() -> None:
    clipboard, terminal, system = make(env={}, backend=NoMechanism())
    result = clipboard.copy(TEXT)
    assert result == CopyResult(True, METHOD_OSC52, "no local clipboard")
    assert terminal.sent == [TEXT]
    assert system.calls == 0  # type: ignore[union-attr]


def test_no_mechanism_falls_back_to_osc52_and_says_why() -> None:
    clipboard, terminal, system = make(env=DESKTOP, backend=NoMechanism())
    result = clipboard.copy(TEXT)
    assert result.ok and result.method == METHOD_OSC52
    assert result.detail == "system clipboard unavailable: Pyperclip could not find a copy/paste mechanism for your system."
    assert "Copied via OSC 52 (system clipboard unavailable" in result.message
    assert terminal.sent == [TEXT]
    # auto mode remembers: the next copy goes straight to OSC 52
    assert clipboard.method == METHOD_OSC52
    assert clipboard.copy("again").ok
    assert system.calls == 1  # type: ignore[union-attr]
    assert terminal.sent == [TEXT, "again"]


def test_other_backend_errors_fall_back_too() -> None:
    clipboard, terminal, _ = make(env=DESKTOP, backend=NoMechanism(FileNotFoundError("xclip")))
    result = clipboard.copy("x")
    assert (result.ok, result.method, result.detail) == (True, METHOD_OSC52, "system clipboard unavailable: xclip")
    assert terminal.sent == ["x"]


@pytest.mark.parametrize("variable", ["SSH_TTY", "SSH_CONNECTION"])
def test_ssh_forces_osc52_even_with_a_display(variable: str) -> None:
    clipboard, terminal, system = make(env={**DESKTOP, variable: "/dev/pts/3"})
    assert clipboard.copy("x") == CopyResult(True, METHOD_OSC52, "SSH session")
    assert system.copied == []  # type: ignore[union-attr]
    assert terminal.sent == ["x"]


def test_mode_osc52_forced_on_a_desktop() -> None:
    clipboard, terminal, system = make(env=DESKTOP, platform="darwin", mode="osc52")
    assert clipboard.copy("x") == CopyResult(True, METHOD_OSC52, "forced by setting")
    assert system.copied == []  # type: ignore[union-attr]
    assert terminal.sent == ["x"]


def test_mode_system_forced_over_ssh() -> None:
    clipboard, terminal, system = make(env={"SSH_TTY": "/dev/pts/1"}, mode=ClipboardMode.SYSTEM)
    assert clipboard.method == METHOD_SYSTEM
    assert clipboard.copy("x") == CopyResult(True, METHOD_SYSTEM)
    assert system.copied == ["x"]  # type: ignore[union-attr]
    assert terminal.sent == []


def test_mode_system_forced_still_falls_back_and_retries_next_time() -> None:
    clipboard, terminal, system = make(env={}, mode="system", backend=NoMechanism())
    first = clipboard.copy("x")
    assert first.ok and first.method == METHOD_OSC52 and "could not find" in first.detail
    clipboard.copy("y")
    assert system.calls == 2  # type: ignore[union-attr]
    assert terminal.sent == ["x", "y"]


def test_unknown_mode_is_refused_at_construction() -> None:
    with pytest.raises(ValueError):
        make(env={}, mode="carrier-pigeon")


@pytest.mark.parametrize("text", ["\x1b]52;c;aGk=\x07", "a\x1b[2Jb", "csi\x9b31m", "cr\r\n", "nul\x00", "del\x7f"])
def test_control_characters_are_refused_on_both_paths(text: str) -> None:
    for env in ({}, DESKTOP):
        clipboard, terminal, system = make(env=env)
        result = clipboard.copy(text)
        assert not result.ok and result.method == ""
        assert result.detail.startswith("text holds a control character (\\x")
        assert result.message.startswith("Not copied: ")
        assert terminal.sent == [] and system.copied == []  # type: ignore[union-attr]


def test_empty_text_is_not_copied() -> None:
    clipboard, terminal, _ = make(env={})
    assert clipboard.copy("") == CopyResult(False, "", "nothing to copy")
    assert terminal.sent == []


def test_osc52_errors_are_reported_not_raised() -> None:
    def broken(text: str) -> None:
        raise RuntimeError("driver gone")

    clipboard = Clipboard(broken, env={}, platform="linux", backend=FakeSystem())
    assert clipboard.copy("x") == CopyResult(False, METHOD_OSC52, "OSC 52 failed: driver gone")


def test_large_text_warns_about_terminal_caps() -> None:
    clipboard, _terminal, _ = make(env={})
    result = clipboard.copy("a" * (OSC52_SOFT_LIMIT + 1))
    assert result.ok and "100 kB" in result.detail
    assert "100 kB" not in clipboard.copy("a" * OSC52_SOFT_LIMIT).detail


def test_local_clipboard_reason() -> None:
    assert local_clipboard_reason({}, "linux") == "no local clipboard"
    assert local_clipboard_reason({"DISPLAY": ""}, "linux") == "no local clipboard"
    assert local_clipboard_reason({"DISPLAY": ":1"}, "linux") is None
    assert local_clipboard_reason({"SSH_CONNECTION": "1 2 3 4"}, "darwin") == "SSH session"


def test_copy_result_messages() -> None:
    assert CopyResult(True, METHOD_SYSTEM).message == "Copied to system clipboard"
    assert CopyResult(True, METHOD_OSC52, "SSH session").message == "Copied via OSC 52 (SSH session)"
    assert CopyResult(False, "").message == "Not copied"


# --------------------------------------------------------------------------- real Textual app

_OSC52_RE = re.compile(r"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07")


class TinyApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("papertray")


class NeverCalled:
    def copy(self, text: str) -> None:
        raise AssertionError("system clipboard must not be used on the OSC 52 path")


async def test_osc52_bytes_written_by_a_real_textual_app(monkeypatch: pytest.MonkeyPatch) -> None:
    written: list[str] = []
    monkeypatch.setattr(HeadlessDriver, "write", lambda self, data: written.append(data))
    app = TinyApp()
    async with app.run_test() as pilot:
        clipboard = Clipboard(app.copy_to_clipboard, env={"SSH_TTY": "/dev/pts/0", **DESKTOP}, backend=NeverCalled())
        result = clipboard.copy(TEXT)
        await pilot.pause()
        refused = clipboard.copy("evil\x1b]52;c;AAAA\x07")
    assert result == CopyResult(True, METHOD_OSC52, "SSH session")
    assert not refused.ok
    payloads = [payload for chunk in written for payload in _OSC52_RE.findall(chunk)]
    assert len(payloads) == 1
    assert base64.b64decode(payloads[0], validate=True).decode("utf-8") == TEXT
    assert app.clipboard == TEXT
