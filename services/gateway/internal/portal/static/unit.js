// 本单位编制情况: for a unit's HR officer, each unit of the token with its quota accounts and its named
// incumbents (實名制). Identity numbers are masked: first 6 and last 4 characters only.
"use strict";

async function renderUnits(me) {
  const box = $("unit-view");
  box.replaceChildren();
  const units = me.units || [];
  if (units.length === 0) {
    const c = card("本单位编制情况");
    c.append(el("p", "当前账号没有可查看的单位，请联系编办开通。", "muted"));
    box.append(c);
    return;
  }
  for (const id of units) {
    const c = card("本单位编制情况", id);
    c.append(el("p", "加载中…", "muted"));
    box.append(c);
    fillUnit(c, id); // the units load side by side
  }
}

async function fillUnit(c, id) {
  const enc = encodeURIComponent(id);
  const [u, b, p] = await Promise.all([
    api("/api/units/v1/units/" + enc),
    api("/api/quota/v1/balances?unit=" + enc),
    api("/api/quota/v1/units/" + enc + "/incumbents"),
  ]);
  c.replaceChildren();
  c.append(unitHeader(id, u));
  c.append(el("h3", "编制账户"));
  c.append(b.status === 200 ? balanceTable(b.body) : errorLine(b));
  if (p.status === 200) {
    c.append(el("h3", "实有人员（实名制）· 共 " + p.body.count + " 人"));
    c.append(peopleTable(p.body.incumbents || []));
  } else {
    c.append(el("h3", "实有人员（实名制）"), errorLine(p));
  }
}

function unitHeader(id, u) {
  const head = el("div", undefined, "unit-head");
  if (u.status !== 200) {
    head.append(el("h2", "单位 " + id), errorLine(u));
    return head;
  }
  const x = u.body;
  const h = el("h2");
  h.append(el("span", "本单位编制情况", "muted"), x.name || id);
  const st = el("span", UNIT_STATUS_LABELS[x.status] || x.status || "—", "tag " + (x.status === "active" ? "ok" : "bad"));
  h.append(st);
  const dl = el("dl", undefined, "facts inline");
  const facts = [["单位编号", x.id], ["单位类型", UNIT_KIND_LABELS[x.kind] || x.kind], ["机构规格", x.rank],
    ["批准文号", x.documentNo]];
  if (x.status === "merged" && x.mergedInto) facts.push(["并入", x.mergedInto]);
  for (const [k, v] of facts) if (v) dl.append(el("dt", k), el("dd", v));
  head.append(h, dl);
  return head;
}

function balanceTable(body) {
  const accts = (body.accounts || []).slice().sort((a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind));
  const rows = accts.map((a) => {
    const vac = el("span", num(a.balance.vacant), a.balance.vacant === 0 && !a.kind.startsWith("leader_") ? "down" : undefined);
    const name = a.kindLabel || KIND_LABELS[a.kind] || a.kind;
    return [a.abolished ? name + "（已撤销）" : name, num(a.balance.approved), num(a.balance.occupied),
      num(a.balance.held), vac];
  });
  const t = table(["编制类型", "核定", "在编", "预留", "空编"], rows, "本单位尚未开设编制账户", 1);
  if (accts.length > 1) {
    const s = body.total || {};
    const foot = tr(["合计", num(s.approved), num(s.occupied), num(s.held), num(s.vacant)], 1);
    foot.className = "total";
    t.tBodies[0].append(foot);
  }
  const wrap = el("div");
  wrap.append(t);
  const full = accts.some((a) => a.balance.vacant === 0 && a.balance.approved > 0 && !a.kind.startsWith("leader_"));
  let note = "空编率 " + pct(body.vacancyRate || 0) + "。空编 = 核定 − 在编 − 预留。";
  if (full) note += " 标红的编制类型已满编：按红线管理不能再进人。";
  wrap.append(el("p", note, "muted"));
  return wrap;
}

function peopleTable(people) {
  const rows = people.map((p, i) => [String(i + 1), p.name, GENDER_LABELS[p.gender] || p.gender, p.birthDate,
    el("code", maskID(p.idNumber)), KIND_LABELS[p.kind] || p.kind, CHANNEL_LABELS[p.channel] || p.channel, p.entryDate]);
  return table(["序号", "姓名", "性别", "出生日期", "身份证号", "编制类型", "进人渠道", "入编日期"], rows, "暂无在编人员");
}
