// The calling page of one window: state from /api/windows/{n}, actions by POST, updates from the feed.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const match = location.pathname.match(/^\/w\/(\d+)$/);
  const windowNumber = match ? Number(match[1]) : null;
  const SHORTCUTS = {
    F1: "call-next", F2: "recall", F3: "start", F4: "finish", F5: "no-show",
    F6: "hold", F7: "transfer", F8: "call", F9: "pause",
  };
  let state = null;
  let csrf = "";
  let busy = false;
  let refreshTimer = null;

  async function request(method, path, body) {
    const headers = { Accept: "application/json" };
    if (method !== "GET") {
      headers["Content-Type"] = "application/json";
      headers["X-CSRF-Token"] = csrf;
    }
    try {
      const reply = await fetch(path, {
        method, headers, cache: "no-store", credentials: "same-origin",
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      let data;
      try {
        data = await reply.json();
      } catch (error) {
        data = { message: "本机回应有误，请稍后再试" };
      }
      return { status: reply.status, data };
    } catch (error) {
      return { status: 0, data: { message: "连接不上一体机，请检查网络" } };
    }
  }

  function say(text, kind) {
    const message = $("message");
    message.textContent = text || "";
    message.className = "message " + (kind || "");
  }

  function show(id) {
    for (const part of ["unpaired", "other", "desk"]) $(part).hidden = part !== id;
  }

  function showUnpaired(text) {
    show("unpaired");
    $("title").textContent = "窗口叫号";
    if (text) $("unpaired").querySelector("h2").textContent = text;
  }

  async function pairByPin(event) {
    event.preventDefault();
    const button = $("pin-pair");
    const message = $("pin-message");
    const number = Number($("pin-window").value.trim());
    if (!Number.isInteger(number) || number < 1) {
      message.textContent = "请输入窗口号（数字）";
      message.className = "message error";
      return;
    }
    button.disabled = true;
    const reply = await request("POST", "/api/pair-pin", { window: number, pin: $("pin").value.trim() });
    button.disabled = false;
    $("pin").value = "";
    if (reply.status === 200) {
      location.replace(reply.data.url);
      return;
    }
    message.textContent = reply.data.message;
    message.className = "message error";
  }

  async function showOther(text) {
    show("other");
    $("other-text").textContent = text;
    const me = await request("GET", "/api/me");
    if (me.status === 200) $("other-link").href = me.data.url;
  }

  async function refresh() {
    const reply = await request("GET", `/api/windows/${windowNumber}`);
    if (reply.status === 200) render(reply.data);
    else if (reply.status === 401) showUnpaired(reply.data.message);
    else if (reply.status === 403) await showOther(reply.data.message);
    else say(reply.data.message, "error");
  }

  function refreshSoon() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => { if (!busy) refresh(); }, 200);
  }

  function enable(id, on) {
    $(id).disabled = !on;
  }

  function render(next) {
    state = next;
    csrf = next.csrf;
    show("desk");
    const paused = next.window.paused;
    $("title").textContent = next.window.name + (paused ? "（暂停服务）" : "");
    document.title = `${next.window.name} · 叫号`;
    $("waiting").textContent = `等候 ${next.waiting} 人`;
    const current = next.current;
    $("number").textContent = current ? current.number : "—";
    $("current-info").textContent = current
      ? `${current.service_name} · ${current.status_zh}` + (current.calls > 1 ? `（已呼叫 ${current.calls} 次）` : "")
      : (paused ? "本窗口已暂停服务" : "没有正在办理的号");
    const status = current ? current.status : null;
    const idle = !current && !paused;
    enable("call-next", idle);
    enable("call", idle);
    enable("recall", status === "called");
    enable("start", status === "called");
    enable("no-show", status === "called");
    enable("finish", status === "called" || status === "serving");
    enable("hold", status === "called" || status === "serving");
    enable("transfer", status === "called" || status === "serving");
    $("pause").dataset.action = paused ? "unpause" : "pause";
    $("pause").firstChild.textContent = paused ? "恢复服务" : "暂停服务";
    renderHeld(next.held, !current && !paused);
    renderServices(next.services);
  }

  function renderHeld(held, canResume) {
    const list = $("held-list");
    list.replaceChildren();
    if (!held.length) {
      const empty = document.createElement("li");
      empty.className = "empty";
      empty.textContent = "没有挂起的号";
      list.append(empty);
      return;
    }
    for (const ticket of held) {
      const item = document.createElement("li");
      const text = document.createElement("span");
      text.textContent = `${ticket.number} 号 · ${ticket.service_name}`;
      const resume = document.createElement("button");
      resume.textContent = "恢复办理";
      resume.disabled = !canResume;
      resume.addEventListener("click", () => act("resume", { ticket: ticket.id }));
      item.append(text, resume);
      list.append(item);
    }
  }

  function renderServices(services) {
    const list = $("service-list");
    list.replaceChildren();
    for (const service of services) {
      const item = document.createElement("li");
      const name = document.createElement("span");
      name.textContent = service.name + (service.open ? "" : "（暂停取号）");
      const waiting = document.createElement("span");
      waiting.textContent = `等候 ${service.waiting} 人`;
      item.append(name, waiting);
      list.append(item);
    }
  }

  async function act(action, body) {
    if (busy) return;
    busy = true;
    document.querySelectorAll("button").forEach((b) => b.setAttribute("aria-busy", "true"));
    say("请稍候…", "");
    const reply = await request("POST", `/api/windows/${windowNumber}/${action}`, body || {});
    busy = false;
    document.querySelectorAll("button").forEach((b) => b.removeAttribute("aria-busy"));
    if (reply.data.state) render(reply.data.state);
    if (reply.status === 200) {
      say(reply.data.message, "ok");
      if (action === "finish" && reply.data.ticket) offerRating(reply.data.ticket);
      if (action === "rate") $("rating-panel").hidden = true;
      return;
    }
    if (reply.status === 401) showUnpaired(reply.data.message);
    else if (reply.status === 403 && !reply.data.state) await refresh();
    say(reply.data.message || "操作未完成", "error");
  }

  function offerRating(ticket) {
    $("rating-number").textContent = ticket.number;
    const box = $("ratings");
    box.replaceChildren();
    for (const rating of state.ratings) {
      const button = document.createElement("button");
      button.textContent = rating.text;
      button.dataset.level = rating.level;
      button.addEventListener("click", () => act("rate", { ticket: ticket.id, level: rating.level }));
      box.append(button);
    }
    $("rating-panel").hidden = false;
    $("rating-panel").scrollIntoView({ block: "nearest" });
  }

  function openPanel(id) {
    if (!state || !state.current && id === "transfer-panel") return;
    if (id === "transfer-panel") fillTransfer();
    $(id).hidden = false;
    const first = $(id).querySelector("select, input");
    if (first) first.focus();
  }

  function option(value, text) {
    const element = document.createElement("option");
    element.value = value;
    element.textContent = text;
    return element;
  }

  function fillTransfer() {
    $("transfer-number").textContent = state.current.number;
    $("transfer-service").replaceChildren(
      option("", "（业务不变）"),
      ...state.transfer_services.map((s) => option(s.key, s.name)),
    );
    $("transfer-window").replaceChildren(
      option("", "（任一办理该业务的窗口）"),
      ...state.transfer_windows.map((w) => option(String(w.number), w.name)),
    );
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button || button.disabled) return;
    if (button.dataset.action) act(button.dataset.action);
    else if (button.dataset.open) openPanel(button.dataset.open);
    else if (button.dataset.close) $(button.dataset.close).hidden = true;
  });

  $("rating-skip").addEventListener("click", () => { $("rating-panel").hidden = true; say("", ""); });

  $("transfer-confirm").addEventListener("click", () => {
    const service = $("transfer-service").value;
    const target = $("transfer-window").value;
    $("transfer-panel").hidden = true;
    act("transfer", {
      service: service || null,
      window: target ? Number(target) : null,
      keep_place: $("transfer-keep").checked,
    });
  });

  function callNumber() {
    const number = $("call-number").value.trim().toUpperCase();
    if (!number) { say("请输入要回呼的号码", "error"); return; }
    $("call-panel").hidden = true;
    $("call-number").value = "";
    act("call", { number });
  }

  $("call-confirm").addEventListener("click", callNumber);
  $("call-number").addEventListener("keydown", (event) => { if (event.key === "Enter") callNumber(); });

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      for (const id of ["transfer-panel", "call-panel"]) $(id).hidden = true;
      return;
    }
    const id = SHORTCUTS[event.key];
    if (!id) return;
    event.preventDefault(); // F5 would reload the page, F1 open help
    if ($("desk").hidden || !$(id) || $(id).disabled) return;
    $(id).click();
  });

  function listen() {
    const feed = new EventSource("/api/feed");
    feed.addEventListener("open", () => { $("link").className = "link up"; refreshSoon(); });
    feed.addEventListener("error", () => { $("link").className = "link"; });
    for (const kind of ["queue", "reset"]) feed.addEventListener(kind, refreshSoon);
  }

  $("pin-form").addEventListener("submit", pairByPin);
  if (windowNumber !== null) $("pin-window").value = String(windowNumber);

  async function start() {
    if (windowNumber === null) {
      const me = await request("GET", "/api/me");
      if (me.status === 200) location.replace(me.data.url);
      else showUnpaired(me.status === 401 ? null : me.data.message);
      return;
    }
    await refresh();
    listen();
  }

  start();
})();
