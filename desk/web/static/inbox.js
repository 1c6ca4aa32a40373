// Inbox: j/k selection, Enter opens, and live re-rendering of the rows from
// the server's own escaped fragment when anything happens on the desk.
(function () {
  "use strict";
  var HL = window.HL;
  var table = document.querySelector("table.tickets");
  if (!HL || !table) return;
  var selectedID = null;

  function rows() { return Array.prototype.slice.call(table.querySelectorAll('[data-hl="inbox-row"]')); }

  function select(row, focus) {
    rows().forEach(function (r) { r.classList.remove("selected"); r.removeAttribute("aria-selected"); r.tabIndex = -1; });
    if (!row) { selectedID = null; return; }
    row.classList.add("selected");
    row.setAttribute("aria-selected", "true");
    row.tabIndex = 0;
    selectedID = row.getAttribute("data-ticket-id");
    if (focus) { row.focus(); row.scrollIntoView({ block: "nearest" }); }
  }
  function move(delta) {
    var rs = rows();
    if (!rs.length) return;
    var i = rs.findIndex(function (r) { return r.getAttribute("data-ticket-id") === selectedID; });
    i = i < 0 ? (delta > 0 ? 0 : rs.length - 1) : Math.max(0, Math.min(rs.length - 1, i + delta));
    select(rs[i], true);
  }
  function open() {
    var r = rows().find(function (r) { return r.getAttribute("data-ticket-id") === selectedID; });
    if (r) location.assign(r.getAttribute("data-href"));
  }
  HL.keys.j = function () { move(1); };
  HL.keys.k = function () { move(-1); };
  HL.keys.Enter = function (ev) {
    // Enter on a focused link follows it already.
    if (ev.target && ev.target.tagName === "A") return;
    if (selectedID) { ev.preventDefault(); open(); }
  };
  table.addEventListener("click", function (ev) {
    var row = ev.target.closest('[data-hl="inbox-row"]');
    if (!row || ev.target.closest("a")) return;
    select(row, false);
    location.assign(row.getAttribute("data-href"));
  });

  // Filters apply as soon as they change.
  document.querySelectorAll('[data-hl="filter-status"], [data-hl="filter-channel"], [data-hl="inbox-sort"]').forEach(function (s) {
    s.addEventListener("change", function () { s.form.submit(); });
  });

  // Live: re-read this very view (same filters and page) as a fragment.
  // The fragment is our own server-rendered, escaped HTML; it is parsed
  // into a separate document and its nodes adopted, never assigned as a
  // string to innerHTML.
  var refresh = HL.debounce(function () {
    var u = new URL(location.href);
    u.searchParams.set("fragment", "rows");
    var hadFocus = document.activeElement && document.activeElement.getAttribute &&
      document.activeElement.getAttribute("data-hl") === "inbox-row";
    HL.fragment(u.toString(), ["inbox-rows", "inbox-pager"]).then(function (done) {
      if (!done) return;
      var keep = rows().find(function (r) { return r.getAttribute("data-ticket-id") === selectedID; });
      select(keep || null, hadFocus);
      HL.refreshTimes(table);
    });
  }, 500);
  HL.on("event", refresh);
  HL.on("reset", refresh);
  // Waiting times and deadline countdowns move with the clock, not only
  // with events: re-read the rows each minute while the tab is seen.
  setInterval(function () { if (!document.hidden) refresh(); }, 60000);

  // "Next ticket" claims the most urgent waiting ticket and opens it.
  var next = document.querySelector('[data-hl="next-ticket"]');
  var nextStatus = document.querySelector('[data-hl="next-ticket-status"]');
  if (next) next.addEventListener("click", function () {
    next.disabled = true;
    nextStatus.textContent = "";
    HL.api("POST", "/api/v1/tickets/next").then(function (res) {
      next.disabled = false;
      if (res.ok && res.data && res.data.id) { location.assign("/tickets/" + encodeURIComponent(res.data.id)); return; }
      nextStatus.textContent = res.status === 404 ? HL.t("js.next_none") : HL.errorText(res);
    });
  });
})();
