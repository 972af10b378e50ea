// For the staffing offices and the auditor: the four full coverages (四个全覆盖) with their gaps,
// the ledger checker (city office and auditor) and the region's quota summed by kind.
"use strict";

async function renderOffice(me) {
  const box = $("office-view");
  box.replaceChildren();
  const names = await regionNames();
  const region = me.region ? (names[me.region] || "") + "（" + me.region + "）" : "";
  const cov = card("四个全覆盖", region);
  const bal = card("编制总量", region);
  box.append(cov, bal);
  let led = null;
  if (hasRole(me, "city_admin", "auditor")) {
    led = card("台账校验");
    box.append(led);
  }
  const q = me.region ? "?region=" + encodeURIComponent(me.region) : "";
  await Promise.all([fillCoverage(cov, q, names), fillBalances(bal, q), led && fillLedger(led)]);
}

// regionNames maps division codes to names, for the gap lists; without it the codes show.
async function regionNames() {
  const r = await api("/api/units/v1/regions");
  const out = {};
  const walk = (ns) => { for (const n of ns || []) { out[n.code] = n.name; walk(n.children); } };
  if (r.status === 200) walk(r.body.regions);
  return out;
}

async function fillCoverage(c, q, names) {
  const body = el("p", "加载中…", "muted");
  c.append(body);
  const r = await api("/api/units/v1/reports/coverage" + q);
  if (r.status !== 200) { body.replaceWith(errorLine(r)); return; }
  const list = el("div", undefined, "coverage");
  for (const it of r.body.coverages || []) {
    const row = el("div", undefined, "cov");
    const m = el("meter");
    m.min = 0; m.max = 100; m.low = 90; m.high = 99.99; m.optimum = 100; m.value = it.percent;
    const none = it.total === 0; // e.g. city departments, seen from a county
    row.append(el("strong", it.name), m,
      el("span", none ? "—" : it.percent.toFixed(1) + "%", "pct " + (none ? "muted" : it.gaps.length ? "down" : "up")),
      el("span", none ? "本地区无此类对象" : "已覆盖 " + it.covered + " / " + it.total, "muted"));
    list.append(row);
    if (none) {
      list.append(el("p", "不适用", "gaps muted"));
      continue;
    }
    if (it.gaps.length === 0) {
      list.append(el("p", "已全覆盖", "gaps up"));
      continue;
    }
    const d = el("details", undefined, "gaps");
    d.append(el("summary", "缺口 " + it.gaps.length + " 个"));
    const ul = el("ul");
    for (const g of it.gaps) {
      const where = g.regionCode && g.regionCode !== g.id ? "（" + (names[g.regionCode] || g.regionCode) + "）" : "";
      ul.append(el("li", g.name + where));
    }
    d.append(ul);
    list.append(d);
  }
  body.replaceWith(list);
}

async function fillLedger(c) {
  const again = el("button", "重新校验", "small");
  again.type = "button";
  c.querySelector("h2").append(again);
  const body = el("p", "校验中…", "muted");
  c.append(body);
  const run = async () => {
    again.disabled = true;
    const r = await api("/api/quota/v1/checks/ledger");
    again.disabled = false;
    const out = el("div");
    if (r.status !== 200) {
      out.append(errorLine(r));
    } else {
      const x = r.body;
      const probs = x.problems || [];
      out.append(el("p", x.ok ? "✔ 台账一致：余额无负数、与流水重放一致、借贷平衡、地区总量守恒、在编数与在岗人员一致。"
        : "✘ 发现 " + probs.length + " 个问题", x.ok ? "verdict up" : "verdict down"));
      const dl = el("dl", undefined, "facts inline");
      for (const [k, v] of [["账户", x.accounts], ["流水", x.entries], ["处理中的划转", x.inFlight], ["在岗人员", x.people]]) {
        dl.append(el("dt", k), el("dd", num(v)));
      }
      dl.append(el("dt", "校验时间"), el("dd", new Date().toLocaleString("zh-CN")));
      out.append(dl);
      if (probs.length) out.append(table(["规则", "对象", "说明"], probs.map((p) => [p.rule, p.subject, p.detail])));
    }
    c.lastChild.replaceWith(out);
  };
  again.addEventListener("click", run);
  await run();
}

// fillBalances sums the region's accounts by kind from one balances query (the quota service answers a
// region from one read of its journal).
async function fillBalances(c, q) {
  const body = el("p", "正在汇总本地区全部编制账户…", "muted");
  c.append(body);
  const r = await api("/api/quota/v1/balances" + q);
  const by = {};
  const failed = [];
  if (r.status !== 200) {
    failed.push(problem(r));
  } else {
    for (const a of r.body.accounts || []) {
      const s = by[a.kind] || (by[a.kind] = { n: 0, approved: 0, occupied: 0, held: 0, vacant: 0, label: a.kindLabel });
      s.n += 1;
      for (const f of ["approved", "occupied", "held", "vacant"]) s[f] += a.balance[f];
    }
  }
  const kinds = Object.keys(by).sort((a, b) => KINDS.indexOf(a) - KINDS.indexOf(b));
  const rate = (s) => (s.approved ? pct(s.vacant / s.approved) : "—");
  const row = (label, s) => [label, num(s.n), num(s.approved), num(s.occupied), num(s.held), num(s.vacant), rate(s)];
  const rows = kinds.map((k) => row(by[k].label || KIND_LABELS[k] || k, by[k]));
  const t = table(["编制类型", "账户数", "核定", "在编", "预留", "空编", "空编率"], rows,
    failed.length ? "未能取得数据" : "本地区没有编制账户", 1);
  const staff = kinds.filter((k) => !k.startsWith("leader_"));
  if (staff.length > 1 && failed.length === 0) {
    const sum = { n: 0, approved: 0, occupied: 0, held: 0, vacant: 0 };
    for (const k of staff) for (const f of Object.keys(sum)) sum[f] += by[k][f];
    const foot = tr(row("编制合计（不含领导职数）", sum), 1);
    foot.className = "total";
    t.tBodies[0].insertBefore(foot, t.tBodies[0].rows[staff.length] || null);
  }
  const wrap = el("div");
  for (const f of failed) wrap.append(el("p", f, "error"));
  if (failed.length) wrap.append(el("p", "未能取得编制数据，请稍后刷新页面重试。", "error"));
  wrap.append(t, el("p", "含单位账户、控制数和收回编制池；领导职数按职级单列，不计入编制合计。", "muted"));
  body.replaceWith(wrap);
}
