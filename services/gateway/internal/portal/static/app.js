// The portal: log in, then the views of the person's role (unit.js for a unit's HR officer, office.js
// for the staffing offices and the auditor), who is logged in, the health of each service and their APIs.
// Plain JavaScript, no build step (common.js has the shared helpers); text is set with textContent only.
"use strict";

const SERVICES = [
  { name: "units", label: "机构管理", desc: "机构、三定规定、改革方案" },
  { name: "quota", label: "编制台账", desc: "编制账户、划转、实名制" },
  { name: "talent", label: "人才周转池", desc: "人才引进编制周转" },
  { name: "enforcement", label: "综合行政执法", desc: "执法队伍、乡街召唤" },
  { name: "eduhealth", label: "教育卫生", desc: "中小学教职工、乡镇卫生院" },
];

function show(view) {
  $("login-view").hidden = view !== "login";
  $("home-view").hidden = view !== "home";
  $("who").hidden = view !== "home";
}

function logout(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  $("unit-view").replaceChildren();
  $("office-view").replaceChildren();
  show("login");
  $("login-error").textContent = message || "";
  $("password").value = "";
}

async function onLogin(ev) {
  ev.preventDefault();
  $("login-error").textContent = "";
  const r = await api("/api/v1/auth/login", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: $("username").value.trim(), password: $("password").value }),
  });
  if (r.status !== 200) {
    $("login-error").textContent = r.body && r.body.title ? problem(r) : "登录失败（HTTP " + r.status + "）";
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, r.body.token);
  $("password").value = "";
  home();
}

function showJSON(title, r) {
  $("json-title").textContent = title + " · HTTP " + r.status + (r.requestId ? " · 请求编号 " + r.requestId : "");
  $("json").textContent = typeof r.body === "string" ? r.body : JSON.stringify(r.body, null, 2);
}

function renderMe(me) {
  const dl = $("me");
  dl.replaceChildren();
  const facts = [
    ["姓名", me.name], ["用户名", me.username],
    ["角色", (me.roles || []).map((r) => ROLE_NAMES[r] || r).join("、")],
    ["管辖地区", me.region || "—"], ["可操作单位", (me.units || []).join("、") || "—"],
    ["登录有效期至", me.expiresAt ? new Date(me.expiresAt).toLocaleString("zh-CN") : "—"],
  ];
  for (const [k, v] of facts) { dl.append(el("dt", k), el("dd", v)); }
  $("who-name").textContent = me.name + "（" + (me.roles || []).map((r) => ROLE_NAMES[r] || r).join("、") + "）";
  $("audit-card").hidden = !(me.roles || []).some((r) => r === "city_admin" || r === "auditor");
}

function renderServices() {
  const tbody = $("services").querySelector("tbody");
  tbody.replaceChildren();
  for (const s of SERVICES) {
    const tr = document.createElement("tr");
    const name = el("td");
    name.append(el("strong", s.label), el("br"), el("code", s.name));
    const live = el("td", "检查中…", "wait");
    const ready = el("td", "检查中…", "wait");
    const actions = el("td");
    const who = el("button", "查看身份", "link");
    who.type = "button";
    who.addEventListener("click", async () => showJSON(s.label + " /v1/whoami", await api("/api/" + s.name + "/v1/whoami")));
    const rdy = el("button", "就绪详情", "link");
    rdy.type = "button";
    rdy.addEventListener("click", async () => showJSON(s.label + " /readyz", await api("/api/" + s.name + "/readyz")));
    actions.append(who, " ", rdy);
    tr.append(name, el("td", s.desc), live, ready, actions);
    tbody.append(tr);
    probe("/api/" + s.name + "/healthz", live);
    probe("/api/" + s.name + "/readyz", ready);
  }
}

async function probe(path, cell) {
  try {
    const r = await api(path);
    const ok = r.status === 200;
    cell.textContent = ok ? "正常" : "异常（" + r.status + "）";
    cell.className = ok ? "up" : "down";
  } catch {
    cell.textContent = "无法连接";
    cell.className = "down";
  }
}

async function loadAudit() {
  const r = await api("/api/v1/audit?limit=50");
  const tbody = $("audit").querySelector("tbody");
  tbody.replaceChildren();
  if (r.status !== 200) { showJSON("审计日志", r); return; }
  for (const a of r.body.items) {
    const tr = document.createElement("tr");
    tr.append(el("td", new Date(a.at).toLocaleString("zh-CN")), el("td", (a.name || "") + " " + (a.subject || "匿名")),
      el("td", a.method), el("td", a.path), el("td", String(a.status), a.status < 400 ? "up" : "down"),
      el("td", a.requestId));
    tbody.append(tr);
  }
  if (r.body.items.length === 0) {
    const tr = document.createElement("tr");
    const td = el("td", "暂无记录", "muted");
    td.colSpan = 6;
    tr.append(td);
    tbody.append(tr);
  }
}

async function home() {
  const r = await api("/api/v1/auth/me");
  if (r.status !== 200) { logout(); return; }
  show("home");
  const me = r.body;
  renderMe(me);
  $("unit-view").hidden = !hasRole(me, "unit_hr");
  $("office-view").hidden = !hasRole(me, ...OFFICE_ROLES);
  if (!$("unit-view").hidden) renderUnits(me);
  if (!$("office-view").hidden) renderOffice(me);
  renderServices();
  showJSON("当前用户 /api/v1/auth/me", r);
}

document.addEventListener("DOMContentLoaded", () => {
  $("login-form").addEventListener("submit", onLogin);
  $("logout").addEventListener("click", () => logout());
  $("refresh").addEventListener("click", renderServices);
  $("audit-load").addEventListener("click", loadAudit);
  if (token()) { home(); } else { show("login"); }
});
