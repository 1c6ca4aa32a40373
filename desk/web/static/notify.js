// New-chat alerts (issue 17), opt-in per agent and kept in this browser:
// when on, a chat that reaches the desk (a ticket opened without the bot,
// or one the bot hands over) rings and raises a browser notification if
// the browser allows it. The permission is asked only when the agent turns
// alerts on. Nothing rings for the agent's own actions, nor for the ticket
// the agent is looking at in a focused tab.
(function () {
  "use strict";
  var HL = window.HL;
  var live = document.querySelector('[data-hl="live-status"]');
  if (!HL || !HL.page.me || !live) return;
  var key = "hl.alerts." + HL.page.me;
  function enabled() { try { return localStorage.getItem(key) === "on"; } catch (e) { return false; } }
  function keep(on) {
    try { if (on) localStorage.setItem(key, "on"); else localStorage.removeItem(key); } catch (e) { /* private mode: this page only */ }
  }

  var btn = HL.el("button", { type: "button", class: "alerts-toggle", "data-hl": "alerts-toggle", title: HL.t("js.notify.hint") });
  var note = HL.el("span", { class: "alerts-note", role: "status", "data-hl": "alerts-note" });
  live.parentNode.insertBefore(note, live.nextSibling);
  live.parentNode.insertBefore(btn, live.nextSibling);
  function show() {
    var on = enabled();
    btn.setAttribute("aria-pressed", on ? "true" : "false");
    btn.textContent = HL.t(on ? "js.notify.on" : "js.notify.off");
  }
  show();

  var audio = null;
  // Browsers start sound only after a gesture: the toggle's click, or the
  // first click or key on a page loaded with alerts on.
  function wakeAudio() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!audio && Ctx) audio = new Ctx();
    if (audio && audio.state === "suspended") audio.resume();
  }
  ["pointerdown", "keydown"].forEach(function (t) {
    document.addEventListener(t, function () { if (enabled()) wakeAudio(); }, { once: true });
  });

  btn.addEventListener("click", function () {
    var on = !enabled();
    keep(on);
    show();
    note.textContent = "";
    if (!on) return;
    wakeAudio();
    if (!("Notification" in window)) { note.textContent = HL.t("js.notify.unsupported"); return; }
    if (Notification.permission === "default") {
      Notification.requestPermission().then(function (p) {
        if (p === "denied") note.textContent = HL.t("js.notify.denied");
      });
    } else if (Notification.permission === "denied") {
      note.textContent = HL.t("js.notify.denied");
    }
  });

  // ring plays two short tones (no sound file to fetch).
  function ring() {
    if (!audio || audio.state !== "running") return;
    [0, 0.25].forEach(function (at) {
      var o = audio.createOscillator(), g = audio.createGain(), t = audio.currentTime + at;
      o.frequency.value = 880;
      g.gain.setValueAtTime(0.15, t);
      g.gain.exponentialRampToValueAtTime(0.001, t + 0.2);
      o.connect(g); g.connect(audio.destination);
      o.start(t); o.stop(t + 0.2);
    });
  }

  // newChat says which alert an event is, or "" for none.
  function newChat(ev) {
    var d = ev.data || {}, tk = d.ticket || {}, m = d.message || {};
    if (ev.type === "ticket.created" && tk.status !== "bot") return "js.notify.title";
    if (ev.type === "message.created" && m.direction === "system" && m.event && m.event.action === "bot_handoff") return "js.notify.handoff";
    return "";
  }

  HL.on("event", function (ev) {
    if (!ev || !enabled()) return;
    var which = newChat(ev);
    if (!which) return;
    var d = ev.data || {}, m = d.message || {}, tk = d.ticket || {};
    if (m.author_id === HL.page.me) return;
    if (document.hasFocus() && HL.page.ticket_id === ev.ticket_id) return;
    var title = HL.t(which, { n: tk.number || "" });
    btn.setAttribute("data-last-alert", ev.ticket_id || "");
    ring();
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    var n = new Notification(title, { body: (m.text || "").slice(0, 120), tag: "hl-chat-" + ev.ticket_id });
    n.onclick = function () { window.focus(); location.assign("/tickets/" + encodeURIComponent(ev.ticket_id)); n.close(); };
  });
})();
