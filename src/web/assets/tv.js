// Closer's TV screen: shows the month's and the quarter's leaderboards and the contests in turn,
// counts each running contest down to its end, and follows wins live through server-sent events
// (EventSource reconnects by itself; the server then sends the board afresh). Served from /assets/
// under the page's Content-Security-Policy: no inline script.
(() => {
  const root = document.getElementById("tv");
  const board = document.getElementById("board");
  const status = document.getElementById("tv-status");
  const overlay = document.getElementById("celebration");
  if (!root || !board || !status || !overlay) return;
  const rotateMs = Number(root.dataset.rotateMs) || 15000;
  const celebrateMs = Number(root.dataset.celebrateMs) || 8000;

  let turn = 0;
  const rotate = () => {
    const boards = board.querySelectorAll(".slide");
    boards.forEach((b, i) => {
      b.hidden = i !== turn % boards.length;
    });
  };
  setInterval(() => {
    turn += 1;
    rotate();
  }, rotateMs);

  // A countdown starts from the time left by the server's clock when it rendered the board, and
  // goes down with this screen's monotonic clock, so a TV whose clock is wrong still counts right.
  let shownAt = performance.now();
  const pad = (n) => String(n).padStart(2, "0");
  const tick = () => {
    const elapsed = performance.now() - shownAt;
    for (const clock of board.querySelectorAll(".countdown[data-remaining-ms]")) {
      const left = Number(clock.dataset.remainingMs) - elapsed;
      if (left <= 0) {
        clock.textContent = clock.dataset.over;
        clock.removeAttribute("data-remaining-ms");
        continue;
      }
      // A second begun counts whole, as the server counted it: 00:00:00 is the end itself.
      const s = Math.ceil(left / 1000);
      const values = {
        day: String(Math.floor(s / 86400)),
        hour: pad(Math.floor(s / 3600) % 24),
        minute: pad(Math.floor(s / 60) % 60),
        second: pad(s % 60),
      };
      for (const v of clock.querySelectorAll(".cd-value")) v.textContent = values[v.dataset.unit];
    }
  };
  setInterval(tick, 1000);

  // When the board's contests change (one ends, a result leaves, one starts), the stream is opened
  // afresh and the server sends the board as it is then: a screen nobody touches shows the winner.
  // A little after the change, so the server's clock has passed it; at most some hours ahead.
  const CHANGE_MARGIN_MS = 2000;
  const LONGEST_WAIT_MS = 6 * 3600 * 1000;
  let refreshing;
  const scheduleRefresh = () => {
    clearTimeout(refreshing);
    const change = board.querySelector("[data-changes-in-ms]");
    if (!change) return;
    const wait = Math.min(Number(change.dataset.changesInMs) + CHANGE_MARGIN_MS, LONGEST_WAIT_MS);
    refreshing = setTimeout(() => connect(), Math.max(0, wait));
  };

  // The board is HTML the server rendered and escaped, as it rendered the page.
  const show = (html) => {
    board.innerHTML = html;
    shownAt = performance.now();
    rotate();
    tick();
    scheduleRefresh();
  };

  let hiding;
  const celebrate = (c) => {
    overlay.querySelector(".celebration-title").textContent = c.title;
    overlay.querySelector(".celebration-detail").textContent = c.detail;
    overlay.hidden = false;
    clearTimeout(hiding);
    hiding = setTimeout(() => {
      overlay.hidden = true;
    }, celebrateMs);
  };

  let events;
  const connect = () => {
    events?.close();
    events = new EventSource(`${location.pathname.replace(/\/$/, "")}/events`);
    events.addEventListener("open", () => {
      status.hidden = true;
      root.dataset.live = "true";
    });
    events.addEventListener("error", () => {
      status.hidden = false;
      root.dataset.live = "false";
    });
    events.addEventListener("board", (e) => show(JSON.parse(e.data).board));
    events.addEventListener("win", (e) => {
      const win = JSON.parse(e.data);
      show(win.board);
      celebrate(win.celebration);
    });
  };
  connect();
  scheduleRefresh();
})();
