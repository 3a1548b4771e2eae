// The pairing page the staff-mode QR opens: show the window, then exchange the one-time code for its cookie.
"use strict";

(async () => {
  const $ = (id) => document.getElementById(id);
  const code = decodeURIComponent(location.pathname.replace(/^\/pair\//, ""));

  async function call(method, path, body) {
    try {
      const reply = await fetch(path, {
        method, cache: "no-store", credentials: "same-origin",
        headers: { Accept: "application/json", "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: reply.status, data: await reply.json() };
    } catch (error) {
      return { status: 0, data: { message: "连接不上一体机，请检查网络" } };
    }
  }

  const info = await call("GET", `/api/pair/${encodeURIComponent(code)}`);
  if (info.status !== 200) {
    $("pair-title").textContent = "无法配对";
    $("pair-text").textContent = info.data.message;
    return;
  }
  $("pair-title").textContent = `将本设备配对为 ${info.data.name}`;
  $("pair-text").textContent = "配对后，本设备可以为该窗口叫号。请只在该窗口使用的电脑或手机上确认。";
  const confirm = $("pair-confirm");
  confirm.hidden = false;
  confirm.addEventListener("click", async () => {
    confirm.disabled = true;
    const reply = await call("POST", "/api/pair", { code });
    if (reply.status === 200) {
      location.replace(reply.data.url);
      return;
    }
    $("message").textContent = reply.data.message;
    $("message").className = "message error";
  });
})();
