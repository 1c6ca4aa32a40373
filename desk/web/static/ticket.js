// Ticket page: live timeline (pull-on-notify), header refresh, reply box
// with per-message idempotency keys, typing indicators and actions.
// Every text from customers and agents goes in with textContent.
(function () {
  "use strict";
  var HL = window.HL;
  var root = document.querySelector('[data-hl="ticket"]');
  if (!HL || !root) return;
  var P = HL.page;
  var id = P.ticket_id;
  var lastID = P.last_id || "";
  var agents = P.agents || {};
  var timeline = root.querySelector('[data-hl="timeline"]');
  var q = function (hl) { return root.querySelector('[data-hl="' + hl + '"]'); };

  // ---- timeline --------------------------------------------------------------
  function authorOf(m) {
    switch (m.author_kind) {
      case "contact": return P.contact_name || HL.t("entry.customer");
      case "agent": return (agents[m.author_id] && agents[m.author_id].name) || HL.t("entry.agent");
      case "bot": return HL.t("entry.bot") + (m.author_name ? " · " + m.author_name : "");
    }
    return HL.t("entry.system") + (m.author_name ? " · " + m.author_name : "");
  }

  function deliveryNode(state, reason) {
    var d = HL.el("span", { "class": "delivery dl-" + state, "data-hl": "delivery", "data-state": state, title: reason || null },
      HL.tv("delivery.", state) + (reason ? ": " + reason : ""));
    return d;
  }

  // renderEntry mirrors the "entry" template of ticket.html.
  function renderEntry(m) {
    var cls = "entry dir-" + m.direction + (m.kind ? " kind-" + m.kind : "") + " fresh";
    var li = HL.el("li", { "class": cls, "data-hl": "entry", "data-id": m.id, "data-seq": m.seq, "data-direction": m.direction, "data-author": m.author_kind });
    var meta = HL.el("div", { "class": "meta" });
    if (m.direction === "system") {
      meta.appendChild(HL.el("span", { "class": "sys-label" }, HL.t("entry.system")));
    } else {
      meta.appendChild(HL.el("span", { "class": "author" }, authorOf(m)));
      var a = m.author_kind === "agent" && agents[m.author_id];
      if (a && a.employee_no) meta.appendChild(HL.el("span", { "class": "empno" }, HL.t("entry.employee_no") + " " + a.employee_no));
      if (m.direction === "note") meta.appendChild(HL.el("span", { "class": "badge note-badge" }, HL.t("entry.note")));
      if (m.kind === "verify_request") meta.appendChild(HL.el("span", { "class": "badge" }, HL.t("entry.verify_request")));
    }
    var time = HL.el("time", { datetime: m.created_at, "data-rel": "", title: HL.absTime(m.created_at) }, HL.relTime(m.created_at));
    meta.appendChild(time);
    if (m.delivery) meta.appendChild(deliveryNode(m.delivery, m.delivery_error));
    li.appendChild(meta);
    li.appendChild(HL.el("div", { "class": "body" }, m.direction === "system" ? HL.sysText(m) : m.author_kind === "contact" ? HL.labelText(m.text) : m.text));
    if (m.attachments && m.attachments.length) {
      var ul = HL.el("ul", { "class": "files" });
      m.attachments.forEach(function (f) {
        var item = HL.el("li");
        var url = "/api/v1/attachments/" + encodeURIComponent(f.id);
        if (/^image\/(jpeg|png|gif|webp)$/.test(f.mime)) {
          var link = HL.el("a", { href: url, target: "_blank", rel: "noopener" });
          link.appendChild(HL.el("img", { src: url, alt: f.name, "class": "thumb", loading: "lazy" }));
          item.appendChild(link);
        } else {
          item.appendChild(HL.el("a", { href: url, download: f.name, "data-hl": "file" }, f.name));
        }
        ul.appendChild(item);
      });
      li.appendChild(ul);
    }
    if (m.email || m.kind === "call") serverEntry(li, m.id);
    return li;
  }

  // serverEntry swaps an entry for the server's rendering of it, for what
  // the plain rendering cannot say alike: an email's header and folded
  // quote, a call's translated card with its recording link and wrap-up
  // form. Parsed into a separate document, never assigned as HTML.
  function serverEntry(li, messageID) {
    fetch("/desk/messages/" + encodeURIComponent(messageID) + "/entry", { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      if (!html || !li.parentNode) return;
      var doc = new DOMParser().parseFromString(html, "text/html");
      var fresh = doc.querySelector('[data-hl="entry"]');
      if (!fresh) return;
      fresh.classList.add("fresh");
      li.replaceWith(document.adoptNode(fresh));
      HL.refreshTimes(root);
    }, function () { /* the plain rendering stays */ });
  }

  HL.redrawEntry = function (li) { serverEntry(li, li.getAttribute("data-id")); };

  // A call's entry changes as the call goes on (answered, ended, wrapped
  // up); it is drawn again unless the agent is writing in it.
  function updateCall(ev) {
    var li = timeline.querySelector('[data-hl="entry"][data-id="' + CSS.escape(ev.message_id || "") + '"]');
    if (!li || !li.classList.contains("kind-call") || li.contains(document.activeElement)) return false;
    serverEntry(li, ev.message_id);
    return true;
  }

  // pull reads what came after the last entry shown. Events only say
  // "something happened"; the API is the truth, so a lost event costs
  // nothing but a delay. One pull at a time; a pull asked for meanwhile
  // runs once after it.
  var pulling = false, again = false;
  function pull() {
    if (pulling) { again = true; return; }
    pulling = true;
    var path = "/api/v1/tickets/" + encodeURIComponent(id) + "/messages" + (lastID ? "?after=" + encodeURIComponent(lastID) : "");
    HL.api("GET", path).then(function (res) {
      if (res.ok && res.data && res.data.messages) {
        var nearBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 120;
        res.data.messages.forEach(function (m) {
          lastID = m.id;
          if (timeline.querySelector('[data-hl="entry"][data-id="' + CSS.escape(m.id) + '"]')) return;
          timeline.appendChild(renderEntry(m));
        });
        if (nearBottom && res.data.messages.length) window.scrollTo(0, document.body.scrollHeight);
        // A full page means there may be more.
        if (res.data.messages.length >= 500) again = true;
      }
      pulling = false;
      if (again) { again = false; pull(); }
    });
  }

  // refreshHead re-reads the header and contact panel as the server
  // renders them (escaped HTML parsed into a separate document).
  var refreshHead = HL.debounce(function () {
    HL.fragment("/tickets/" + encodeURIComponent(id) + "?fragment=head", ["ticket-header", "contact", "sla-panel"], root).then(function (done) {
      if (!done) return;
      syncStatus(false);
      HL.refreshTimes(root);
    });
  }, 300);

  // syncStatus sets the status control to the status the header shows;
  // force does it even while the control has focus (a refused change).
  function syncStatus(force) {
    var st = root.querySelector('[data-field="status"]');
    var sel = q("status-select");
    var status = st && Array.prototype.find.call(st.classList, function (c) { return c.indexOf("st-") === 0; });
    if (sel && status && (force || document.activeElement !== sel)) sel.value = status.slice(3);
  }

  function updateDelivery(ev) {
    var li = timeline.querySelector('[data-hl="entry"][data-id="' + CSS.escape(ev.message_id || "") + '"]');
    if (!li || !ev.data) return;
    var d = ev.data.delivery, reason = ev.data.delivery_error;
    var old = li.querySelector('[data-hl="delivery"]');
    var fresh = deliveryNode(d, reason);
    if (old) old.replaceWith(fresh); else li.querySelector(".meta").appendChild(fresh);
  }

  HL.on("open", function () { HL.send({ type: "watch", ticket_id: id }); });
  HL.on("event", function (ev) {
    if (!ev || ev.ticket_id !== id) return;
    if (ev.type === "message.updated") { if (!updateCall(ev)) updateDelivery(ev); return; }
    pull();
    refreshHead();
    if (ev.type === "message.created") hideTyping();
  });
  HL.on("reset", function () { pull(); refreshHead(); });

  // ---- typing ----------------------------------------------------------------
  var typingEl = root.querySelector('[data-hl="typing"]');
  var typingTimer = null;
  function hideTyping() { if (typingEl) typingEl.hidden = true; }
  HL.on("typing", function (f) {
    if (f.ticket_id !== id || !typingEl) return;
    typingEl.textContent = f.who === "customer" ? HL.t("ticket.customer_typing") : HL.t("js.agent_typing", { name: f.name || HL.t("entry.agent") });
    typingEl.hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(hideTyping, 6000);
  });

  // ---- reply box ---------------------------------------------------------------
  var form = q("reply-form");
  var input = q("reply-input");
  var note = q("note-toggle");
  var files = q("reply-file");
  var sendBtn = q("reply-send");
  var verifyBtn = q("ask-verify");
  var status = q("reply-status");
  var key = null;      // the Idempotency-Key of the message being sent
  var inFlight = false;
  var lastTypingSent = 0;

  function say(el, text, isError) {
    if (!el) return;
    el.textContent = text || "";
    el.classList.toggle("error", !!isError);
  }
  function syncMode() {
    form.classList.toggle("note-mode", note.checked);
    say(status, note.checked ? HL.t("js.note_mode") : "");
  }
  note.addEventListener("change", syncMode);
  // A changed draft is a new message: it gets a new key.
  input.addEventListener("input", function () {
    if (!inFlight) key = null;
    if (!note.checked && Date.now() - lastTypingSent > 3000) {
      lastTypingSent = Date.now();
      HL.send({ type: "typing", ticket_id: id });
    }
  });
  files.addEventListener("change", function () { if (!inFlight) key = null; });

  // send posts the draft; reason is the override the disclosure guard
  // asked for (facts.js), when the agent sends anyway.
  function send(kind, reason) {
    if (inFlight) return;
    var text = input.value;
    var hasFiles = files.files && files.files.length > 0;
    if (kind !== "verify" && !text.trim() && !hasFiles) { say(status, HL.t("js.empty_reply"), true); return; }
    // One key per message, kept across retries of the same draft, so a
    // double click or a retry after a timeout never posts twice.
    if (!key) key = HL.uuid();
    var body;
    if (hasFiles) {
      body = new FormData();
      body.append("kind", kind);
      body.append("text", text);
      Array.prototype.forEach.call(files.files, function (f) { body.append("file", f, f.name); });
      if (reason) body.append("override_reason", reason);
    } else {
      body = { kind: kind, text: text };
      if (reason) body.override_reason = reason;
    }
    if (kind !== "note" && HL.mailReply) HL.mailReply(body);
    inFlight = true;
    sendBtn.disabled = verifyBtn.disabled = true;
    say(status, HL.t("js.sending"));
    HL.api("POST", "/api/v1/tickets/" + encodeURIComponent(id) + "/messages", body, { "Idempotency-Key": key }).then(function (res) {
      inFlight = false;
      sendBtn.disabled = verifyBtn.disabled = false;
      if (res.ok) {
        key = null;
        input.value = "";
        files.value = "";
        say(status, HL.t("js.sent"));
        if (HL.disclosureClear) HL.disclosureClear();
        pull();
        return;
      }
      // The server refused this draft (4xx): nothing was stored, so the
      // next attempt is a new message. On 5xx or a network error the key
      // stays: the first attempt may have been stored.
      if (res.status >= 400 && res.status < 500) key = null;
      say(status, HL.t("js.send_failed", { reason: HL.errorText(res) }), true);
      var e = res.data && res.data.error;
      if (e && e.code === "disclosure" && HL.disclosureRefused) {
        HL.disclosureRefused(e.details, function (r) { send(kind, r); });
      }
    });
  }
  form.addEventListener("submit", function (ev) { ev.preventDefault(); send(note.checked ? "note" : "reply"); });
  verifyBtn.addEventListener("click", function () { send("verify"); });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); form.requestSubmit ? form.requestSubmit() : send(note.checked ? "note" : "reply"); }
  });
  HL.keys.r = function (ev) { ev.preventDefault(); note.checked = false; syncMode(); HL.focusFromKey(input, ev.key); };
  HL.keys.n = function (ev) { ev.preventDefault(); note.checked = true; syncMode(); HL.focusFromKey(input, ev.key); };

  // ---- canned replies ----------------------------------------------------------
  var canned = q("canned-picker");
  var cannedByID = {};
  HL.api("GET", "/api/v1/canned-replies").then(function (res) {
    if (!res.ok || !res.data || !res.data.canned_replies) { canned.disabled = true; return; }
    var groups = {};
    res.data.canned_replies.forEach(function (c) {
      cannedByID[c.id] = c;
      var g = c.team_id || "";
      if (!groups[g]) {
        groups[g] = HL.el("optgroup", { label: g ? ((P.teams && P.teams[g]) || g) : HL.t("js.global") });
        canned.appendChild(groups[g]);
      }
      groups[g].appendChild(HL.el("option", { value: c.id }, c.title));
    });
  });
  // fillCanned writes the variables of a canned reply (desk.CannedVariables)
  // with this ticket's and this agent's values; an unknown one stays.
  function fillCanned(text) {
    var me = (P.agents && P.agents[P.me]) || {};
    var vals = { customer_name: P.contact_name || "", agent_name: me.name || "", employee_no: me.employee_no || "", ticket_number: String(P.ticket_number || "") };
    vals["客户姓名"] = vals["客戶姓名"] = vals.customer_name; vals["客服姓名"] = vals.agent_name;
    vals["工号"] = vals["工號"] = vals.employee_no; vals["工单号"] = vals["工單號"] = vals.ticket_number;
    return text.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, function (m, name) {
      return Object.prototype.hasOwnProperty.call(vals, name) ? vals[name] : m;
    });
  }
  function insertCanned(c) {
    if (!c) return;
    var text = fillCanned(c.text);
    var start = input.selectionStart || 0, end = input.selectionEnd || 0;
    input.value = input.value.slice(0, start) + text + input.value.slice(end);
    input.focus();
    input.setSelectionRange(start + text.length, start + text.length);
    key = null;
  }
  canned.addEventListener("change", function () {
    var c = cannedByID[canned.value];
    canned.value = "";
    insertCanned(c);
  });
  // The search box narrows the list by title and text; Enter inserts the
  // first reply still shown.
  var cannedSearch = q("canned-search");
  function cannedMatches() {
    var words = cannedSearch.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var first = null;
    canned.querySelectorAll("option[value]").forEach(function (o) {
      if (!o.value) return;
      var c = cannedByID[o.value];
      var hay = (c.title + " " + c.text).toLowerCase();
      var ok = words.every(function (w) { return hay.indexOf(w) >= 0; });
      o.hidden = !ok;
      if (ok && !first) first = c;
    });
    return first;
  }
  cannedSearch.addEventListener("input", cannedMatches);
  cannedSearch.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") return;
    ev.preventDefault();
    var c = cannedMatches();
    if (c) { cannedSearch.value = ""; cannedMatches(); insertCanned(c); }
  });

  // ---- actions -------------------------------------------------------------------
  var actionStatus = root.querySelector('[data-hl="action-status"]');
  function change(patch) {
    say(actionStatus, HL.t("js.sending"));
    return HL.api("PATCH", "/api/v1/tickets/" + encodeURIComponent(id), patch).then(function (res) {
      if (!res.ok) {
        say(actionStatus, HL.t("js.failed", { reason: HL.errorText(res) }), true);
        if (patch.status) syncStatus(true); // refused: show the status the ticket really has
        return;
      }
      say(actionStatus, HL.t("js.saved"));
      pull();
      refreshHead();
    });
  }
  q("assign-me").addEventListener("click", function () { change({ assignee_id: P.me }); });
  q("status-select").addEventListener("change", function (ev) { change({ status: ev.target.value }); });
  q("priority-select").addEventListener("change", function (ev) { change({ priority: ev.target.value }); });
  q("transfer-team-go").addEventListener("click", function () {
    var v = q("transfer-team").value;
    if (v) change({ team_id: v });
  });
  q("transfer-agent-go").addEventListener("click", function () {
    var v = q("transfer-agent").value;
    if (v) change({ assignee_id: v });
  });
  function addTag() {
    var inp = q("tag-input");
    var v = inp.value.trim();
    if (!v) return;
    change({ add_tags: [v] }).then(function () { inp.value = ""; });
  }
  q("tag-add").addEventListener("click", addTag);
  q("tag-input").addEventListener("keydown", function (ev) { if (ev.key === "Enter") { ev.preventDefault(); addTag(); } });
  root.addEventListener("click", function (ev) {
    var b = ev.target.closest('[data-hl="tag-remove"]');
    if (b) change({ remove_tags: [b.getAttribute("data-tag")] });
  });

  // The outcome confirmation lives in the header, which refreshHead
  // replaces, so its button is reached through the root.
  root.addEventListener("click", function (ev) {
    if (!ev.target.closest('[data-hl="confirm-outcome"]')) return;
    var body = {};
    var reason = q("confirm-reason"), note = q("confirm-note");
    if (reason) {
      body.reason = reason.value.trim();
      if (!body.reason) { say(actionStatus, HL.t("js.confirm_reason_needed"), true); reason.focus(); return; }
    }
    if (note && note.value.trim()) body.note = note.value.trim();
    say(actionStatus, HL.t("js.sending"));
    HL.api("POST", "/api/v1/tickets/" + encodeURIComponent(id) + "/outcome-confirmation", body).then(function (res) {
      if (!res.ok) {
        say(actionStatus, HL.t("js.failed", { reason: HL.errorText(res) }), true);
        if (patch.status) syncStatus(true); // refused: show the status the ticket really has
        return;
      }
      say(actionStatus, HL.t("js.saved"));
      pull();
      refreshHead();
    });
  });

  // ---- SLA ---------------------------------------------------------------------
  // The panel's countdowns are business time, which only the server can
  // count; it is re-read as a fragment every 30 s (and with the header on
  // every event of the ticket).
  function refreshSLA() {
    HL.fragment("/tickets/" + encodeURIComponent(id) + "?fragment=sla", ["sla-panel"], root);
  }
  setInterval(refreshSLA, 30000);
  var followForm = q("followup-form");
  followForm.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var due = q("followup-due"), fnote = q("followup-note");
    var when = HL.fromZoneInput(due.value); // datetime-local is a wall-clock time in the agent's zone
    if (!when || isNaN(when)) { say(actionStatus, HL.t("js.followup_need_due"), true); due.focus(); return; }
    say(actionStatus, HL.t("js.sending"));
    HL.api("POST", "/api/v1/tickets/" + encodeURIComponent(id) + "/followups", { due_at: when.toISOString(), note: fnote.value.trim() }).then(function (res) {
      if (!res.ok) { say(actionStatus, HL.t("js.failed", { reason: HL.errorText(res) }), true); return; }
      say(actionStatus, HL.t("js.saved"));
      followForm.reset();
      pull();
      refreshSLA();
    });
  });
  // Done buttons live in the panel, which the refresh replaces.
  root.addEventListener("click", function (ev) {
    var b = ev.target.closest('[data-hl="followup-done"]');
    if (!b) return;
    b.disabled = true;
    HL.api("DELETE", "/api/v1/tickets/" + encodeURIComponent(id) + "/followups/" + encodeURIComponent(b.getAttribute("data-followup-id"))).then(function (res) {
      if (!res.ok) { b.disabled = false; say(actionStatus, HL.t("js.failed", { reason: HL.errorText(res) }), true); return; }
      say(actionStatus, HL.t("js.saved"));
      pull();
      refreshSLA();
    });
  });

  HL.refreshTimes(root);
  window.scrollTo(0, document.body.scrollHeight);
})();
