// Ticket page, verification panel (issue 11): the conversation's proof and
// its expiry, codes to the phone or email on the customer's record (shown
// masked), a code the customer reads out, and the last hour's attempts.
// It reads GET /api/v1/tickets/{id}/verification again on every event of
// the ticket, so a customer verifying in the widget shows here live.
(function () {
  "use strict";
  var HL = window.HL;
  var root = document.querySelector('[data-hl="ticket"]');
  var body = document.querySelector('[data-hl="verify-body"]');
  if (!HL || !root || !body) return;
  var id = HL.page.ticket_id;
  var base = "/api/v1/tickets/" + encodeURIComponent(id) + "/verification";
  var st = null;
  var result = "";    // the outcome of this agent's last action
  var resultErr = false;

  function when(iso) { return HL.clockTime(iso); }
  function methodText(m) { return HL.tv("verify.desk.method.", m); }

  function render() {
    body.textContent = "";
    if (!st) return;
    var state = HL.el("p", { "class": "verify-state", "data-hl": "verify-state", "data-level": String(st.level), "data-expired": String(!!st.expired) });
    if (st.level > 0) {
      state.appendChild(HL.el("strong", null, HL.t("verify.desk.verified", { method: methodText(st.method) })));
      state.appendChild(HL.el("span", { "class": "muted", "data-hl": "verify-expiry" }, " · " + HL.t("verify.desk.until", { time: when(st.expires_at) })));
    } else if (st.expired) {
      state.appendChild(HL.el("strong", null, HL.t("verify.desk.expired", { method: methodText(st.method) })));
      state.appendChild(HL.el("span", { "class": "muted", "data-hl": "verify-expiry" }, " · " + HL.t("verify.desk.expired_at", { time: when(st.expires_at) })));
    } else {
      state.appendChild(HL.el("strong", null, HL.t("verify.desk.none")));
    }
    body.appendChild(state);

    var row = HL.el("div", { "class": "verify-actions stack" });
    row.appendChild(codeButton("sms", st.sms, "verify.desk.send_sms", "verify.desk.no_phone"));
    row.appendChild(codeButton("email", st.email, "verify.desk.send_email", "verify.desk.no_email"));
    var ask = HL.el("button", { type: "button", "data-hl": "verify-ask" }, HL.t("verify.desk.ask"));
    // The reply box's own button posts the request; one path for both.
    ask.addEventListener("click", function () {
      var b = root.querySelector('[data-hl="ask-verify"]');
      if (b) b.click();
    });
    row.appendChild(ask);
    body.appendChild(row);

    var check = HL.el("div", { "class": "row" });
    var input = HL.el("input", { type: "text", inputmode: "numeric", maxlength: "6", "data-hl": "verify-code", "aria-label": HL.t("verify.desk.check_label"), placeholder: HL.t("verify.desk.check_label") });
    var go = HL.el("button", { type: "button", "data-hl": "verify-check" }, HL.t("verify.desk.check"));
    go.addEventListener("click", function () {
      // The kind of the last code sent; a code of one kind never checks as the other.
      var kind = "sms";
      (st.attempts || []).forEach(function (a) { if (a.outcome === "sent") kind = a.kind; });
      act("/check", { kind: kind, code: input.value.replace(/\s+/g, "") }, function () { return ""; });
    });
    check.appendChild(input);
    check.appendChild(go);
    body.appendChild(check);

    if (result) body.appendChild(HL.el("p", { "class": "verify-result" + (resultErr ? " error" : ""), "data-hl": "verify-result", role: "status" }, result));
    var counts = HL.el("p", { "class": "muted", "data-hl": "verify-counts" }, HL.t("verify.desk.counts", { sent: st.sent, wrong: st.wrong }));
    body.appendChild(counts);
    if (st.locked) body.appendChild(HL.el("p", { "class": "error", "data-hl": "verify-locked" }, HL.t("verify.desk.locked")));
    if (st.attempts && st.attempts.length) {
      var ul = HL.el("ul", { "class": "verify-attempts muted", "data-hl": "verify-attempts" });
      st.attempts.slice(-6).reverse().forEach(function (a) {
        var who = a.agent_id ? HL.t("verify.desk.by_agent") : HL.t("verify.desk.by_customer");
        ul.appendChild(HL.el("li", { "data-outcome": a.outcome }, when(a.at) + " " + HL.tv("verify.desk.outcome.", a.outcome) +
          (a.masked ? " " + a.masked : "") + " · " + who));
      });
      body.appendChild(ul);
    }
  }

  function codeButton(kind, masked, key, noneKey) {
    // The agent sees where the code goes (masked) or that the record has
    // nothing; the customer's answer is the same either way.
    var b = HL.el("button", { type: "button", "data-hl": "verify-send-" + kind, disabled: masked ? null : "disabled" },
      HL.t(key, { to: masked || "(" + HL.t(noneKey) + ")" }));
    b.addEventListener("click", function () {
      act("/codes", { kind: kind }, function (data) {
        return data && data.masked ? HL.t("verify.desk.sent_to", { to: data.masked }) : HL.t("verify.desk.no_destination");
      });
    });
    return b;
  }

  function act(path, req, done) {
    HL.api("POST", base + path, req).then(function (res) {
      resultErr = !res.ok;
      result = res.ok ? done(res.data) : HL.errorText(res);
      load();
    });
  }

  function load() {
    HL.api("GET", base).then(function (res) {
      if (!res.ok) { body.textContent = HL.errorText(res); return; }
      st = res.data;
      render();
    });
  }
  var reload = HL.debounce(load, 300);
  HL.on("event", function (ev) { if (ev && ev.ticket_id === id && ev.type !== "message.updated") reload(); });
  HL.on("reset", reload);
  // The expiry moves with customer messages (events above); a lapse
  // without one shows within a minute.
  setInterval(function () { if (st && st.level > 0 && new Date(st.expires_at) <= new Date()) load(); }, 30000);
  load();
})();
