"""What modem/ found or hit, in the shop's language: modem/ gives codes and facts, never our words.

Used by the setup screen's test and by `guanjia ports --probe` / `guanjia send`.
The phone's own strings (maker, model, a final result line) are outside text and
are cleaned where shown.
"""

from __future__ import annotations

from tui.i18n import TABLE, current_language, t


def probe_words(result) -> str:
    """A modem.probe.ProbeResult as one sentence: who, SIM, signal, registration, and what it cannot do."""
    from modem.probe import _brand  # the maker's name as the phone's own words, tidied

    brand = _brand(result.manufacturer)
    if brand and result.model.lower().startswith(brand.lower()):
        brand = ""  # "Nokia N79" names its maker already
    who = " ".join(x for x in (brand, result.model) if x) or t("modem.unnamed")
    if result.sim in ("ready", "missing", "busy"):
        sim = t(f"modem.sim.{result.sim}")
    elif result.sim.startswith("needs "):
        sim = t("modem.sim.needs", what=result.sim.removeprefix("needs "))
    else:
        sim = t("modem.sim.other", what=result.sim)
    signal = t("modem.no_signal") if result.bars is None else t("modem.signal", bars=result.bars)
    creg = getattr(result, "creg", "4")
    four_g_only = "4G only" in result.registration
    if four_g_only:
        registration = t("modem.lte_only")
    else:
        registration = t(f"modem.creg.{creg}") if f"modem.creg.{creg}" in TABLE else result.registration
    words = t("modem.summary", who=who, sim=sim, signal=signal, registration=registration)
    if result.announces is False:
        words += t("modem.not_announcing")
    if four_g_only and result.calls_ring is not True:
        switch = t("modem.ims_quectel") if "quectel" in result.manufacturer.lower() else t("modem.ims_general")
        words += t("modem.no_volte" if result.calls_ring is False else "modem.volte_unsaid", advice=switch)
    if result.restarts:
        words += t("modem.restarted", count=result.restarts)
    return words


def error_words(exc: BaseException) -> str:
    """A PhoneError (or any error from the line) in the current language; its own words if it has no code."""
    return coded_words(getattr(exc, "code", "") or "", dict(getattr(exc, "values", None) or {}), str(exc))


def coded_words(code: str, values: dict, fallback: str) -> str:
    """modem/'s words for `code` (probe.error_code's, cms.N / cme.N, retry) with `values`, else `fallback`."""
    if code == "retry":
        key = "modem.retry"
    else:
        key = f"modem.{code}" if code.startswith(("cms.", "cme.")) else f"modem.error.{code}"
    if not code or key not in TABLE:
        return fallback
    try:
        words = t(key, **values)
    except (KeyError, IndexError, ValueError):
        return fallback
    final = values.get("final")
    return f"{words} ({final})" if final and code.startswith(("cms.", "cme.")) else words


# The codes with a known remedy, and the table key that says what to do.
REMEDIES = {"denied": "setup.fix.dialout", "busy": "setup.fix.busy", "no_at": "setup.fix.no_at",
            "timeout": "setup.fix.no_at", "refused": "setup.fix.refused"}


def remedy_key(exc_or_code) -> str:
    """The words key for what to do about a failed test, or ''."""
    code = exc_or_code if isinstance(exc_or_code, str) else getattr(exc_or_code, "code", "")
    return REMEDIES.get(code or "", "")


def holder_words(holder) -> str:
    """Who holds the line (a store.lease.Holder), for the other terminals' status bar: name, where, process."""
    name, host = holder.name, holder.host
    if name.endswith(f"@{host}") or name == host:
        return t("line.holder.here", name=name, pid=holder.pid)
    return t("line.holder", name=name, host=host, pid=holder.pid)


def line_detail(event) -> str:
    """What a modem.events.LineChanged says is wrong (down) or next (reconnecting), in the shop's words.

    In English modem/'s own sentence is kept: it can say more (the port's errno) than its code does.
    """
    if current_language() == "en" and event.detail:
        return event.detail
    return coded_words(event.code, dict(event.values), event.detail)
