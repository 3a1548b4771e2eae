// Reload the ticket's status page when the queue changes (and every 30 s in case the feed is down).
"use strict";

(() => {
  let timer = null;
  const reload = () => { clearTimeout(timer); timer = setTimeout(() => location.reload(), 500); };
  if (window.EventSource) {
    const feed = new EventSource("/api/feed");
    for (const kind of ["call", "ticket", "reset"]) feed.addEventListener(kind, reload);
  }
  setInterval(() => location.reload(), 30000);
})();
