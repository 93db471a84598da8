// The dashboard: polls the gateway's /api every second with the token the user gave (kept in sessionStorage); a
// looked-up task streams its events instead.
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
    cell(row, new Date(d.died_at_unix_s * 1000).toLocaleTimeString([], { hour12: false }));
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

const STREAM_EVENTS = 50;  // progress and state lines kept in the lookup panel
let lookupAbort = null;  // ends the stream of the task on show

async function lookup() {
  const queue = $("lookup-queue").value.trim(), id = $("lookup-id").value.trim();
  if (lookupAbort) lookupAbort.abort();
  const abort = (lookupAbort = new AbortController());
  $("task").textContent = "";
  $("task-events").replaceChildren();
  $("task-progress").value = 0;
  $("task-progress-text").textContent = "";
  await follow(queue, id, abort.signal);
}

function note(kind, text) {
  const list = $("task-events");
  const line = document.createElement("li");
  line.dataset.kind = kind;
  line.textContent = `${new Date().toLocaleTimeString([], { hour12: false })} ${text}`;
  list.append(line);
  if (list.children.length > STREAM_EVENTS) list.firstElementChild.remove();
}

function showEvent(name, data) {
  if (name === "task") {
    $("task").textContent = JSON.stringify(data, null, 2);
    const attempt = data.task ? ` (attempt ${Number(data.task.attempt || 0) + 1} of ${data.task.max_attempts})` : "";
    note("state", data.state.replace("TASK_STATE_", "").toLowerCase() + attempt);
  } else if (name === "progress") {
    const percent = `${Math.round(data.progress * 100)}%`;
    $("task-progress").value = data.progress;
    $("task-progress-text").textContent = `${percent} ${data.message}`;
    note("progress", `${percent} ${data.message}${data.data == null ? "" : ` ${JSON.stringify(data.data)}`}`);
  } else if (name === "error") {
    note("error", data.error);
  } else if (name === "end") {
    note("end", "final: no more events");
  }
}

// The task's Server-Sent Events, read with fetch: EventSource cannot send the token header. The stream ends by
// itself once the task is terminal ("end"); one cut short (an "error", the gateway restarting) is opened again.
async function follow(queue, id, signal) {
  const path = `/api/task/events?queue=${encodeURIComponent(queue)}&id=${encodeURIComponent(id)}`;
  while (!signal.aborted) {
    try {
      const reply = await fetch(path, { headers: { Authorization: `Bearer ${token}` }, signal });
      if (!reply.ok) {
        const text = await reply.text();
        let error = text;
        try { error = JSON.parse(text).error; } catch { /* not JSON: the text itself */ }
        $("task").textContent = `${reply.status}: ${error}`;
        return;
      }
      const reader = reply.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        for (let end; (end = buffer.indexOf("\n\n")) >= 0; buffer = buffer.slice(end + 2)) {
          const fields = {};  // one event: "event: <name>" and "data: <JSON>" lines
          for (const line of buffer.slice(0, end).split("\n")) {
            const colon = line.indexOf(":");
            fields[line.slice(0, colon)] = line.slice(colon + 1).trim();
          }
          showEvent(fields.event, JSON.parse(fields.data));
          if (fields.event === "end") return;
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      note("error", `stream lost: ${error.message}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function tick() {
  try {
    await refreshQueues();
    await refreshWorkers();
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
// A page left for another may be kept in the back-forward cache with its fetches open: end the task's stream (its
// watch on the gateway) when the page is hidden, and follow the task again if the page comes back.
addEventListener("pagehide", () => { if (lookupAbort) lookupAbort.abort(); });
addEventListener("pageshow", (e) => { if (e.persisted && lookupAbort) lookup(); });
tick();
setInterval(tick, 1000);
