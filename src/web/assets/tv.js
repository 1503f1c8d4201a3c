// Closer's TV screen: shows the month's and the quarter's leaderboards in turn, and follows wins
// live through server-sent events (EventSource reconnects by itself; the server then sends the
// board afresh). Served from /assets/ under the page's Content-Security-Policy: no inline script.
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
    const boards = board.querySelectorAll(".leaderboard");
    boards.forEach((b, i) => {
      b.hidden = i !== turn % boards.length;
    });
  };
  setInterval(() => {
    turn += 1;
    rotate();
  }, rotateMs);

  // The board is HTML the server rendered and escaped, as it rendered the page.
  const show = (html) => {
    board.innerHTML = html;
    rotate();
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

  const events = new EventSource(`${location.pathname.replace(/\/$/, "")}/events`);
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
})();
