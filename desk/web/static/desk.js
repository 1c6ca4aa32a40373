// Huiliu desk: shared client code for every signed-in page. Loaded with
// defer; the page's own script (inbox.js, ticket.js, admin.js) registers
// with HL. Data from customers and agents is only ever put into the page
// with textContent, never as HTML.
(function () {
  "use strict";

  function readJSON(id) {
    var el = document.getElementById(id);
    if (!el) return {};
    try { return JSON.parse(el.textContent || "{}") || {}; } catch (e) { return {}; }
  }

  var catalog = readJSON("hl-i18n");
  var page = readJSON("hl-page");
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');

  var HL = {
    page: page,
    csrf: csrfMeta ? csrfMeta.getAttribute("content") : "",
    keys: {},          // shortcut key → handler, filled by page scripts
    handlers: { event: [], reset: [], typing: [], open: [] },
  };
  window.HL = HL;

  // t translates key and fills {name} placeholders from args.
  HL.t = function (key, args) {
    var s = Object.prototype.hasOwnProperty.call(catalog, key) ? catalog[key] : key;
    if (args) {
      Object.keys(args).forEach(function (k) { s = s.split("{" + k + "}").join(String(args[k])); });
    }
    return s;
  };
  // tv translates an enumerated value (status, priority, …), keeping
  // unknown values as they are.
  HL.tv = function (prefix, v) {
    var k = prefix + v;
    return Object.prototype.hasOwnProperty.call(catalog, k) ? catalog[k] : String(v || "");
  };

  HL.on = function (kind, fn) { HL.handlers[kind].push(fn); };
  function emit(kind, arg) {
    HL.handlers[kind].forEach(function (fn) {
      try { fn(arg); } catch (e) { if (window.console) console.error(e); }
    });
  }

  HL.debounce = function (fn, ms) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  };

  // el builds an element with text content and attributes; the one way
  // scripts make markup.
  HL.el = function (tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] === null || attrs[k] === undefined || attrs[k] === false) return;
        if (k === "class") e.className = attrs[k]; else e.setAttribute(k, attrs[k]);
      });
    }
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  };

  // api calls the REST API with the session's CSRF token. It resolves to
  // {ok, status, data}; data is the parsed JSON (or null).
  HL.api = function (method, path, body, headers) {
    var opts = { method: method, credentials: "same-origin", headers: { "Accept": "application/json" } };
    if (method !== "GET" && method !== "HEAD") opts.headers["X-CSRF-Token"] = HL.csrf;
    if (headers) Object.keys(headers).forEach(function (k) { opts.headers[k] = headers[k]; });
    if (body instanceof FormData || body instanceof Blob) {
      opts.body = body; // a file goes as it is, its type in headers

    } else if (body !== undefined && body !== null) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    return fetch(path, opts).then(function (r) {
      return r.text().then(function (txt) {
        var data = null;
        try { data = txt ? JSON.parse(txt) : null; } catch (e) { data = null; }
        if (r.status === 401) location.assign("/login?next=" + encodeURIComponent(location.pathname + location.search));
        return { ok: r.ok, status: r.status, data: data };
      });
    }, function (err) {
      return { ok: false, status: 0, data: { error: { message: String(err && err.message || err) } } };
    });
  };
  HL.errorText = function (res) {
    if (res.status === 404 || res.status === 405) return HL.t("js.unsupported");
    var m = res.data && res.data.error && res.data.error.message;
    return m || ("HTTP " + res.status);
  };

  // HL.say puts text in a page's status line (role=status), in error
  // style when isError; HL.sayFailed says why an API call failed there.
  HL.say = function (el, text, isError) {
    if (!el) return;
    el.textContent = text || "";
    el.classList.toggle("error", !!isError);
  };
  HL.sayFailed = function (el, res) {
    HL.say(el, HL.t("js.failed", { reason: HL.errorText(res) }), true);
  };

  HL.uuid = function () {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
  };

  // zone is the agent's time zone (their setting, else the desk's): every
  // time a script shows is in it, as the server's pages are.
  HL.zone = document.body.getAttribute("data-zone") || "UTC";
  var zoneFmt = null;
  function wall(t) {
    if (!zoneFmt) {
      try {
        zoneFmt = new Intl.DateTimeFormat("en-US", { timeZone: HL.zone, hourCycle: "h23", year: "numeric", month: "2-digit",
          day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
      } catch (e) {
        HL.zone = "UTC";
        zoneFmt = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", hourCycle: "h23", year: "numeric", month: "2-digit",
          day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
      }
    }
    var p = {};
    zoneFmt.formatToParts(t).forEach(function (x) { p[x.type] = x.value; });
    return { y: +p.year, mo: +p.month, d: +p.day, h: +p.hour, mi: +p.minute, s: +p.second };
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  // offsetMinutes is the zone's offset from UTC at instant t.
  function offsetMinutes(t) {
    var w = wall(t);
    return Math.round((Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s) - Math.floor(t.getTime() / 1000) * 1000) / 60000);
  }
  // zoneLabel mirrors zoneLabel in timefmt.go: "UTC+8", "UTC-4", "UTC+5:30".
  HL.zoneLabel = function (t) {
    var off = offsetMinutes(t);
    if (off === 0) return "UTC";
    var sign = off < 0 ? "-" : "+";
    off = Math.abs(off);
    return "UTC" + sign + Math.floor(off / 60) + (off % 60 ? ":" + pad(off % 60) : "");
  };
  // absTime mirrors absTime in timefmt.go: "2026-03-08 09:30 UTC+8".
  HL.absTime = function (iso) {
    var t = new Date(iso);
    if (isNaN(t)) return "";
    var w = wall(t);
    return w.y + "-" + pad(w.mo) + "-" + pad(w.d) + " " + pad(w.h) + ":" + pad(w.mi) + " " + HL.zoneLabel(t);
  };
  // clockTime is the hour and minute in the agent's zone, labelled.
  HL.clockTime = function (iso) {
    var t = new Date(iso);
    if (isNaN(t)) return "";
    var w = wall(t);
    return pad(w.h) + ":" + pad(w.mi) + " " + HL.zoneLabel(t);
  };
  // fromZoneInput reads a datetime-local value ("2026-03-08T09:30") as a
  // wall-clock time in the agent's zone, not the browser's.
  HL.fromZoneInput = function (v) {
    var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(v || "");
    if (!m) return null;
    var guess = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
    var t = new Date(guess - offsetMinutes(new Date(guess)) * 60000);
    return new Date(guess - offsetMinutes(t) * 60000);
  };

  // labelText mirrors channelLabels in channel_labels.go: a channel's
  // English labels at the start of a customer's text, in the reader's words.
  var labelRe = /^\[(edited|partly unreadable|forwarded|photo|animation|unsupported message|shared own phone number|document|sticker|voice|video note|video|audio|venue|location|poll|dice)(?: ([^\]]*))?\]( ?)/;
  HL.labelText = function (text) {
    var out = "", rest = String(text || ""), m;
    while ((m = labelRe.exec(rest))) {
      var detail = m[2] || "", s = /^(\d+)s$/.exec(detail);
      if (s) detail = HL.t("chlabel.seconds", { n: s[1] });
      out += "[" + HL.t("chlabel." + m[1].replace(/ /g, "_")) + (detail ? " " + detail : "") + "]" + m[3];
      rest = rest.slice(m[0].length);
    }
    return out + rest;
  };

  // relTime mirrors relativeTime in render.go.
  HL.relTime = function (iso) {
    var t = new Date(iso);
    if (isNaN(t)) return "";
    var d = (Date.now() - t.getTime()) / 1000;
    if (d < 60) return HL.t("time.just_now");
    if (d < 3600) return HL.t("time.minutes", { n: Math.floor(d / 60) });
    if (d < 86400) return HL.t("time.hours", { n: Math.floor(d / 3600) });
    if (d < 30 * 86400) return HL.t("time.days", { n: Math.floor(d / 86400) });
    return HL.absTime(iso).slice(0, 10);
  };
  HL.refreshTimes = function (root) {
    (root || document).querySelectorAll("time[data-rel]").forEach(function (el) {
      var v = HL.relTime(el.getAttribute("datetime"));
      if (v) el.textContent = v;
    });
  };
  // The header's zone control saves the agent's own zone, then reloads so
  // the server-rendered times follow.
  var zoneSelect = document.querySelector('[data-hl="me-zone"]');
  if (zoneSelect) {
    zoneSelect.addEventListener("change", function () {
      HL.api("PATCH", "/api/v1/me", { time_zone: zoneSelect.value }).then(function (res) {
        if (res.ok) { location.reload(); return; }
        zoneSelect.value = HL.zone;
        window.alert(HL.errorText(res));
      });
    });
  }
  setInterval(function () { HL.refreshTimes(); }, 60000);

  // fragment re-reads parts of a page as the server renders them: url
  // answers escaped HTML, parsed into a separate document; each element
  // named by a data-hl in hls replaces its twin under root. Never a string
  // assigned to innerHTML. Resolves true when it replaced anything.
  HL.fragment = function (url, hls, root) {
    root = root || document;
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (r.status === 401 || r.redirected) { location.reload(); return null; }
      return r.ok ? r.text() : null;
    }).then(function (html) {
      if (!html) return false;
      var doc = new DOMParser().parseFromString(html, "text/html");
      var done = false;
      hls.forEach(function (hl) {
        var fresh = doc.querySelector('[data-hl="' + hl + '"]');
        var old = root.querySelector('[data-hl="' + hl + '"]');
        if (fresh && old) { old.replaceWith(document.adoptNode(fresh)); done = true; }
      });
      return done;
    }, function () { return false; });
  };

  // argValuePrefixes mirrors the table of the same name in page_system.go.
  var argValuePrefixes = { status: "status.", priority: "priority.", kind: "identity.", method: "method.",
    target: "sla.target.", level: "sla.level." };

  // sysText mirrors systemText in page_system.go.
  HL.sysText = function (m) {
    var e = m.event;
    if (!e || !e.action) return m.text || "";
    var key = "sys." + e.action;
    var args = Object.assign({}, e.args || {});
    if (e.action === "transfer" && !args.team) key = "sys.unroute";
    if (e.action === "outcome_confirmed" && args.reason) key = "sys.outcome_confirmed_for";
    if (e.action === "assign" && args.by === "auto") key = "sys.assign_auto";
    if (!Object.prototype.hasOwnProperty.call(catalog, key)) return m.text || "";
    Object.keys(argValuePrefixes).forEach(function (k) {
      if (args[k]) args[k] = HL.tv(argValuePrefixes[k], args[k]);
    });
    if (args.by === "auto") args.by = HL.t("sys.by_auto");
    if (e.action === "sla_escalation") args.actions = escalationActions(args);
    return HL.t(key, args);
  };

  // escalationActions mirrors the function of the same name in page_system.go.
  function escalationActions(a) {
    var parts = [];
    if (a.raised_to) parts.push(HL.t("sla.act.raised", { priority: HL.tv("priority.", a.raised_to) }));
    if (a.moved_to) parts.push(HL.t("sla.act.moved", { team: a.moved_to }));
    if (a.tagged) parts.push(HL.t("sla.act.tagged", { tag: a.tagged }));
    if (a.notified) {
      var who = a.notified.split("+").map(function (w) { return HL.tv("sla.who.", w); });
      parts.push(HL.t("sla.act.notified", { who: who.join(HL.t("sla.act.and")) }));
    }
    return parts.length ? parts.join(HL.t("sla.act.sep")) : (a.actions || "");
  }

  // ---- live connection -------------------------------------------------
  var live = document.querySelector('[data-hl="live-status"]');
  // pos is the resume point "<epoch>:<seq>"; a server that cannot prove it
  // still holds everything after it answers "reset" and the page reloads.
  var pos = typeof page.pos === "string" ? page.pos : "";
  var ws = null, attempt = 0, lastHeard = 0, retryTimer = null, stopped = false;

  function setState(state) {
    if (!live) return;
    live.setAttribute("data-state", state);
    var txt = live.querySelector(".live-text");
    if (txt) txt.textContent = HL.t("live." + state);
  }

  HL.send = function (obj) {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(obj));
  };

  function connect() {
    if (stopped) return;
    setState("connecting");
    var url = (location.protocol === "https:" ? "wss:" : "ws:") + "//" + location.host + "/desk/ws";
    if (pos) url += "?after=" + encodeURIComponent(pos);
    try { ws = new WebSocket(url); } catch (e) { scheduleRetry(); return; }
    ws.onopen = function () {
      attempt = 0;
      lastHeard = Date.now();
      setState("open");
      emit("open");
    };
    ws.onmessage = function (msg) {
      lastHeard = Date.now();
      var f;
      try { f = JSON.parse(msg.data); } catch (e) { return; }
      switch (f.type) {
        case "event":
          pos = f.pos;
          emit("event", f.event);
          break;
        case "skip":
          pos = f.pos;
          break;
        case "reset":
          pos = f.pos;
          emit("reset");
          break;
        case "typing":
          emit("typing", f);
          break;
      }
    };
    ws.onclose = function () {
      ws = null;
      setState("closed");
      scheduleRetry();
    };
  }

  // Reconnects back off exponentially (capped at 30 s) with jitter, so a
  // restarted server is not hit by every desk at the same instant.
  function scheduleRetry() {
    if (stopped || retryTimer) return;
    var delay = Math.min(30000, 500 * Math.pow(2, attempt)) * (0.5 + Math.random() / 2);
    attempt++;
    if (attempt >= 3) {
      // Repeated failures may mean the session ended: api() sends us to
      // the login page on 401.
      HL.api("GET", "/api/v1/me");
    }
    retryTimer = setTimeout(function () { retryTimer = null; connect(); }, delay);
  }

  // An application ping every 25 s; a socket silent for 60 s is presumed
  // dead (a network drop without a close) and replaced.
  setInterval(function () {
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    if (Date.now() - lastHeard > 60000) { ws.close(); return; }
    HL.send({ type: "ping" });
  }, 25000);
  window.addEventListener("online", function () {
    if (!ws && retryTimer) { clearTimeout(retryTimer); retryTimer = null; attempt = 0; connect(); }
  });
  window.addEventListener("pagehide", function () { stopped = true; if (ws) ws.close(); });
  // Input on the page keeps the agent "online" for routing; the server
  // makes them "away" after 5 minutes without any. At most one frame a
  // minute is enough for that.
  var lastActivitySent = 0;
  function activity() {
    if (Date.now() - lastActivitySent < 60000) return;
    lastActivitySent = Date.now();
    HL.send({ type: "activity" });
  }
  ["keydown", "pointerdown", "wheel"].forEach(function (ev) {
    window.addEventListener(ev, activity, { passive: true, capture: true });
  });

  // ---- sidebar counts ----------------------------------------------------
  var refreshCounts = HL.debounce(function () {
    HL.api("GET", "/api/v1/tickets/counts").then(function (res) {
      if (!res.ok || !res.data) return;
      Object.keys(res.data).forEach(function (k) {
        var el = document.querySelector('[data-hl="count-' + k + '"]');
        if (el) el.textContent = String(res.data[k]);
      });
    });
  }, 400);
  HL.on("event", refreshCounts);
  HL.on("reset", refreshCounts);

  // ---- owner notices -------------------------------------------------------
  // First-contact ownership: the owner hears of every customer message and
  // change on the tickets they own while they work elsewhere — a small
  // toast that opens the ticket on click or Enter and goes on Escape.
  var toastBox = null;
  function ownerToast(ev) {
    if (!ev || !page.me || ev.owner_id !== page.me || ev.ticket_id === page.ticket_id) return;
    if (ev.type === "message.updated") return; // delivery states are the sender's business
    if (ev.type === "sla.warning" || ev.type === "sla.breached" || ev.type === "csat.low_score") return; // slaToast and csatToast say those
    if (ev.type === "call.ringing" || ev.type === "call.ended") return; // callToast and wrapUpToast say those
    var d = ev.data || {}, m = d.message, tk = d.ticket || d;
    if (m && m.author_id === page.me) return;
    var args = { n: tk.number || "", text: "" };
    var key = "js.owner_toast_update";
    if (m && m.direction === "in") { key = "js.owner_toast_message"; args.text = m.text || ""; }
    else if (m && m.direction === "system") { key = "js.owner_toast_change"; args.text = HL.sysText(m); }
    else if (m && m.direction === "out") { key = "js.owner_toast_reply"; }
    if (args.text.length > 80) args.text = args.text.slice(0, 79) + "…";
    showToast(ev.ticket_id, HL.t(key, args));
  }
  HL.on("event", ownerToast);

  // SLA warnings and breaches reach the agents a ladder step names (owner,
  // assignee, team supervisors) the same way, wherever they are.
  function slaToast(ev) {
    if (!ev || !page.me || (ev.type !== "sla.warning" && ev.type !== "sla.breached")) return;
    var d = ev.data || {};
    if ((d.recipients || []).indexOf(page.me) < 0) return;
    var key = ev.type === "sla.breached" ? "js.sla_toast_breached" : "js.sla_toast_warning";
    showToast(ev.ticket_id, HL.t(key, { n: (d.ticket && d.ticket.number) || "", target: HL.tv("sla.target.", d.target) }));
  }
  HL.on("event", slaToast);

  // A low satisfaction score reaches the team's supervisors the same way.
  function csatToast(ev) {
    if (!ev || !page.me || ev.type !== "csat.low_score") return;
    var d = ev.data || {};
    if ((d.recipients || []).indexOf(page.me) < 0) return;
    showToast(ev.ticket_id, HL.t("js.csat_toast", { n: (d.ticket && d.ticket.number) || "", score: String(d.score) }));
  }
  HL.on("event", csatToast);
  // A call ringing on the agent's extension pops the caller's context;
  // opening it (click or Enter) goes to the call's ticket (phone channel).
  function callToast(ev) {
    if (!ev || !page.me || ev.type !== "call.ringing") return;
    var d = ev.data || {};
    if ((d.recipients || []).indexOf(page.me) < 0) return;
    var open = (d.open_tickets || []).map(function (t) { return "#" + t.number; }).join(" ");
    showToast(ev.ticket_id, HL.t("js.call_ringing", {
      number: d.number || "", name: d.name || "", open: open || "—",
      verified: HL.t(d.verified ? "js.call_verified" : "js.call_unverified") }));
  }
  HL.on("event", callToast);

  // The end of a call asks the agent who had it for the wrap-up; the
  // toast opens the ticket at the call's wrap-up form.
  function wrapUpToast(ev) {
    if (!ev || !page.me || ev.type !== "call.ended") return;
    var d = ev.data || {};
    if ((d.recipients || []).indexOf(page.me) < 0) return;
    showToast(ev.ticket_id, HL.t("js.call_ended", { number: d.number || "", n: (d.ticket && d.ticket.number) || "" }),
      "#wrap-" + encodeURIComponent(d.call_id || ""));
  }
  HL.on("event", wrapUpToast);

  // hash, when given, is the place on the ticket page the toast opens.
  function showToast(ticketID, text, hash) {
    if (!toastBox) {
      toastBox = HL.el("div", { class: "toasts", role: "status", "aria-live": "polite" });
      document.body.appendChild(toastBox);
    }
    while (toastBox.children.length >= 3) toastBox.removeChild(toastBox.firstChild);
    var href = "/tickets/" + encodeURIComponent(ticketID) + (hash || "");
    var toast = HL.el("div", { class: "toast", "data-hl": "toast", tabindex: "0", role: "link", "data-ticket-id": ticketID });
    var close = HL.el("button", { type: "button", class: "x", "data-hl": "toast-close", "aria-label": HL.t("js.dismiss") }, "×");
    toast.appendChild(HL.el("span", null, text));
    toast.appendChild(close);
    var dismiss = function () { if (toast.parentNode) toast.parentNode.removeChild(toast); };
    close.addEventListener("click", function (e) { e.stopPropagation(); dismiss(); });
    toast.addEventListener("click", function () { location.assign(href); });
    toast.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { e.preventDefault(); e.stopPropagation(); dismiss(); }
      else if (e.key === "Enter" && e.target === toast) { e.preventDefault(); location.assign(href); }
    });
    toastBox.appendChild(toast);
    // Unobtrusive: it leaves by itself unless the agent is on it.
    setTimeout(function () { if (!toast.matches(":hover, :focus-within")) dismiss(); }, 15000);
  }

  // ---- keyboard ------------------------------------------------------------
  // focusFromKey moves focus for a shortcut. The shortcut's keydown is
  // cancelled, but some input paths still deliver its character as a
  // separate keypress right after; that one keypress is swallowed, so the
  // letter never lands in the field.
  HL.focusFromKey = function (el, key) {
    var until = Date.now() + 150;
    var swallow = function (e) {
      el.removeEventListener("keypress", swallow, true);
      if (e.key === key && Date.now() < until) e.preventDefault();
    };
    el.addEventListener("keypress", swallow, true);
    setTimeout(function () { el.removeEventListener("keypress", swallow, true); }, 150);
    el.focus();
  };

  var help = document.getElementById("hl-help");
  var helpReturn = null;
  function toggleHelp(show) {
    if (!help) return;
    if (show === undefined) show = help.hidden;
    if (show) {
      helpReturn = document.activeElement;
      help.hidden = false;
      var b = help.querySelector("button");
      if (b) b.focus();
    } else {
      help.hidden = true;
      if (helpReturn && helpReturn.focus) helpReturn.focus();
    }
  }
  document.querySelectorAll('[data-hl="help-open"]').forEach(function (b) {
    b.addEventListener("click", function () { toggleHelp(true); });
  });
  document.querySelectorAll('[data-hl="help-close"]').forEach(function (b) {
    b.addEventListener("click", function () { toggleHelp(false); });
  });
  if (help) help.addEventListener("click", function (ev) { if (ev.target === help) toggleHelp(false); });

  // The settings menu: Escape closes it and returns focus to its button,
  // a click elsewhere closes it, and the page it is on is marked.
  var navMenu = document.querySelector('[data-hl="nav-admin"]');
  if (navMenu) {
    navMenu.querySelectorAll("a").forEach(function (a) {
      if (a.pathname === location.pathname) a.setAttribute("aria-current", "page");
    });
    navMenu.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && navMenu.open) {
        navMenu.open = false;
        navMenu.querySelector("summary").focus();
        ev.preventDefault();
        ev.stopPropagation();
      }
    });
    document.addEventListener("click", function (ev) {
      if (navMenu.open && !navMenu.contains(ev.target)) navMenu.open = false;
    });
  }

  function typingInField(t) {
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") {
      if (help && !help.hidden) { toggleHelp(false); ev.preventDefault(); return; }
      if (typingInField(ev.target)) ev.target.blur();
      return;
    }
    if (ev.ctrlKey || ev.metaKey || ev.altKey || typingInField(ev.target)) return;
    if (help && !help.hidden) return;
    if (ev.key === "?") { toggleHelp(true); ev.preventDefault(); return; }
    if (ev.key === "/") {
      var s = document.getElementById("hl-search");
      if (s) { ev.preventDefault(); HL.focusFromKey(s, ev.key); s.select(); } else { location.assign("/inbox#search"); }
      return;
    }
    var fn = HL.keys[ev.key];
    if (fn) { fn(ev); }
  });
  if (location.hash === "#search") {
    var s = document.getElementById("hl-search");
    if (s) s.focus();
  }

  if (live) {
    // Page scripts register their handlers first (they run after this
    // file, also deferred); connect once the document is ready.
    if (document.readyState === "complete") connect();
    else document.addEventListener("DOMContentLoaded", connect);
  }
})();
