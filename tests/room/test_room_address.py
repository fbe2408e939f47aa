"""The laptop's address on the local network: found without sending a packet; loopback when there is none."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any, ClassVar

import pytest

from ttx.room import address


class _Probe:
    """A UDP socket that records what is asked of it."""

    calls: ClassVar[list[str]] = []
    local = "192.168.1.20"
    fail = False

    def __init__(self, family: int, kind: int) -> None:
        assert (family, kind) == (socket.AF_INET, socket.SOCK_DGRAM)

    def __enter__(self) -> _Probe:
        return self

    def __exit__(self, *exc: object) -> None:
        self.calls.append("close")

    def connect(self, target: tuple[str, int]) -> None:
        self.calls.append("connect")
        if self.fail:
            raise OSError("Network is unreachable")

    def getsockname(self) -> tuple[str, int]:
        return (self.local, 40000)

    def __getattr__(self, name: str) -> Any:  # send, sendto, sendall...: never expected
        raise AssertionError(f"the probe must not {name}")


@pytest.fixture
def probe(monkeypatch: pytest.MonkeyPatch) -> type[_Probe]:
    _Probe.calls, _Probe.fail, _Probe.local = [], False, "192.168.1.20"
    monkeypatch.setattr(address.socket, "socket", _Probe)
    return _Probe


def test_the_address_is_the_routes_local_end_and_nothing_is_sent(probe: type[_Probe]) -> None:
    assert address.lan_address() == "192.168.1.20"
    assert probe.calls == ["connect", "close"]


def test_no_network_falls_back_to_loopback(probe: type[_Probe]) -> None:
    probe.fail = True
    assert address.lan_address() == "127.0.0.1"
    probe.fail, probe.local = False, "0.0.0.0"
    assert address.lan_address() == "127.0.0.1"


def test_on_this_machine_it_is_an_ipv4_address() -> None:
    found = ipaddress.ip_address(address.lan_address())
    assert found.version == 4 and not found.is_unspecified
