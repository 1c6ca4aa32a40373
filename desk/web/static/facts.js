// Ticket page: the customer record panel (facts masked by verification
// level, claim, knowledge questions, past tickets) and the disclosure
// guard's warning on the reply box. Record values go in with textContent.
(function () {
  "use strict";
  var HL = window.HL;
  var root = document.querySelector('[data-hl="ticket"]');
  var panel = document.querySelector('[data-hl="facts"]');
  if (!HL || !root || !panel) return;
  var id = HL.page.ticket_id;
  var base = "/api/v1/tickets/" + encodeURIComponent(id);
  var q = function (hl) { return document.querySelector('[data-hl="' + hl + '"]'); };
  var bodyEl = q("facts-body");
  var status = q("facts-status");
  var el = HL.el;

  function say(text, isError) {
    status.textContent = text || "";
    status.classList.toggle("error", !!isError);
  }
  function levelText(l) { return HL.t("facts.level." + l); }

  // row is one fact: its label and value, or the mask with the level it
  // needs.
  function row(label, fv) {
    if (!fv) return null;
    var li = el("li", { "data-hl": "fact", "data-fact": fv.fact, "data-shown": fv.shown ? "true" : "false" });
    li.appendChild(el("span", { class: "kind" }, label));
    li.appendChild(document.createTextNode(" "));
    li.appendChild(el("span", { class: "value" }, fv.value || "–"));
    if (!fv.shown && fv.value) li.appendChild(el("span", { class: "muted small" }, " · " + HL.t("facts.needs", { level: fv.need })));
    return li;
  }
  function list(items) {
    var ul = el("ul", { class: "facts-list" });
    items.forEach(function (i) { if (i) ul.appendChild(i); });
    return ul;
  }

  function render(v) {
    bodyEl.textContent = "";
    var lvl = (v.verification && v.verification.level) || 0;
    bodyEl.appendChild(el("p", { "data-hl": "facts-level", "data-level": String(lvl) }, HL.t("facts.level", { level: levelText(lvl) })));
    if (!v.customer_no) {
      bodyEl.appendChild(el("p", { class: "muted" }, HL.t("facts.no_customer")));
      return;
    }
    var who = el("p", { "data-hl": "facts-customer" });
    who.appendChild(el("strong", null, v.customer_no));
    who.appendChild(el("span", { class: v.source === "claim" ? "unverified" : "verified", "data-hl": "facts-source" },
      " " + HL.t(v.source === "claim" ? "facts.source_claim" : "facts.source_identity")));
    bodyEl.appendChild(who);
    if (!v.found) {
      bodyEl.appendChild(el("p", { class: "muted" }, HL.t("facts.not_found", { no: v.customer_no })));
    } else {
      bodyEl.appendChild(list([row(HL.t("facts.fact.name"), v.name), row(HL.t("facts.fact.phone"), v.phone), row(HL.t("facts.fact.email"), v.email)]));
      (v.contracts || []).forEach(function (c) {
        var box = el("div", { class: "facts-contract", "data-hl": "contract" });
        box.appendChild(el("h3", null, HL.t("facts.kind." + c.kind)));
        box.appendChild(list([row(HL.t("facts.fact.contract_no"), c.no), row(HL.t("facts.fact.contract"), c.product), row(HL.t("facts.fact.contract"), c.status),
          row(HL.t("facts.fact.principal"), c.principal), row(HL.t("facts.fact.balance"), c.balance), row(HL.t("facts.fact.next_due"), c.next_due),
          row(HL.t("facts.fact.overdue"), c.overdue), row(HL.t("facts.fact.deposit"), c.deposit), row(HL.t("facts.fact.last_payment"), c.last_payment)]));
        if (c.plan_shown && c.plan && c.plan.length) {
          var pl = el("ol", { class: "facts-plan", "data-hl": "plan" });
          c.plan.forEach(function (i) { pl.appendChild(el("li", null, i.due_date + " ¥" + i.amount + (i.status ? " · " + i.status : ""))); });
          box.appendChild(el("p", { class: "kind" }, HL.t("facts.fact.plan")));
          box.appendChild(pl);
        } else if (!c.plan_shown) {
          box.appendChild(el("p", { class: "muted small" }, HL.t("facts.fact.plan") + " · " + HL.t("facts.needs", { level: c.plan_need })));
        }
        bodyEl.appendChild(box);
      });
      renderQuestions(v.questions || []);
    }
    renderTickets(v.tickets || []);
  }

  function renderQuestions(qs) {
    if (!qs.length) return;
    var f = el("form", { class: "stack facts-knowledge", "data-hl": "facts-knowledge" });
    f.appendChild(el("h3", null, HL.t("facts.knowledge")));
    f.appendChild(el("p", { class: "muted small" }, HL.t("facts.knowledge_note")));
    qs.forEach(function (k) {
      var lab = el("label");
      lab.appendChild(el("input", { type: "checkbox", name: "q", value: k.id }));
      lab.appendChild(document.createTextNode(" " + HL.t("facts.q." + k.id) + ": "));
      lab.appendChild(el("span", { class: "value", "data-hl": "expected" }, k.answers.join(" / ")));
      f.appendChild(lab);
    });
    f.appendChild(el("button", { type: "submit" }, HL.t("facts.knowledge_verify")));
    f.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var picked = Array.prototype.map.call(f.querySelectorAll('input[name="q"]:checked'), function (i) { return i.value; });
      HL.api("POST", base + "/knowledge-verification", { questions: picked }).then(function (res) {
        if (!res.ok) { say(HL.errorText(res), true); return; }
        say(HL.t("facts.verified_now", { level: levelText(res.data.level) }));
        load();
      });
    });
    bodyEl.appendChild(f);
  }

  function renderTickets(ts) {
    if (!ts.length) return;
    bodyEl.appendChild(el("h3", null, HL.t("facts.tickets")));
    var ul = el("ul", { class: "facts-tickets", "data-hl": "past-tickets" });
    ts.forEach(function (t) {
      var li = el("li");
      var a = el("a", { href: "/tickets/" + encodeURIComponent(t.id) }, "#" + t.number + " " + (t.subject || ""));
      li.appendChild(a);
      li.appendChild(el("span", { class: "muted small" }, " · " + HL.tv("channel.", t.channel) + " · " + HL.tv("status.", t.status)));
      ul.appendChild(li);
    });
    bodyEl.appendChild(ul);
  }

  var loading = false, again = false;
  function load() {
    if (loading) { again = true; return; }
    loading = true;
    HL.api("GET", base + "/facts").then(function (res) {
      loading = false;
      if (res.ok) render(res.data);
      else { bodyEl.textContent = ""; bodyEl.appendChild(el("p", { class: "error" }, HL.t("facts.load_failed", { reason: HL.errorText(res) }))); }
      if (again) { again = false; load(); }
    });
  }
  var reload = HL.debounce(load, 300);
  // A verification, a claim or a merge is a ticket event: read again, so
  // facts unmask as soon as the conversation is verified.
  HL.on("event", function (ev) { if (ev && ev.ticket_id === id) reload(); });
  HL.on("reset", reload);

  var claim = q("facts-claim");
  claim.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var input = q("facts-claim-input");
    HL.api("POST", base + "/claim", { customer_no: input.value.trim() }).then(function (res) {
      if (!res.ok) { say(HL.errorText(res), true); return; }
      input.value = "";
      say(HL.t("facts.done"));
      load();
    });
  });

  // ---- disclosure guard ----------------------------------------------------
  var reply = q("reply-form");
  var input = q("reply-input");
  var note = q("note-toggle");
  var warn = el("div", { class: "facts-guard", "data-hl": "disclosure-warning", role: "alert", hidden: "hidden" });
  if (reply) reply.appendChild(warn);

  function showFindings(check, onSend) {
    warn.textContent = "";
    if (!check || !check.findings || !check.findings.length) { warn.hidden = true; return; }
    warn.appendChild(el("p", null, HL.t("facts.guard_title")));
    var ul = el("ul", { "data-hl": "disclosure-findings" });
    check.findings.forEach(function (f) {
      ul.appendChild(el("li", { "data-fact": f.fact }, HL.t("facts.guard_item", { fact: HL.t("facts.fact." + f.fact), text: f.text, need: f.need })));
    });
    warn.appendChild(ul);
    if (onSend) {
      var lab = el("label", null, HL.t("facts.guard_reason") + " ");
      var reason = el("input", { maxlength: "500", "data-hl": "override-reason" });
      lab.appendChild(reason);
      warn.appendChild(lab);
      var btn = el("button", { type: "button", class: "danger", "data-hl": "send-anyway" }, HL.t("facts.guard_send"));
      btn.addEventListener("click", function () {
        if (!reason.value.trim()) { reason.focus(); say(HL.t("facts.guard_reason_needed"), true); return; }
        warn.hidden = true;
        onSend(reason.value.trim());
      });
      warn.appendChild(btn);
    }
    warn.hidden = false;
  }

  // While the agent writes a public reply, the draft is checked (debounced)
  // so the warning shows before sending.
  if (input) {
    input.addEventListener("input", HL.debounce(function () {
      if ((note && note.checked) || !input.value.trim()) { showFindings(null); return; }
      HL.api("POST", base + "/disclosure-check", { text: input.value }).then(function (res) {
        if (res.ok) showFindings(res.data, null);
      });
    }, 600));
  }
  // ticket.js calls this when the server refuses a reply with code
  // disclosure; send(reason) posts it again with the override reason.
  HL.disclosureRefused = function (check, send) { showFindings(check, send); };
  HL.disclosureClear = function () { showFindings(null); };

  load();
})();
