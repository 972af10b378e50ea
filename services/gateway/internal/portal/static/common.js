// Shared by the portal's scripts: the API call, DOM helpers and the Chinese labels of the services' codes.
// Every text is set with textContent, never parsed as HTML, so nothing an API returns can run as script.
"use strict";

const TOKEN_KEY = "bianzhi.token";
const $ = (id) => document.getElementById(id);

const ROLE_NAMES = {
  city_admin: "市编办管理员", county_admin: "县区编办管理员", unit_hr: "单位人事专员",
  auditor: "审计员", service: "服务账号",
};
const OFFICE_ROLES = ["city_admin", "county_admin", "auditor"];
const KIND_LABELS = {
  administrative: "行政编制", institution_full: "事业编制（全额拨款）", institution_partial: "事业编制（差额拨款）",
  institution_self: "事业编制（自收自支）", politics_legal: "政法专项编制", service_staff: "工勤编制",
  leader_zhengchu: "正处级领导职数", leader_fuchu: "副处级领导职数", leader_zhengke: "正科级领导职数",
  leader_fuke: "副科级领导职数",
};
const KINDS = Object.keys(KIND_LABELS); // the quota service's stable order
const CHANNEL_LABELS = {
  exam: "考试录用", open_recruitment: "公开招聘", transfer: "调任", military_resettlement: "军转安置",
  talent_pool: "人才周转池引进",
};
const GENDER_LABELS = { male: "男", female: "女" };
const UNIT_KIND_LABELS = { party_organ: "党委机构", government_department: "政府部门", public_institution: "事业单位" };
const UNIT_STATUS_LABELS = { active: "正常", merged: "已合并", abolished: "已撤销" };

function token() { return sessionStorage.getItem(TOKEN_KEY); }
function hasRole(me, ...roles) { return (me.roles || []).some((r) => roles.includes(r)); }

async function api(path, opts = {}) {
  const headers = { Accept: "application/json", ...(opts.headers || {}) };
  if (token()) headers.Authorization = "Bearer " + token();
  let resp;
  try {
    resp = await fetch(path, { ...opts, headers });
  } catch {
    return { status: 0, body: { title: "无法连接服务器，请检查网络" }, requestId: null };
  }
  let body = null;
  const text = await resp.text();
  try { body = text ? JSON.parse(text) : null; } catch { body = text; }
  if (resp.status === 401 && token() && path !== "/api/v1/auth/login") {
    logout("登录已失效，请重新登录");
  }
  return { status: resp.status, body, requestId: resp.headers.get("X-Request-ID") };
}

// problem is the sentence to show a person for a failed call: the problem+json title.
function problem(r) {
  const t = r.body && typeof r.body === "object" && r.body.title;
  return (t || "请求失败") + (r.status ? "（HTTP " + r.status + "）" : "");
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function card(title, note) {
  const c = el("div", undefined, "card");
  const h = el("h2", title);
  if (note) h.append(el("span", note, "muted"));
  c.append(h);
  return c;
}

// table builds a table with a header row; rows are arrays of cells (text, or a node).
function table(headers, rows, empty, numericFrom) {
  const t = el("table");
  const hr = el("tr");
  headers.forEach((h, i) => hr.append(el("th", h, i >= numericFrom ? "num" : undefined)));
  t.append(el("thead"), el("tbody"));
  t.tHead.append(hr);
  for (const row of rows) t.tBodies[0].append(tr(row, numericFrom));
  if (rows.length === 0) {
    const td = el("td", empty || "暂无数据", "muted");
    td.colSpan = headers.length;
    t.tBodies[0].append(el("tr")).append(td);
  }
  return t;
}

function tr(cells, numericFrom) {
  const row = el("tr");
  cells.forEach((c, i) => {
    const td = el("td", undefined, i >= numericFrom ? "num" : undefined);
    td.append(c instanceof Node ? c : String(c ?? "—"));
    row.append(td);
  });
  return row;
}

// maskID keeps the first 6 and last 4 characters of an identity number.
function maskID(id) {
  if (!id) return "—";
  if (id.length <= 10) return "*".repeat(id.length);
  return id.slice(0, 6) + "*".repeat(id.length - 10) + id.slice(-4);
}

function num(n) { return typeof n === "number" ? n.toLocaleString("zh-CN") : "—"; }
function pct(x) { return (x * 100).toFixed(1) + "%"; }
function errorLine(r) { return el("p", problem(r), "error"); }
