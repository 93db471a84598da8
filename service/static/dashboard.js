// The dashboard: polls the gateway's /api every second with the token the user gave (kept in sessionStorage).
"use strict";
const $ = (id) => document.getElementById(id);
const history = {};  // queue -> [{t, pushed, depth}], for the throughput sparkline
const HISTORY = 60;
let token = sessionStorage.getItem("sergeant-token") || new URLSearchParams(location.hash.slice(1)).get("token") || "";

async function api(path, body) {
  const init = { headers: { Authorization: `Bearer ${token}` } };
  if (body !== undefined) {
    init.method = "POST";
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const reply = await fetch(path, init);
  if (reply.status === 401 || reply.status === 403) {
    $("status").textContent = `refused (${reply.status}): ${await reply.text()}`;
    $("status").className = "refused";
    throw new Error("refused");
  }
  const data = await reply.json();
  if (!reply.ok) throw new Error(data.error || reply.statusText);
  $("status").textContent = "connected";
  $("status").className = "ok";
  return data;
}

function cell(row, text, numeric) {
  const td = row.insertCell();
  td.textContent = text;
  if (numeric) td.className = "n";
  return td;
}

function sparkline(points) {
  const w = 120, h = 24, max = Math.max(1, ...points);
  const step = w / Math.max(1, points.length - 1);
  const path = points.map((p, i) => `${(i * step).toFixed(1)},${(h - (p / max) * (h - 2) - 1).toFixed(1)}`).join(" ");
  return `<svg class="spark" width="${w}" height="${h}"><polyline fill="none" stroke="#2f7de1" stroke-width="1.5" points="${path}"/></svg>`;
}

function rates(queue) {
  const seen = history[queue] || [];
  const out = [];
  for (let i = 1; i < seen.length; i++) {
    const a = seen[i - 1], b = seen[i];
    out.push(Math.max(0, (b.pushed - a.pushed) - (b.depth - a.depth)) / Math.max(0.001, b.t - a.t));
  }
  return out;
}

async function refreshQueues() {
  const { queues } = await api("/api/queues");
  const body = $("queues").tBodies[0];
  body.replaceChildren();
  const now = Date.now() / 1000;
  for (const q of queues) {
    const n = (k) => Number(q[k] || 0);
    const seen = (history[q.name] ||= []);
    seen.push({ t: now, pushed: q.pushed, depth: n("ready") + n("delayed") + n("leased") });
    if (seen.length > HISTORY) seen.shift();
    const row = body.insertRow();
    row.dataset.queue = q.name;
    cell(row, q.name);
    for (const k of ["ready", "delayed", "leased", "dead"]) cell(row, n(k), true).dataset.count = k;
    cell(row, q.paused ? "paused" : "");
    const r = rates(q.name);
    const spark = cell(row, "", true);
    spark.innerHTML = `${sparkline(r)} ${(r.at(-1) || 0).toFixed(1)}`;
  }
}

async function refreshWorkers() {
  const { workers } = await api("/api/workers");
  const body = $("workers").tBodies[0];
  body.replaceChildren();
  for (const w of workers) {
    const row = body.insertRow();
    cell(row, w.worker_id);
    cell(row, w.queue);
    cell(row, w.pid, true);
    cell(row, w.host);
    cell(row, w.in_flight || 0, true);
    cell(row, w.tasks_done || 0, true);
    cell(row, `${Math.round(Number(w.rss_bytes || 0) / 1048576)} MB`, true);
    cell(row, `${Math.round(Date.now() / 1000 - w.last_heartbeat_unix_s)} s ago`, true);
  }
}

async function showDead() {
  const queue = $("dead-queue").value.trim();
  const body = $("dead").tBodies[0];
  body.replaceChildren();
  if (!queue) return;
  const { dead_letters } = await api(`/api/dead?queue=${encodeURIComponent(queue)}`);
  for (const d of dead_letters) {
    const row = body.insertRow();
    row.dataset.task = d.task.id;
    cell(row, d.task.id);
    cell(row, d.error ? `${d.error.type}: ${d.error.message}` : "").className = "wrap";
    cell(row, new Date(d.died_at_unix_s * 1000).toLocaleTimeString());
    const actions = row.insertCell();
    for (const [label, path] of [["Replay", "/api/replay"], ["Purge", "/api/purge-dead"]]) {
      const button = document.createElement("button");
      button.textContent = label;
      button.className = label.toLowerCase();
      button.onclick = async () => {
        await api(path, { queue, ids: [d.task.id] });
        await showDead();
        await refreshQueues();
      };
      actions.append(button);
    }
  }
}

const FINAL = new Set(["TASK_STATE_SUCCEEDED", "TASK_STATE_DEAD", "TASK_STATE_CANCELLED"]);
let following = null;  // the task the lookup panel follows until it reaches a final state

async function lookup() {
  const queue = $("lookup-queue").value.trim(), id = $("lookup-id").value.trim();
  following = { queue, id };
  await refreshTask();
}

async function refreshTask() {
  if (!following) return;
  const { queue, id } = following;
  try {
    const task = await api(`/api/task?queue=${encodeURIComponent(queue)}&id=${encodeURIComponent(id)}`);
    $("task").textContent = JSON.stringify(task, null, 2);
    if (FINAL.has(task.state) && following && following.id === id) following = null;
  } catch (error) {
    $("task").textContent = String(error.message || error);
    following = null;
  }
}

async function tick() {
  try {
    await refreshQueues();
    await refreshWorkers();
    await refreshTask();
  } catch (error) {
    if (error.message !== "refused") $("status").textContent = `error: ${error.message}`;
  }
}

$("login").onsubmit = (e) => {
  e.preventDefault();
  token = $("token").value.trim();
  sessionStorage.setItem("sergeant-token", token);
  tick();
};
$("dead-form").onsubmit = (e) => { e.preventDefault(); showDead().catch(() => {}); };
$("lookup").onsubmit = (e) => { e.preventDefault(); lookup(); };
tick();
setInterval(tick, 1000);
