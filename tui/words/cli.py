"""The command line's words: help, reports, questions and errors of `guanjia` and its subcommands.

Command names, option names and the documented export columns stay as typed
(scripts use them); everything said around them is in the shop's language.
ARGPARSE holds Chinese for argparse's own messages ("usage: ", "error: ..."),
keyed by argparse's English, which tui.cli hands it in place of gettext.
"""

WORDS = {
    # guanjia itself and the options every subcommand takes
    "cli.description": ("店里电话线的客户台（不带子命令时打开前台）。", "A customer desk for the shop's phone line."),
    "cli.metavar.command": ("子命令", "COMMAND"),
    "cli.metavar.path": ("路径", "PATH"),
    "cli.metavar.file": ("文件", "FILE"),
    "cli.metavar.date": ("日期", "DATE"),
    "cli.metavar.query": ("查找", "QUERY"),
    "cli.metavar.seconds": ("秒数", "SECONDS"),
    "cli.metavar.number": ("号码", "NUMBER"),
    "cli.metavar.text": ("内容", "TEXT"),
    "cli.metavar.name": ("名称", "NAME"),
    "cli.metavar.id": ("编号", "ID"),
    "cli.metavar.action": ("操作", "ACTION"),
    "cli.opt.port": ("电话的端口：设备（/dev/ttyUSB2、COM5）、socket://主机:端口、rfc2217://…，或 sim://（模拟电话）",
                     "the phone: a device (/dev/ttyUSB2, COM5), socket://host:port, rfc2217://..., or sim://"),
    "cli.opt.baud": ("波特率（默认 115200）", "baud rate (default 115200)"),
    "cli.opt.db": ("数据库地址（sqlite:///路径 或 postgresql://…）；默认 $GUANJIA_DB 或数据目录",
                   "database URL (sqlite:///path or postgresql://...); default $GUANJIA_DB or the data dir"),
    "cli.opt.lang": ("用哪种语言：zh 中文，en 英文（默认看配置，再看 LANG）",
                     "the language to speak: zh or en (default: the config's, else LANG)"),
    "cli.opt.demo": ("用模拟电话和演示客户簿", "use the simulated phone and a demo book"),
    "cli.config_unreadable": ("配置文件读不了：{error}", "the config file cannot be read: {error}"),
    "cli.no_phone": ("没有指定电话：请用 --port 给出（如 /dev/serial/by-id/… 的设备、socket://主机:端口，"
                     "或模拟电话 sim://），或在配置文件 [line] 里设置 port",
                     "no phone named: give --port (a device such as /dev/serial/by-id/..., socket://host:port, "
                     "or sim:// for the simulated phone), or set [line] port in the config"),
    "cli.cannot_write": ("写不了 {path}：{error}", "cannot write {path}: {error}"),
    "cli.list_sep": ("，", ", "),
    # backup
    "cli.backup.help": ("终端还在用时安全地备份客户簿（SQLite），或显示/运行 pg_dump（PostgreSQL）",
                        "copy the book safely while terminals are running (SQLite), or show/run pg_dump (PostgreSQL)"),
    "cli.backup.path": ("备份写到哪个文件", "the backup file to write"),
    "cli.backup.force": ("路径已有文件时替换它", "replace PATH if it exists"),
    "cli.backup.run_pg_dump": ("PostgreSQL 客户簿：现在就运行 pg_dump", "for a PostgreSQL book: run pg_dump now"),
    "cli.backup.done": ("已备份到 {path}（{size:,} 字节，完整性检查通过）", "Backed up to {path} ({size:,} bytes, integrity ok)"),
    "cli.backup.rows": ("  {table}：{rows:,} 行", "  {table}: {rows:,} rows"),
    "cli.backup.pg_done": ("已用 pg_dump 备份到 {path}（{size:,} 字节）", "Backed up with pg_dump to {path} ({size:,} bytes)"),
    "cli.backup.not_a_database": ("“{scheme}”不是管家能备份的数据库", "{scheme!r} is not a database guanjia can back up"),
    "cli.backup.pg_guidance": (
        "这个客户簿在 PostgreSQL 服务器上，请用服务器自己的工具备份：\n  {command}\n"
        "密码来自 PGPASSWORD 或 ~/.pgpass（这里不显示）。\n"
        "恢复到一个空数据库：pg_restore --dbname=新数据库 {target}\n"
        "或者加上 --run-pg-dump 运行本命令，让管家替你运行 pg_dump。",
        "This book is on a PostgreSQL server; back it up with the server's own tool:\n  {command}\n"
        "The password comes from PGPASSWORD or ~/.pgpass (it is not shown here).\n"
        "Restore into an empty database with: pg_restore --dbname=NEW_DATABASE {target}\n"
        "Or run this command with --run-pg-dump to let guanjia run pg_dump for you."),
    # export
    "cli.export.help": ("把客户、通话或短信导出为 CSV（带 BOM 的 UTF-8，Excel 可直接打开）、.xlsx 或 .vcf",
                        "export customers, calls or messages as CSV (UTF-8 with BOM, opens in Excel), .xlsx or .vcf"),
    "cli.export.epilog": (
        "列名和格式固定不变（英文列名，供脚本使用）：customers 为 name,phones,tier,birthday,tags,notes；"
        "calls 为 started_at,number,customer,direction,outcome,duration_s；"
        "messages 为 at,direction,number,customer,status,body。"
        "CSV 是带 BOM 的 UTF-8，Excel 显示中文不乱码。电子表格会当公式运行的格子（以 = + - @ 开头）前面加一个 '，"
        "`guanjia import` 会再去掉它；纯 E.164 号码（+8613800138000）不会被当成公式，原样写出。"
        "XLSX 的格子都是文字，从不是公式。时间是本店时区的 ISO 8601，带时差（2026-05-01T09:30:00+08:00），号码是 E.164。"
        "已有的 --output 文件不会被覆盖，除非加 --force。",
        "The columns are fixed (English names, for scripts): customers name,phones,tier,birthday,tags,notes; "
        "calls started_at,number,customer,direction,outcome,duration_s; "
        "messages at,direction,number,customer,status,body. "
        "CSV files are UTF-8 with a byte-order mark, so Excel shows Chinese names right. A cell a spreadsheet "
        "would run as a formula (starting with = + - @) is written with a leading ', which `guanjia import` "
        "removes again; a bare E.164 number (+8613800138000) cannot run and is written as it is. "
        "XLSX cells are plain text, never formulas. Times are ISO 8601 in the shop's time zone with the offset "
        "(2026-05-01T09:30:00+08:00), numbers E.164. An existing --output file is never replaced without --force."),
    "cli.export.what": ("导出什么", "what to export"),
    "cli.export.format": ("文件格式（默认 csv）", "file format (default csv)"),
    "cli.export.output": ("写到哪个文件（默认：csv 和 vcf 输出到标准输出）",
                          "the file to write (default: standard output for csv and vcf)"),
    "cli.export.since": ("只导出从这天或这个时刻起的（2026-01-01 或 2026-01-01T09:00+08:00；日期指本店当天零点）",
                         "only from this date or time on (2026-01-01, the shop's midnight, or 2026-01-01T09:00+08:00)"),
    "cli.export.force": ("--output 文件已存在时替换它", "replace the --output file if it exists"),
    "cli.export.bad_since": ("--since “{text}”不是日期：请写成 2026-01-01", "--since {text!r} is not a date: write it like 2026-01-01"),
    "cli.export.vcf_customers": ("只有客户能导出为名片（.vcf）", "only customers can be exported as vCards (.vcf)"),
    "cli.export.xlsx_needs_output": ("导出 Excel 需要文件名：加上 --output 文件.xlsx",
                                     "an Excel export needs a file name: add --output FILE.xlsx"),
    "cli.export.done": ("{count} 条{what}已写入 {path}", "{count} {what} written to {path}"),
    "cli.export.customers": ("客户", "customers"),
    "cli.export.calls": ("通话", "calls"),
    "cli.export.messages": ("短信", "messages"),
    # find
    "cli.find.help": ("按姓名、拼音（zs）、号码的任意一段、尾号 1234 或标签查找客户",
                      "find customers by name, pinyin (zs), any part of a number, 尾号 1234, or tag"),
    "cli.find.query": ("就像在搜索框里输入的", "what you would type in the search box"),
    "cli.find.limit": ("最多列出多少位客户（默认 20）", "at most this many customers (default 20)"),
    "cli.find.why": ("同时说明匹配了什么", "also say what matched"),
    # import
    "cli.import.help": ("从 CSV、Excel（.xlsx）或名片（.vcf）文件导入客户", "import customers from a CSV, Excel (.xlsx) or vCard (.vcf) file"),
    "cli.import.epilog": (
        "按表头认列：姓名/name、电话/手机/phone（可有多列电话，或一格里用 ; , / 、 隔开多个号码）、等级/tier、生日/birthday、"
        "农历生日、标签/分组/tags、备注/notes、公司/company、地址/address、性别/gender、来源/source。"
        "先给出报告；客户簿里已有的号码只补上那位客户空着的字段、加上标签，从不覆盖已有内容。"
        "可选字段（生日、性别、备注……）写错时，客户照样导入，只是不带那个字段，报告里按行列出。"
        "本店没有的等级（如 VIP）按 --tier-map 对应，否则对应到最接近的等级，都按行报告。"
        "全部在一个事务里写入：导入失败就什么都不改。",
        "Columns are found by their header: 姓名/name, 电话/手机/phone (several phone columns, or several numbers "
        "in a cell separated by ; , / 、 are fine), 等级/tier, 生日/birthday, 农历生日, 标签/分组/tags, 备注/notes, "
        "公司/company, 地址/address, 性别/gender, 来源/source. The report comes first; a number already in the book "
        "fills that customer's empty fields and adds tags, never overwriting what is there. "
        "A bad optional field (birthday, gender, notes...) leaves the customer in, without that field, listed by "
        "line in the report. A tier the shop does not have (VIP, say) is mapped by --tier-map, else to the "
        "closest tier it has, each listed by line. "
        "Everything is written in one transaction: a failed import changes nothing."),
    "cli.import.file": ("要导入的文件：.csv（UTF-8 或 GBK）、.xlsx，或手机通讯录导出的 .vcf",
                        "the file: .csv (UTF-8 or GBK), .xlsx, or .vcf from a phone's contacts"),
    "cli.import.dry_run": ("只看会发生什么，什么都不写", "only show what would happen; write nothing"),
    "cli.import.yes": ("不问就导入（给脚本用）", "import without asking (for scripts)"),
    "cli.import.mapping": ("哪一列是哪个字段，如 '客户=name,手机号=phone,积分=skip'",
                           "which column is which field, e.g. '客户=name,手机号=phone,积分=skip'"),
    "cli.import.tier_map": ("文件里的等级对应本店哪个等级，如 'VIP=金卡,金卡会员=金卡'",
                            "which of the shop's tiers a file's tier is, e.g. 'VIP=金卡,金卡会员=金卡'"),
    "cli.import.region": ("没写国家区号的号码属于哪个国家（默认本店的）",
                          "country of numbers written without a country code (default: the shop's)"),
    "cli.import.head": ("{path}：{kind}（{encoding}），{rows} 行", "{path}: {kind} ({encoding}), {rows} rows"),
    "cli.import.new": ("  新客户：        {n}", "  new customers:      {n}"),
    "cli.import.updated": ("  更新的客户：    {n}", "  updated customers:  {n}"),
    "cli.import.unchanged": ("  已是最新：      {n}", "  already up to date: {n}"),
    "cli.import.duplicates": ("  重复（跳过）：  {n}", "  duplicates skipped: {n}"),
    "cli.import.invalid": ("  无效（跳过）：  {n}", "  invalid rows:       {n}"),
    "cli.import.remarked": ("  有字段未照原样：{n}", "  fields not as written: {n}"),
    "cli.import.unused": ("  没用上的列：{columns}", "  columns not used: {columns}"),
    "cli.import.kept_title": ("按客户簿原样保留（文件里写的不一样）：", "Kept as the book has them (the file says otherwise):"),
    "cli.import.kept": ("  第 {line} 行：{name} 的{field}保留“{have}”，文件里是“{new}”",
                        "  line {line}: {name} {field} stays {have!r}, file has {new!r}"),
    "cli.import.remarks_title": ("导入了客户，但这些字段没有照文件导入：", "Imported, but these fields not as the file has them:"),
    "cli.import.remark": ("  第 {line} 行：{field}：{why}", "  line {line}: {field}: {why}"),
    "cli.import.duplicates_title": ("重复（跳过）：", "Duplicates (skipped):"),
    "cli.import.invalid_title": ("无效的行（跳过）：", "Invalid rows (skipped):"),
    "cli.import.line": ("  第 {line} 行：{why}", "  line {line}: {why}"),
    "cli.import.more": ("  ……还有 {n} 条", "  … and {n} more"),
    "cli.import.no_terminal": ("没有人回答就不导入：加 --yes 导入，或加 --dry-run 只看看",
                               "not importing without a question answered: add --yes to import, or --dry-run to only look"),
    "cli.import.ask": ("导入 {new} 位新客户并更新 {updated} 位客户吗？[是/否，y/N]",
                       "Import {new} new and update {updated} customers? [y/N]"),
    "cli.import.nothing": ("没有要导入的。", "Nothing to import."),
    "cli.import.not_imported": ("没有导入。", "Not imported."),
    "cli.import.cannot": ("不能导入 {path}：{why}", "cannot import {path}: {why}"),
    "cli.import.done": ("已导入：新增 {new} 位，更新 {updated} 位（一个事务）。", "Imported: {new} new, {updated} updated (one transaction)."),
    # line, monitor, ports, send, sim
    "cli.replay.help": ("把支持记录（guanjia line --trace 录的）交给手机解析器回放，事件按 JSON 行打印",
                        "play a support trace (from guanjia line --trace) to the phone's parser and print its events "
                        "as JSON lines"),
    "cli.replay.files": ("记录文件，分了多个文件时从最旧的起（FILE.2 FILE.1 FILE）",
                         "the trace, oldest file first when it rotated (FILE.2 FILE.1 FILE)"),
    "cli.replay.region": ("号码的本地区域（默认 CN）", "the shop's home region for numbers (default CN)"),
    "cli.replay.cannot": ("无法回放这份记录：{error}", "cannot play the trace: {error}"),
    "cli.line.trace_failed": ("无法写支持记录 {file}：{error}", "cannot write the trace {file}: {error}"),
    "cli.line.help": ("不开界面守住电话线：记下每个电话和短信，发出发件箱（供 systemd 用）",
                      "hold the phone line headless: keep every call and text, send the outbox (for systemd)"),
    "cli.line.name": ("其他终端看到的占线者名字（默认 line@主机名）", "how other terminals see this holder (default: line@HOST)"),
    "cli.line.verbose": ("记录每个电话、短信和线路变化", "log every call, text and line change"),
    "cli.line.trace": ("支持记录：与手机往来的每个字节，带时间（用 guanjia replay FILE 回放）",
                       "a support trace: every byte to and from the phone, time-stamped (play it with guanjia replay FILE)"),
    "cli.line.mask_numbers": ("记录里的每个电话号码换成替身（短信内容照常可读）",
                              "in the trace, replace every phone number by a stand-in (the texts stay readable)"),
    "cli.line.trace_size": ("记录文件超过这个大小就换新文件，保留五个（默认 10 MB）",
                            "start a new trace file past this size, keeping five (default 10 MB)"),
    "cli.monitor.help": ("把每个电话、短信、回执和线路变化打印成 JSON 行；只读电话，从不改动",
                         "print every call, text, report and line change as JSON lines; reads the phone, never changes it"),
    "cli.monitor.for": ("这么多秒后停止（默认：直到被中断）", "stop after this many seconds (default: until interrupted)"),
    "cli.ports.help": ("列出串口（稳定的 /dev/serial/by-id 名字在前），或用 --probe 地址 问一个端口上是什么",
                       "list serial ports (stable /dev/serial/by-id names first), or --probe URL to ask one what it is"),
    "cli.ports.probe": ("和这个端口（或 --port）通话，说出那里是什么电话", "talk to this port (or --port) and say what phone is there"),
    "cli.ports.now": ("  （现在是 {device}）", "  (now {device})"),
    "cli.ports.serial_port": ("串口", "serial port"),
    "cli.ports.none": ("没有找到串口：电话插好了吗？是调制解调器模式（不是只充电）吗？",
                       "no serial ports found; is the phone plugged in and in modem (not charging-only) mode?"),
    "cli.ports.tip": ("# 提示：有 /dev/serial/by-id/… 名字时请用它；/dev/ttyUSBn 重新插拔后可能会变",
                      "# tip: use the /dev/serial/by-id/... name where there is one; /dev/ttyUSBn may change on replug"),
    "cli.send.help": ("发一条短信（多长、什么文字都行），打印调制解调器给的短信编号",
                      "send one text (any length, any script) and print the modem's message references"),
    "cli.send.number": ("发给谁：13800138000、+8613800138000 …", "who gets it: 13800138000, +8613800138000 ..."),
    "cli.send.text": ("短信内容（加引号，或分成几个词给出）", "the text (quote it, or give it as several words)"),
    "cli.send.no_report": ("不向网络要送达回执", "do not ask the network for a delivery report"),
    "cli.send.bad_number": ("“{number}”不是能收短信的号码", "{number!r} is not a phone number a text can go to"),
    "cli.send.empty": ("短信是空的", "the text is empty"),
    "cli.send.not_sent": ("没有发出：{why}", "not sent: {why}"),
    "cli.sim.help": ("在伪终端上启动一部模拟电话，打印它的路径，并接受命令（ring、sms、vanish …）",
                     "start a simulated phone on a pseudo-terminal, print its path, and take commands (ring, sms, vanish ...)"),
    "cli.sim.flavour": ("generic、huawei、simcom 或 quectel", "generic, huawei, simcom or quectel"),
    "cli.sim.echo": ("一开始就回显命令，像新的调制解调器", "start with command echo on, like a fresh modem"),
    "cli.sim.ring_every": ("每 N 秒有人打来", "a caller rings every N seconds"),
    "cli.sim.demo": ("热闹的小店：不时有电话和短信", "a lively shop: calls and texts now and then"),
    "cli.sim.link_dir": ("稳定路径放在哪里（默认：新的临时目录）", "where to put the stable path (default: a new temp dir)"),
    "cli.sim.started": ("# {flavour} 电话在 {device}；{commands}", "# {flavour} phone on {device}; {commands}"),
    "cli.sim.commands": (
        "命令，每行一条：\n"
        "  ring 号码 [withheld] [answer] [talk 秒] [rings 次] [every 秒]   有人来电（不接就是未接）\n"
        "  sms 号码 内容...                              来一条短信（+CMTI）；smscmt ... 直接推送（+CMT）\n"
        "  report 编号 [状态]                            网络回报一条已发短信\n"
        "  signal 格数 | slow 秒 | busy 次 | fail [代码] | echo on|off\n"
        "  vanish | back                                 拔掉再插上（路径不变）\n"
        "  sent | log                                    电话发了什么、被问了什么\n"
        "  quit",
        "commands, one a line:\n"
        "  ring NUMBER [withheld] [answer] [talk S] [rings N] [every S]   someone calls (missed unless answered)\n"
        "  sms NUMBER TEXT...                              a text arrives (+CMTI); smscmt ... pushes it (+CMT)\n"
        "  report REFERENCE [STATUS]                       the network reports on a sent part\n"
        "  signal BARS | slow SECONDS | busy N | fail [CODE] | echo on|off\n"
        "  vanish | back                                   unplug and plug in again (same path)\n"
        "  sent | log                                      what the phone sent, what it was asked\n"
        "  quit"),
    "cli.sim.ringing": ("{number} 正在来电", "ringing from {number}"),
    "cli.sim.delivered": ("已送达，分 {parts} 条", "delivered in {parts} part(s)"),
    "cli.sim.reported": ("已回报", "reported"),
    "cli.sim.signal": ("信号 {bars}/5", "signal {bars}/5"),
    "cli.sim.slow": ("晚 {seconds} 秒应答", "answering {seconds} s late"),
    "cli.sim.busy": ("SIM 卡忙一会儿", "SIM busy for a while"),
    "cli.sim.fail": ("下一条发送会失败", "the next send will fail"),
    "cli.sim.echo_now": ("回显 {state}", "echo {state}"),
    "cli.sim.unplugged": ("已拔掉", "unplugged"),
    "cli.sim.back": ("已重新插上 {device}（路径仍是 {path}）", "plugged in again on {device} (same path {path})"),
    "cli.sim.nothing_sent": ("（什么都没发）", "(nothing sent)"),
    "cli.sim.nothing_asked": ("（什么都没问）", "(nothing asked)"),
    # report
    "cli.report.help": ("本店的日子报表：calls、hours、callbacks、callers、customers、tiers、texts、campaigns",
                        "a report over the shop's days: calls, hours, callbacks, callers, customers, tiers, texts, campaigns"),
    "cli.report.epilog": (
        "日子按本店时区算，首尾两天都算在内；不给 --from 和 --to 时是到今天为止的 30 天。"
        "calls：每天（超过两个月按月）的已接、未接、拒接、去电；hours：按钟点；callbacks：回拨的未接来电、比例、中位等待；"
        "callers：新老号码；customers：消费前 50 名；tiers：各等级客户数；texts：发出、送达、失败、收到、条数和费用；"
        "campaigns：送达、退订、回复和 14 天内到店。表格的列名用本店语言；CSV/XLSX 用固定的英文列名（供脚本）。"
        "CSV 是带 BOM 的 UTF-8，电子表格会运行的格子加了引号；已有的 --out 文件从不覆盖。",
        "Days are the shop's own (its time zone setting), both ends included; without --from and --to, "
        "the last 30 days up to today. calls: per day (per month beyond two months), answered, missed, "
        "rejected, outgoing; hours: by hour of day; callbacks: missed calls returned, rate, median wait; "
        "callers: new and returning numbers; customers: top 50 by spend; tiers: customers per tier; "
        "texts: sent, delivered, failed, received, parts and cost; campaigns: delivery, opt-outs, replies "
        "and visits within 14 days. The table's headings are in the shop's language; CSV and XLSX keep the "
        "fixed English column names (for scripts). CSV is UTF-8 with a byte-order mark, cells a spreadsheet "
        "would run are quoted; an existing --out file is never overwritten."),
    "cli.report.kind": ("哪个报表", "which report"),
    "cli.report.from": ("第一天，2026-11-01（默认：--to 之前 29 天）", "first day, 2026-11-01 (default: 29 days before --to)"),
    "cli.report.to": ("最后一天，2026-11-30（默认：今天）", "last day, 2026-11-30 (default: today)"),
    "cli.report.format": ("table（屏幕上默认）、csv（--out 文件.csv 时默认）或 xlsx（需要 --out）",
                          "table (default on screen), csv (default for --out FILE.csv), or xlsx (needs --out)"),
    "cli.report.out": ("写到这个新文件，而不是标准输出", "write to this new file instead of standard output"),
    "cli.report.bad_date": ("{flag} “{text}”不是日期：请写成 2026-11-01", "{flag} {text!r} is not a date: write it like 2026-11-01"),
    "cli.report.backwards": ("时段在开始（{first}）之前就结束了（{last}）", "the period ends ({last}) before it starts ({first})"),
    "cli.report.xlsx_needs_out": ("Excel 报表需要文件名：加上 --out 文件.xlsx", "an Excel report needs a file name: add --out FILE.xlsx"),
    "cli.report.table_on_screen": ("表格是给屏幕看的：要写文件请用 --format csv 或 xlsx 加 --out",
                                   "a table is for the screen: use --format csv or xlsx with --out"),
    "cli.report.exists": ("{path} 已存在：请换一个新文件名（报表从不覆盖文件）",
                          "{path} already exists: give a new file name (a report never overwrites a file)"),
    "cli.report.done": ("{kind} {first}..{last}：{count} 行已写入 {path}", "{kind} {first}..{last}: {count} rows written to {path}"),
    # campaign
    "cli.campaign.help": ("群发短信：list、new、preview、start、pause、resume、cancel、status",
                          "bulk texts: list, new, preview, start, pause, resume, cancel, status"),
    "cli.campaign.db": ("数据库地址（与 guanjia 相同）", "database URL (as for guanjia)"),
    "cli.campaign.id": ("活动编号", "the campaign's number"),
    "cli.campaign.list": ("列出活动，最新的在前", "campaigns, newest first"),
    "cli.campaign.new": ("新建活动草稿：一段短信和一群收件人", "a draft campaign: a text and an audience"),
    "cli.campaign.name": ("店里叫它什么，如 五月促销", "what the shop calls it, e.g. 五月促销"),
    "cli.campaign.template": ("存好的模板，按名称或编号", "a saved template, by name or number"),
    "cli.campaign.text": ("短信内容本身；{name}、{surname}、{tier}、{shop}、{date} 会被填上",  # said without values
                          "the text itself; {name}, {surname}, {tier}, {shop}, {date} are filled in"),
    "cli.campaign.tier": ("只发这个等级（可重复给多个）", "only this tier (repeat for several)"),
    "cli.campaign.tag": ("只发有这个标签的客户（多个时任一即可）", "only customers with this tag (any of several)"),
    "cli.campaign.not_seen_days": ("只发这么多天没来过的客户", "only customers with no visit for this many days"),
    "cli.campaign.min_spend": ("只发累计消费至少这么多的客户", "only customers who spent at least this much in all"),
    "cli.campaign.birthday_month": ("只发这个月（1-12）过生日的客户", "only customers whose birthday falls in this month (1-12)"),
    "cli.campaign.filter": ("从存好的筛选开始（上面的选项再收窄或替换它）",
                            "start from a saved filter (the options above narrow or replace it)"),
    "cli.campaign.save_filter": ("把这群收件人也存成一个筛选", "also save this audience under NAME"),
    "cli.campaign.not_marketing": ("服务短信（不加退订提示，退订的客户也会收到）",
                                   "a service text (no opt-out footer, goes to opted-out customers too)"),
    "cli.campaign.preview": ("前几位收件人的确切短信、条数、人数和费用", "the exact texts for the first recipients, parts, count and cost"),
    "cli.campaign.first": ("显示这么多条（默认 5）", "show this many texts (default 5)"),
    "cli.campaign.start": ("现在开始，或定时开始（--at 2026-05-06T09:30 或 --at 09:30）",
                           "start now, or at a time (--at 2026-05-06T09:30 or --at 09:30)"),
    "cli.campaign.at": ("什么时候，按本店时区", "when, in the shop's time zone"),
    "cli.campaign.pause": ("暂停一个活动", "pause a campaign"),
    "cli.campaign.resume": ("继续一个活动", "resume a campaign"),
    "cli.campaign.cancel": ("取消一个活动", "cancel a campaign"),
    "cli.campaign.status": ("进度：已发、已送达、失败、跳过，以及预计何时发完",
                            "progress: sent, delivered, failed, skipped, and when it will be done"),
    "cli.campaign.none": ("还没有活动", "no campaigns yet"),
    "cli.campaign.no_template": ("没有叫“{name}”的模板：请看模板页面，或用 --text",
                                 "there is no template called {name!r}: see the templates screen, or use --text"),
    "cli.campaign.no_filters": ("还没存过", "none saved yet"),
    "cli.campaign.no_filter": ("没有存过“{name}”这个筛选（已存：{names}）", "there is no saved filter {name!r} (saved: {names})"),
    "cli.campaign.bad_month": ("--birthday-month 是月份，1 到 12，不是 {month}", "--birthday-month is a month, 1 to 12, not {month}"),
    "cli.campaign.negative": ("{flag} 不能是负数", "{flag} cannot be negative"),
    "cli.campaign.no_tier": ("没有叫“{tier}”的等级；本店的等级是 {tiers}", "no tier called {tier!r}; the shop's tiers are {tiers}"),
    "cli.campaign.created": ("活动 #{id} 已建好（草稿）：{n} 位收件人{left_out}",
                             "campaign #{id} created (draft): {n} recipient(s){left_out}"),
    "cli.campaign.next": ("下一步：guanjia campaign preview {id}，然后 guanjia campaign start {id}",
                          "next: guanjia campaign preview {id}, then guanjia campaign start {id}"),
    "cli.campaign.left_out": ("；不发：{parts}", "; left out: {parts}"),
    "cli.campaign.left.blocked": ("{n} 位已拉黑", "{n} blocked"),
    "cli.campaign.left.opted_out": ("{n} 位已退订", "{n} opted out"),
    "cli.campaign.left.no_number": ("{n} 位没有号码", "{n} without a number"),
    "cli.campaign.preview_line": ("{name}（{number}），{parts} 条：", "{name} ({number}), {parts} part(s):"),
    "cli.campaign.recipients": ("{n} 位收件人{left_out}", "{n} recipient(s){left_out}"),
    "cli.campaign.cost": ("共 {parts} 条，每人最多 {most} 条；费用 {cost:.2f}，每条 {price:.2f}",
                          "{parts} part(s) in all, at most {most} per text; cost {cost:.2f} at {price:.2f} a part"),
    "cli.campaign.bad_time": ("“{text}”不是时间：请写 09:30 或 2026-05-06T09:30", "{text!r} is not a time: write 09:30 or 2026-05-06T09:30"),
    "cli.campaign.scheduled": ("活动 #{id} 定在 {at} 开始", "campaign #{id} scheduled for {at}"),
    "cli.campaign.running": ("活动 #{id} 进行中：{n} 位收件人；线路按本店的节奏发出",
                             "campaign #{id} running: {n} recipient(s); the line worker sends them at the shop's pace"),
    "cli.campaign.now": ("活动 #{id} {state}", "campaign #{id} {state}"),
    "cli.campaign.status_head": ("活动 #{id} {name}：{state}", "campaign #{id} {name}: {state}"),
    "cli.campaign.status_counts": (
        "{total} 位收件人：已发 {sent}（送达 {delivered}），失败 {failed}，跳过 {skipped}，不明 {unknown}，"
        "发件箱里 {queued}，等待 {pending}{left_out}",
        "{total} recipient(s): {sent} sent ({delivered} delivered), {failed} failed, {skipped} skipped, "
        "{unknown} unknown, {queued} in the outbox, {pending} waiting{left_out}"),
    "cli.campaign.eta": ("大约 {at} 发完，每分钟 {rate} 条，免打扰 {quiet}", "done by about {at} at {rate} a minute, quiet {quiet}"),
    "cli.campaign.state.draft": ("草稿", "draft"),
    "cli.campaign.state.scheduled": ("已定时", "scheduled"),
    "cli.campaign.state.running": ("进行中", "running"),
    "cli.campaign.state.paused": ("已暂停", "paused"),
    "cli.campaign.state.cancelled": ("已取消", "cancelled"),
    "cli.campaign.state.finished": ("已发完", "finished"),
}

# argparse's own words (Python 3.11), keyed by its English; gettext's placeholders are kept as they are.
ARGPARSE = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示这段帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：出错：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "没有 %(value)r 这个选项（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的 %(type)s 值",
    "the following arguments are required: %s": "缺少这些参数：%s",
    "unrecognized arguments: %s": "不认识的参数：%s",
    "expected one argument": "后面要跟一个值",
    "expected at most one argument": "后面最多跟一个值",
    "expected at least one argument": "后面至少要跟一个值",
    "expected %s argument": "后面要跟 %s 个值",
    "expected %s arguments": "后面要跟 %s 个值",
    "not allowed with argument %s": "不能和参数 %s 一起用",
    "one of the arguments %s is required": "参数 %s 中必须给一个",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "ignored explicit argument %r": "忽略了多给的值 %r",
    "unexpected option string: %s": "意外的选项：%s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有子命令 %(parser_name)r（可选：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "打不开“%(filename)s”：%(error)s",
}
