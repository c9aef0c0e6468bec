"""Every word the desk shows, in Chinese and English; the language comes from config, then LANG."""

from __future__ import annotations

import os
from dataclasses import replace

# One table, key → (zh, en). Keys name the thing in English so code reads plainly.
TABLE: dict[str, tuple[str, str]] = {
    "app.title": ("管家", "Guanjia"),
    # screens
    "screen.desk": ("前台", "Desk"),
    "screen.customers": ("客户", "Customers"),
    "screen.messages": ("短信", "Messages"),
    "screen.templates": ("模板", "Templates"),
    "screen.settings": ("设置", "Settings"),
    "screen.help": ("按键帮助", "Keys"),
    "screen.setup": ("线路设置", "Line setup"),
    # bindings
    "key.desk": ("前台", "Desk"),
    "key.customers": ("客户", "Customers"),
    "key.messages": ("短信", "Texts"),
    "key.templates": ("模板", "Templates"),
    "key.settings": ("设置", "Settings"),
    "key.help": ("帮助", "Help"),
    "key.quit": ("退出", "Quit"),
    "key.back": ("返回", "Back"),
    "key.palette": ("命令", "Commands"),
    "key.compose": ("写短信", "Text"),
    "key.add_caller": ("添加来电", "Add"),
    "key.ring_now": ("模拟来电", "Ring"),
    "key.call_back": ("已回电", "Returned"),
    "key.privacy": ("隐私", "Privacy"),
    "key.new": ("新建", "New"),
    "key.edit": ("编辑", "Edit"),
    "key.save": ("保存", "Save"),
    "key.send": ("发送", "Send"),
    "key.reply": ("回复", "Reply"),
    "key.up": ("上移", "Move up"),
    "key.down": ("下移", "Move down"),
    "key.history": ("往来", "History"),
    "key.setup": ("线路", "Line"),
    "key.test": ("测试", "Test"),
    "key.refresh": ("刷新", "Refresh"),
    "key.visit": ("到店", "Visit"),
    "key.booking": ("预订", "Booking"),
    "key.merge": ("合并", "Merge"),
    "key.pick": ("选定", "Choose"),
    # tooltips
    "tip.desk": ("回到前台：来电记录、客户卡片和短信", "Back to the desk: calls, card and texts"),
    "tip.customers": ("查找、添加、编辑客户", "Find, add and edit customers"),
    "tip.messages": ("短信往来，未读在前", "Text threads, unread first"),
    "tip.templates": ("短信模板：添加、编辑、排序", "SMS templates: add, edit, order"),
    "tip.settings": ("店名、地区、时区、语言、隐私", "Shop name, region, time zone, language, privacy"),
    "tip.help": ("列出所有按键", "List every key"),
    "tip.quit": ("退出管家", "Leave guanjia"),
    "tip.back": ("关闭这一页", "Close this page"),
    "tip.palette": ("搜索命令和客户（支持拼音）", "Search commands and customers (pinyin works)"),
    "tip.compose": ("给选中的号码写短信", "Write a text to the selected number"),
    "tip.add_caller": ("把这个陌生号码加为客户", "Add this unknown number as a customer"),
    "tip.ring_now": ("演示：让模拟电话现在响铃", "Demo: make the simulated phone ring now"),
    "tip.call_back": ("把这个未接来电标为已回电", "Mark this missed call as called back"),
    "tip.privacy": ("隐藏号码中间四位", "Hide the middle digits of numbers"),
    "tip.new": ("新建一条", "Add a new one"),
    "tip.edit": ("编辑选中的一条", "Edit the selected one"),
    "tip.save": ("保存修改", "Save the changes"),
    "tip.send": ("确认后放入发件箱", "Queue in the outbox after confirming"),
    "tip.reply": ("回复这个号码", "Reply to this number"),
    "tip.up": ("在列表中上移", "Move up in the list"),
    "tip.down": ("在列表中下移", "Move down in the list"),
    "tip.history": ("这位客户的来电、到店和短信", "This customer's calls, visits and texts"),
    "tip.setup": ("选择、测试并保存电话的端口", "Pick, test and save the phone's port"),
    "tip.test": ("问问这个端口上的电话是谁、能不能用", "Ask the phone on this port who it is and whether it works"),
    "tip.save_line": ("记住这个端口，下次启动时使用", "Remember this port; the line uses it from the next start"),
    "tip.refresh": ("重新查找串口（刚插上电话时）", "Look for serial ports again (after plugging a phone in)"),
    "tip.visit": ("给选中的客户记一次到店消费", "Record a visit by the selected customer"),
    "tip.booking": ("给选中的客户记一个预订（日期、时间、人数、包间）",
                    "Record a booking for the selected customer (day, time, party, room)"),
    "tip.merge": ("把另一位客户并入选中的客户（号码和往来都保留）",
                  "Fold another customer into the selected one (numbers and history kept)"),
    "tip.pick": ("选这位客户", "Choose this customer"),
    # panes
    "pane.calls": ("来电记录", "Calls"),
    "pane.card": ("客户卡片", "Customer"),
    "pane.composer": ("短信", "Text"),
    # call log
    "call.answered": ("已接", "answered"),
    "call.missed": ("未接", "missed"),
    "call.rejected": ("拒接", "rejected"),
    "call.ringing": ("响铃", "ringing"),
    "call.talking": ("通话", "talking"),
    "call.out": ("呼出", "outgoing"),
    "call.callback": ("待回电", "call back"),
    "call.withheld": ("隐藏号码", "withheld"),
    "call.none": ("还没有来电", "No calls yet"),
    "call.today": ("今天 {calls} 个来电，{missed} 个未接", "Today {calls} calls, {missed} missed"),
    # card
    "card.none": ("选中一个来电查看客户", "Pick a call to see the customer"),
    "card.unknown": ("陌生号码", "Unknown number"),
    "card.add_hint": ("按 a 添加为客户", "Press a to add this caller"),
    "card.blocked": ("⚠ 已拉黑：此号码被列入黑名单", "⚠ BLOCKED: this number is on the block list"),
    "card.opt_out": ("不接收营销短信", "no marketing texts"),
    "card.tier": ("等级", "Tier"),
    "card.numbers": ("号码", "Numbers"),
    "card.calls": ("来电", "Calls"),
    "card.calls_value": ("30天 {d30} · 共 {total}", "30 days {d30} · all {total}"),
    "card.visits": ("到店", "Visits"),
    "card.spend": ("消费", "Spend"),
    "card.spend_value": ("共 ¥{total} · 均 ¥{avg}", "¥{total} total · ¥{avg} avg"),
    "card.last_visit": ("上次到店", "Last visit"),
    "card.favourites": ("常点", "Favourites"),
    "card.birthday": ("生日", "Birthday"),
    "card.birthday_in": ("{days} 天后", "in {days} days"),
    "card.birthday_today": ("今天！", "today!"),
    "card.tags": ("标签", "Tags"),
    "card.notes": ("备注", "Notes"),
    "card.texts": ("最近短信", "Last texts"),
    "card.where": ("归属地", "From"),
    # composer
    "composer.to": ("收件人", "To"),
    "composer.template": ("模板（输入筛选）", "Template (type to filter)"),
    "composer.body": ("内容", "Text"),
    "composer.counter": ("{chars} 字 · {parts} 条 · {encoding} · 本条还剩 {remaining}",
                         "{chars} chars · {parts} part(s) · {encoding} · {remaining} left"),
    "composer.confirm": ("发送给 {to}？共 {parts} 条。", "Send to {to}? {parts} part(s)."),
    "composer.queued": ("已放入发件箱", "queued"),
    "composer.sending": ("发送中", "sending"),
    "composer.sent": ("已发送", "sent"),
    "composer.delivered": ("已送达", "delivered"),
    "composer.failed": ("发送失败", "failed"),
    "composer.unknown": ("状态不明", "unknown"),
    "composer.empty": ("先填写收件人和内容", "Fill in a recipient and a text first"),
    "composer.bad_number": ("号码不对：{reason}", "Not a number: {reason}"),
    "yes": ("是", "Yes"),
    "no": ("否", "No"),
    "cancel": ("取消", "Cancel"),
    "save": ("保存", "Save"),
    # status bar
    "line.up": ("线路正常", "line up"),
    "line.connecting": ("连接中", "connecting"),
    "line.reconnecting": ("重新连接中", "reconnecting"),
    "line.down": ("线路断开", "line down"),
    "line.closed": ("线路关闭", "line closed"),
    "line.simulated": ("模拟电话", "simulated"),
    "line.held": ("线路在 {holder}", "line held by {holder}"),
    "line.none": ("未连接电话", "no phone"),
    "status.unread": ("未读 {n}", "unread {n}"),
    "status.outbox": ("待发 {n}", "outbox {n}"),
    "status.signal": ("信号", "signal"),
    "status.privacy": ("隐私", "privacy"),
    # customers
    "customers.search": ("搜索：姓名、拼音首字母、号码、尾号", "Search: name, pinyin initials, number, last digits"),
    "customers.none": ("没有找到", "Nothing found"),
    "customers.added": ("已添加 {name}", "Added {name}"),
    "customers.saved": ("已保存 {name}", "Saved {name}"),
    "col.name": ("姓名", "Name"),
    "col.number": ("号码", "Number"),
    "col.tier": ("等级", "Tier"),
    "col.why": ("匹配", "Match"),
    "col.time": ("时间", "Time"),
    "col.outcome": ("结果", "Outcome"),
    "col.duration": ("时长", "Length"),
    "col.status": ("状态", "Status"),
    "col.body": ("内容", "Text"),
    "col.category": ("类别", "Category"),
    # customer form
    "form.new": ("新客户", "New customer"),
    "form.edit": ("编辑客户", "Edit customer"),
    "form.name": ("姓名", "Name"),
    "form.number": ("电话", "Phone"),
    "form.tier": ("等级", "Tier"),
    "form.birthday": ("生日（YYYY-MM-DD）", "Birthday (YYYY-MM-DD)"),
    "form.tags": ("标签（逗号分隔）", "Tags (comma separated)"),
    "form.notes": ("备注", "Notes"),
    "form.need_name_or_number": ("请填写姓名或电话", "Give a name or a phone number"),
    "form.bad_date": ("生日格式应为 YYYY-MM-DD", "Birthday should look like YYYY-MM-DD"),
    # history
    "history.title": ("{name} 的往来", "History of {name}"),
    "history.calls": ("来电", "Calls"),
    "history.visits": ("到店", "Visits"),
    "history.texts": ("短信", "Texts"),
    "history.bookings": ("预订", "Booking"),
    "history.party": ("{n}人", "{n} people"),
    "history.numbers": ("号码：{numbers}", "Numbers: {numbers}"),
    "history.no_numbers": ("没有号码", "no number"),
    # visits and bookings
    "customers.pick_first": ("请先在列表中选中一位客户", "Select a customer in the list first"),
    "visit.new_visit": ("记录到店：{name}", "Visit by {name}"),
    "visit.new_booking": ("记录预订：{name}", "Booking for {name}"),
    "visit.date": ("日期（YYYY-MM-DD）", "Date (YYYY-MM-DD)"),
    "visit.time": ("时间（HH:MM）", "Time (HH:MM)"),
    "visit.amount": ("金额（元）", "Amount (yuan)"),
    "visit.items": ("消费项目", "Items"),
    "visit.notes": ("备注", "Notes"),
    "visit.party": ("人数", "Party size"),
    "visit.room": ("包间", "Room"),
    "visit.bad_amount": ("金额应为数字，例如 128 或 56.5", "The amount should be a number of yuan, like 128 or 56.50"),
    "visit.negative_amount": ("金额不能是负数", "The amount cannot be negative"),
    "visit.fen": ("金额最多精确到分（两位小数）", "The amount goes to the fen at most (two decimals)"),
    "visit.too_much": ("金额太大，请检查", "That amount is too large; check it"),
    "visit.bad_date": ("日期格式应为 YYYY-MM-DD，例如 2026-11-25", "The date should look like YYYY-MM-DD, e.g. 2026-11-25"),
    "visit.bad_time": ("时间格式应为 HH:MM，例如 18:30", "The time should look like HH:MM, e.g. 18:30"),
    "visit.need_time": ("预订请填写时间", "A booking needs a time"),
    "visit.past_booking": ("这个预订日期已经过了", "That booking day has already passed"),
    "visit.bad_party": ("人数应为 1 到 999 的整数", "The party size should be a whole number from 1 to 999"),
    "visit.saved": ("已记录 {name} 的到店", "Recorded a visit by {name}"),
    "visit.booked": ("已记录 {name} 的预订", "Recorded a booking for {name}"),
    "visit.confirm_queued": ("预订确认短信已放入发件箱", "The booking confirmation is in the outbox"),
    # merging two customers
    "merge.title": ("并入「{name}」：找出另一位客户", "Merge into {name}: find the other customer"),
    "merge.question": ("把「{drop}」并入「{keep}」吗？号码、来电、到店和短信都归「{keep}」，「{drop}」将被删除。",
                       "Merge {drop} into {keep}? Numbers, calls, visits and texts all go to {keep}; {drop} is removed."),
    "merge.keep": ("保留：", "Keep: "),
    "merge.drop": ("并入：", "Merge in: "),
    "merge.counts": ("来电 {calls} · 到店 {visits} · 短信 {texts}", "calls {calls} · visits {visits} · texts {texts}"),
    "merge.done": ("已并入 {name}", "Merged into {name}"),
    "merge.gone": ("这位客户已不存在（可能已在别的终端合并或删除）",
                   "That customer no longer exists (merged or removed at another terminal?)"),
    # why a search matched (the store says "initials prefix" and the like)
    "why.name": ("姓名", "name"),
    "why.pinyin": ("拼音", "pinyin"),
    "why.initials": ("首字母", "initials"),
    "why.number": ("号码", "number"),
    "why.tag": ("标签", "tag"),
    "why.exact": ("完全匹配", "exact"),
    "why.prefix": ("开头", "start"),
    "why.substring": ("包含", "contains"),
    "why.suffix": ("结尾", "ending"),
    # messages
    "messages.threads": ("对话", "Threads"),
    "messages.none": ("还没有短信", "No texts yet"),
    "messages.in": ("收", "in"),
    "messages.out": ("发", "out"),
    # templates
    "templates.none": ("还没有模板", "No templates yet"),
    "templates.name": ("名称", "Name"),
    "templates.body": ("内容（可用 {name} {surname} {tier} {shop} {date}）",
                       "Body (placeholders: {name} {surname} {tier} {shop} {date})"),
    "templates.category": ("类别", "Category"),
    "category.care": ("关怀", "care"),
    "category.booking": ("预订", "booking"),
    "category.promotion": ("促销", "promotion"),
    "category.missed_call": ("未接来电", "missed call"),
    "category.holiday": ("节日", "holiday"),
    "category.other": ("其他", "other"),
    # settings
    "settings.shop": ("店名", "Shop name"),
    "settings.region": ("本地区号（如 CN）", "Home region (e.g. CN)"),
    "settings.timezone": ("时区（如 Asia/Shanghai）", "Time zone (e.g. Asia/Shanghai)"),
    "settings.language": ("语言", "Language"),
    "settings.auto_compose": ("挂机后自动写短信", "Compose a text after hang-up"),
    "settings.privacy": ("隐私模式（隐藏号码中间四位）", "Privacy mode (hide middle digits)"),
    "settings.auto_reject_blocked": ("自动挂断黑名单来电（全店）", "Auto-reject calls from blocked customers (whole shop)"),
    "settings.saved": ("设置已保存", "Settings saved"),
    "settings.restart": ("语言在下次启动时生效", "The language changes at the next start"),
    "settings.bad_timezone": ("没有这个时区：{tz}", "No such time zone: {tz}"),
    "settings.bad_region": ("地区应为两个字母，如 CN", "Region should be two letters, like CN"),
    # line setup
    "setup.port": ("端口", "Port"),
    "setup.baud": ("波特率", "Baud"),
    "setup.hint": ("USB 调制解调器重新插拔后可能变成另一个 ttyUSB，请选 /dev/serial/by-id/ 下的名字。"
                   "也可输入 socket://主机:端口、rfc2217://… 或 sim://（模拟电话）。",
                   "A replugged USB modem may come back as another ttyUSB: prefer its /dev/serial/by-id/ name. "
                   "You may also type socket://host:port, rfc2217://… or sim:// (the simulated phone)."),
    "setup.col.name": ("端口（选用这个名字）", "Port (use this name)"),
    "setup.col.what": ("设备", "Device"),
    "setup.col.now": ("当前", "Now"),
    "setup.serial_port": ("串口", "serial port"),
    "setup.no_ports": ("没有找到串口：插上电话后按 Ctrl+R，或在下面输入地址",
                       "No serial ports found: plug the phone in and press Ctrl+R, or type an address below"),
    "setup.need_port": ("先选一个端口或输入地址", "Pick a port or type an address first"),
    "setup.bad_baud": ("波特率应为正整数，如 115200", "The baud rate should be a whole number, like 115200"),
    "setup.in_use_here": ("本终端的线路正在使用 {url}，它的状态见前台的状态栏；要测试它，先换一个端口保存并重启",
                          "This terminal's line is using {url} now; the desk's status bar shows how it is. "
                          "To test it here, save another port and restart"),
    "setup.no_device": ("没有这个设备：{url}。电话插好了吗？插上后按 Ctrl+R 刷新列表",
                        "There is no such device: {url}. Is the phone plugged in? Press Ctrl+R after plugging it in"),
    "setup.testing": ("正在测试 {url}…（最多几秒钟）", "Testing {url}… (a few seconds at most)"),
    "setup.works": ("✓ 这部电话可以用", "✓ This phone works"),
    "setup.not_ready": ("电话有应答，但现在还不能接打电话", "The phone answers, but cannot take calls yet"),
    "setup.failed": ("✗ 测试没有通过", "✗ The test failed"),
    "setup.fix.dialout": ("办法：sudo usermod -aG dialout $USER，然后重新登录",
                          "Fix: sudo usermod -aG dialout $USER, then log in again"),
    "setup.fix.busy": ("办法：sudo systemctl stop ModemManager，或让它忽略这个设备（udev 规则 ID_MM_DEVICE_IGNORE=1）",
                       "Fix: sudo systemctl stop ModemManager, or have it ignore this device "
                       "(udev rule ID_MM_DEVICE_IGNORE=1)"),
    "setup.fix.no_at": ("办法：换这个调制解调器的另一个端口试试（USB 调制解调器有好几个口，AT 口常是 if02 或 if03）",
                        "Fix: try the modem's other ports (a USB modem has several; the AT one is often if02 or if03)"),
    "setup.fix.refused": ("办法：检查主机和端口，以及那边的 ser2net 是否在运行",
                          "Fix: check the host and port, and that ser2net is running there"),
    "setup.saved": ("已保存 {url}（{baud}），下次启动管家时生效", "Saved {url} ({baud}); the line uses it from the next start"),
    "setup.saved_where": ("保存在 {path}", "Written to {path}"),
    "setup.save_failed": ("保存失败：{error}", "Could not save: {error}"),
    # palette
    "palette.customer": ("客户", "Customer"),
    "palette.open": ("打开", "Open"),
    # help
    "help.intro": ("所有按键（Esc 返回）", "Every key (Esc to go back)"),
    "error.store": ("数据库出错：{error}", "Database problem: {error}"),
}

_language = "zh"


def language_from(config_language: str | None, env: dict[str, str] | None = None) -> str:
    """The UI language: the config's if set, else from LC_ALL/LC_MESSAGES/LANG, else Chinese."""
    if config_language in ("zh", "en"):
        return config_language
    env = os.environ if env is None else env
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "zh"


def set_language(language: str) -> None:
    """Switch every later `t()` to `language` ("zh" or "en")."""
    global _language
    _language = "en" if language == "en" else "zh"


def current_language() -> str:
    """The language `t()` speaks now."""
    return _language


def t(key: str, **values: object) -> str:
    """The text for `key` in the current language, with `{placeholders}` filled from `values`."""
    zh, en = TABLE[key]
    text = en if _language == "en" else zh
    return text.format(**values) if values else text


def _translated(text: str | None) -> str | None:
    return t(text) if text in TABLE else text


def translate_bindings(node) -> None:
    """Put the current language into a node's key descriptions and tooltips, declared as table keys."""
    bindings = node._bindings.key_to_bindings
    for key, items in bindings.items():
        bindings[key] = [
            replace(b, description=_translated(b.description) or "", tooltip=_translated(b.tooltip) or "")
            for b in items
        ]


class TranslatedBindings:
    """Mixin for apps, screens and widgets whose BINDINGS name their words by table key."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)
