"""What a phone is and what is wrong with it, in words a shop owner can act on."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from modem import at, port, urc
from modem.doctor import RESTART_SIGNS
from modem.events import ModemStatus

# TS 27.005 §3.2.5 and TS 27.007 §9.2 codes a shop actually meets.
_CMS_WORDS = {
    38: "the network is out of order",
    41: "the network is busy; try again later",
    42: "the network is congested; try again later",
    50: "this SIM may not send texts (check the plan)",
    69: "the network does not support this text",
    96: "the text was malformed",
    301: "texts are not allowed on this SIM",
    302: "the phone refused to send",
    304: "the phone did not accept the text",
    310: "there is no SIM card in the phone",
    311: "the SIM card needs its PIN",
    313: "the SIM card is not working",
    314: "the SIM card is busy; try again",
    322: "the phone's memory is full",
    330: "the phone does not know its message centre number",
    331: "there is no network",
    332: "the network did not answer in time",
    500: "the phone could not send the text",
    512: "the network refused the text",
    515: "the phone is busy; try again",
}
_CME_WORDS = {
    10: "there is no SIM card in the phone",
    11: "the SIM card needs its PIN",
    12: "the SIM card needs its PUK",
    13: "the SIM card is not working",
    14: "the SIM card is busy; try again",
    15: "this is the wrong SIM card",
    30: "there is no network",
    31: "the network did not answer in time",
}
NOT_ANNOUNCING = ("; it will not announce new texts (+CNMI), so they are found by checking "
                  "its memory every few seconds")
_REGISTRATION = {"0": "not registered", "1": "registered (home)", "2": "searching for a network",
                 "3": "registration denied", "4": "registration unknown", "5": "registered (roaming)"}


class PhoneError(Exception):
    """Something the phone or network would not do, in plain words.

    For a failed send, two flags tell the outbox what to do: `before_any_byte`
    (the text never reached the modem: queue it again) and `refused` (the phone
    or network said no: it failed). Neither means it may have gone out.
    """

    def __init__(self, words: str, *, refused: bool = False, before_any_byte: bool = False, code: str = "",
                 values: dict[str, object] | None = None) -> None:
        super().__init__(words)
        self.refused = refused
        self.before_any_byte = before_any_byte
        # The same words as a code (see error_code), so a screen can say them in its own language.
        self.code = code
        self.values = values or {}


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """What `guanjia ports --probe` found on a port."""

    manufacturer: str
    model: str
    sim: str  # "ready", "needs SIM PIN", "missing", "busy", "unknown"
    bars: int | None
    registration: str
    summary: str
    announces: bool | None = None  # can it announce new texts (+CNMI=? fits one of our choices); None: not asked
    creg: str = "4"  # the +CREG status digit the registration words say (0-5; 4 unknown)
    calls_ring: bool | None = None  # False: on 4G only without voice over LTE, so no call reaches it
    restarts: int = 0  # times the modem said it was starting (RDY, ^SYSSTART) while it was tested

    @property
    def usable(self) -> bool:
        """True when this phone can take calls and texts now."""
        return self.sim == "ready" and self.registration.startswith("registered")


def plain_error(exc: BaseException, fallback: str) -> str:
    """A sentence for an AT error, a timeout or a lost port."""
    code = getattr(exc, "code", None)
    final = str(getattr(exc, "final", "") or "")
    if isinstance(code, int):
        words = (_CMS_WORDS if "CMS" in final else _CME_WORDS).get(code)
        if words:
            return f"{words} ({final})"
    name = type(exc).__name__
    if name == "AtTimeout":
        return f"{fallback}: the phone did not answer in time"
    if name == "PortGone" or isinstance(exc, OSError):
        return f"{fallback}: the phone's port is gone ({exc})"
    detail = final or str(exc)
    return f"{fallback} ({detail})" if detail else fallback


def error_code(exc: BaseException) -> tuple[str, dict[str, object]]:
    """The code of what plain_error says about `exc`: cms.N / cme.N, timeout, denied, busy, gone or other."""
    code = getattr(exc, "code", None)
    final = str(getattr(exc, "final", "") or "")
    if isinstance(code, int):
        kind = "cms" if "CMS" in final else "cme"
        if code in (_CMS_WORDS if kind == "cms" else _CME_WORDS):
            return f"{kind}.{code}", {"final": final}
    if type(exc).__name__ == "AtTimeout":
        return "timeout", {}
    if isinstance(exc, port.PortGone):
        kind = {"EACCES": "denied", "EPERM": "denied", "EBUSY": "busy", "ECONNREFUSED": "refused"}.get(exc.why, "gone")
        return kind, {"url": exc.url, "why": exc.why}
    if isinstance(exc, OSError):
        return "gone", {"url": "", "why": str(exc)}
    return "other", {"detail": final or str(exc)}


def probe_summary(answers: dict[str, list[str] | None]) -> ProbeResult:
    """Read ATI/+CGMI/+CGMM/+CPIN?/+CSQ/+CREG? answers (None for an error) into a ProbeResult."""
    ati = [x for x in answers.get("ATI") or [] if x.strip() and x.strip() != "OK"]
    manufacturer = _info(answers.get("AT+CGMI")) or (ati[0] if ati else "")
    model = _info(answers.get("AT+CGMM")) or (ati[1] if len(ati) > 1 else "")
    manufacturer = _untagged(manufacturer, "Manufacturer:")
    model = _untagged(model, "Model:")
    cpin = answers.get("AT+CPIN?")
    if cpin is None:
        sim = "missing"
    else:
        status = urc.parse_cpin(cpin) or "READY"
        sim = {"READY": "ready", "BUSY": "busy"}.get(status, f"needs {status}")
    bars = urc.parse_csq(answers.get("AT+CSQ") or []).bars
    registration = _registered(answers.get("AT+CREG?"), "+CREG") or "registration unknown"
    creg = _status(answers.get("AT+CREG?"), "+CREG")
    calls_ring = None
    lte = _registered(answers.get("AT+CEREG?"), "+CEREG")
    if lte and lte.startswith("registered") and not registration.startswith("registered"):
        # 4G only: calls reach this line only over IMS (VoLTE); 2G/3G are being switched off.
        registration = lte.replace(")", ", 4G only)")
        calls_ring = _ims_registered(answers.get("AT+CIREG?"))
    brand = _brand(manufacturer)
    if brand and model.lower().startswith(brand.lower()):
        brand = ""  # "Nokia N79" names its maker already
    who = " ".join(x for x in (brand, model) if x) or "an unnamed phone"
    sim_words = {"ready": "SIM ready", "missing": "no SIM card", "busy": "SIM busy"}.get(sim, f"SIM {sim}")
    signal = "no signal" if bars is None else f"signal {bars}/5"
    summary = f"{who}, {sim_words}, {signal}, {registration}"
    if calls_ring is not True and registration.endswith("4G only)"):
        summary += no_volte_words(manufacturer, known=calls_ring is False)
    announces = None
    if "AT+CNMI=?" in answers:
        announces = cnmi_fits(answers["AT+CNMI=?"])
        if not announces:
            summary += NOT_ANNOUNCING
    return ProbeResult(manufacturer, model, sim, bars, registration, summary, announces, creg, calls_ring)


# What turns IMS (VoLTE) on, by maker, where we know it; anything else gets the general advice.
_IMS_SWITCH = {"quectel": 'send AT+QCFG="ims",1 and restart the modem'}


def no_volte_words(manufacturer: str, *, known: bool) -> str:
    """The warning for a 4G-only line whose voice over LTE is off (or not said), with what to try."""
    switch = next((how for maker, how in _IMS_SWITCH.items() if maker in manufacturer.lower()), None)
    advice = switch or "turn on IMS/VoLTE in the modem's settings"
    if known:
        return (f"; calls cannot ring on this modem/SIM: no VoLTE (it is on 4G only and voice over LTE is "
                f"not registered); try: {advice}, or a SIM whose plan has VoLTE")
    return (f"; calls may not ring on this modem/SIM: it is on 4G only and does not say whether VoLTE is on "
            f"(AT+CIREG?); try: {advice}")


def _registered(lines: list[str] | None, head: str) -> str | None:
    """Plain words for a +CREG?/+CEREG? reply (`<n>,<stat>...`), None when there is none."""
    for line in lines or []:
        m = re.match(rf"\{head}:\s*(?:\d+\s*,\s*)?(\d+)", line)
        if m:
            return _REGISTRATION.get(m.group(1), "registration unknown")
    return None


def _status(lines: list[str] | None, head: str) -> str:
    """The status digit of a +CREG?/+CEREG? reply when we have words for it, else "4" (unknown)."""
    for line in lines or []:
        m = re.match(rf"\{head}:\s*(?:\d+\s*,\s*)?(\d+)", line)
        if m and m.group(1) in _REGISTRATION:
            return m.group(1)
    return "4"


def _ims_registered(lines: list[str] | None) -> bool | None:
    """AT+CIREG? → `+CIREG: <n>,<reg_info>[,...]`: True registered, False not, None when the phone will not say."""
    for line in lines or []:
        m = re.match(r"\+CIREG:\s*\d+\s*,\s*(\d+)", line)
        if m:
            return m.group(1) == "1"
    return None


def cnmi_fits(lines: list[str] | None) -> bool:
    """True if the AT+CNMI=? answer allows one of the settings the line tries (a refused question: False)."""
    from modem.setup import CNMI_CHOICES

    body = next((x.split(":", 1)[1] for x in lines or [] if x.startswith("+CNMI")), None)
    if body is None:
        return False
    allowed = [_values(group) for group in re.findall(r"\(([^()]*)\)", body)]
    for choice in CNMI_CHOICES:
        wanted = [int(v) for v in choice.split(",")]
        if all(i >= len(allowed) or v in allowed[i] for i, v in enumerate(wanted)):
            return True
    return False


def _values(group: str) -> set[int]:
    """`0,1,2` or `0-3` (or both) → the numbers."""
    out: set[int] = set()
    for item in group.split(","):
        low, _, high = item.strip().partition("-")
        if low.isdigit() and (not high or high.isdigit()):
            out.update(range(int(low), int(high or low) + 1))
    return out


def _untagged(text: str, tag: str) -> str:
    """`Model: I: SCH-U706/99` → `SCH-U706/99`: the tag, and the `I:` some phones repeat from ATI."""
    text = text.strip().removeprefix(tag).strip()
    return text[2:].strip() if text[:2].upper() == "I:" else text


def _info(lines: list[str] | None) -> str:
    for line in lines or []:
        text = line.strip()
        if text and text != "OK":
            return text.split(":", 1)[1].strip() if text.startswith("+CGM") else text
    return ""


def _brand(manufacturer: str) -> str:
    # Modems shout or decorate their maker's name (huawei, SIMCOM_Ltd, QUALCOMM INCORPORATED).
    name = manufacturer.replace("_Ltd", "").replace(" INCORPORATED", "").strip()
    return name.capitalize() if name.islower() else name


async def identify(ask) -> ProbeResult:
    """Ask ATI/+CGMI/+CGMM/+CPIN?/+CSQ/+CREG? through `ask` (one command → reply lines)."""
    answers: dict[str, list[str] | None] = {}
    for line in ("ATI", "AT+CGMI", "AT+CGMM", "AT+CPIN?", "AT+CSQ", "AT+CREG?", "AT+CEREG?", "AT+CIREG?",
                 "AT+CNMI=?"):
        try:
            answers[line] = await ask(line)
        except at.AtTimeout:
            raise
        except at.AtError as exc:
            answers[line] = ["+CPIN: BUSY"] if exc.busy else None
    return probe_summary(answers)


async def probe_port(url: str, *, baudrate: int = 115200, rtscts: bool = False) -> ProbeResult:
    """Open `url` (any pyserial URL or sim://), say who the phone is and whether it can work, close it."""
    from modem.sim import SimPhone, sim_options

    simulator = await SimPhone(**sim_options(url)).start() if url.startswith("sim://") else None
    engine = None
    restarts = 0

    def heard(item: object) -> None:
        nonlocal restarts
        if isinstance(item, ModemStatus) and item.what in RESTART_SIGNS:
            restarts += 1

    try:
        line = await port.open_port(simulator.path if simulator else url, baudrate=baudrate, rtscts=rtscts)
        engine = at.Engine(line, on_event=heard)
        await engine.start()
        for attempt in range(3):
            try:
                await engine.command("AT", timeout=1.0)
                break
            except at.AtTimeout:
                if attempt == 2:
                    raise PhoneError("nothing answers AT on this port: is it the modem's AT port?",
                                     code="no_at") from None
            except at.AtError:
                break  # an answer, even ERROR, is a phone
        for setting in ("ATE0", "AT+CMEE=1"):
            try:
                await engine.command(setting, timeout=2.0)
            except at.AtTimeout:
                raise
            except at.AtError:
                pass  # old phones lack it; the answers still come
        found = await identify(lambda command: engine.command(command, timeout=5.0))
        if restarts:
            found = dataclasses.replace(found, restarts=restarts, summary=found.summary + (
                f"; the modem restarted {restarts} time{'s' if restarts > 1 else ''} while it was tested "
                f"(a boot loop?): check its power supply and USB cable"))
        return found
    except (port.PortGone, at.AtError, OSError) as exc:
        code, values = error_code(exc)
        raise PhoneError(plain_error(exc, "the phone is not answering"), code=code, values=values) from None
    finally:
        if engine is not None:
            await engine.close()
        if simulator is not None:
            await simulator.close()
