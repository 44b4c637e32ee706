"""Every public method of every service the Workstation hands out has a rule in the access policy, and every
service it hands out is behind the guard: a new service or method cannot slip past the role check."""
from __future__ import annotations

import functools
import inspect

import pytest

from weibao_desktop.services import WeibaoError, Workstation
from weibao_desktop.services.access import POLICY, Guarded
from weibao_desktop.services.base import Context


def _services(ws: Workstation) -> dict[str, object]:
    """Every attribute of the workstation that is a service (holds the context), lazily made ones included."""
    lazy = {n for n, v in vars(type(ws)).items() if isinstance(v, property | functools.cached_property)}
    names = set(vars(ws)) | lazy
    out = {}
    for name in sorted(names):
        if name.startswith("_") or name in ("ctx", "store", "actor"):
            continue
        value = getattr(ws, name)
        if isinstance(value, Guarded) or isinstance(getattr(value, "ctx", None), Context):
            out[name] = value
    return out


def _public_methods(service) -> list[str]:
    target = object.__getattribute__(service, "_service") if isinstance(service, Guarded) else service
    return [n for n, v in inspect.getmembers(type(target), callable) if not n.startswith("_")]


def test_every_service_the_workstation_hands_out_is_guarded(ws):
    services = _services(ws)
    assert {"children", "visits", "ledger", "exchange", "printing", "maintenance", "audit", "stations"} <= set(services)
    unguarded = [name for name, service in services.items() if not isinstance(service, Guarded)]
    assert unguarded == [], f"services without the access guard: {unguarded}"


def test_every_public_service_method_has_a_policy_entry(ws):
    missing = [f"{name}.{method}" for name, service in _services(ws).items() for method in _public_methods(service)
               if f"{name}.{method}" not in POLICY]
    assert missing == [], "add a line to services/access.py POLICY for: " + ", ".join(missing)


def test_policy_has_no_entry_for_a_method_that_does_not_exist(ws):
    known = {f"{name}.{method}" for name, service in _services(ws).items() for method in _public_methods(service)}
    assert sorted(set(POLICY) - known) == []


def test_a_method_without_a_rule_is_refused(ws):
    class Extra:
        def __init__(self, ctx):
            self.ctx = ctx

        def anything(self):
            return "ran"

    from weibao_desktop.services.access import guard

    extra = guard(Extra(ws.ctx), "extra", ws.ctx)
    with pytest.raises(WeibaoError, match="尚未登记权限（extra.anything）"):
        extra.anything()
