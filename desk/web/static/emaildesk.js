// Email tickets on the ticket page: each mail in its text view or its
// HTML view (a sandboxed frame that runs nothing; remote pictures only
// after "show images"), mails that arrive live rendered by the server like
// on a reload, and the reply's subject and Cc.
(function () {
  "use strict";
  var HL = window.HL;
  var root = document.querySelector('[data-hl="ticket"]');
  if (!HL || !root) return;

  function frameURL(id, images) {
    return "/desk/messages/" + encodeURIComponent(id) + "/html" + (images ? "?images=1" : "");
  }

  function press(mail, which) {
    ["mail-show-text", "mail-show-html"].forEach(function (hl) {
      var b = mail.querySelector('[data-hl="' + hl + '"]');
      if (b) b.setAttribute("aria-pressed", String(hl === which));
    });
  }

  root.addEventListener("click", function (ev) {
    var b = ev.target.closest('[data-hl="mail-show-text"],[data-hl="mail-show-html"],[data-hl="mail-show-images"]');
    var li = b && b.closest('[data-hl="entry"]');
    if (!li) return;
    var mail = li.querySelector('[data-hl="mail"]');
    var text = mail.querySelector('[data-hl="mail-text"]');
    var frame = mail.querySelector('[data-hl="mail-frame"]');
    var imagesBtn = mail.querySelector('[data-hl="mail-show-images"]');
    var which = b.getAttribute("data-hl");
    if (which === "mail-show-text") {
      if (frame) frame.hidden = true;
      text.hidden = false;
      imagesBtn.hidden = true;
      press(mail, which);
      return;
    }
    if (!frame) {
      // sandbox is set before src: the frame never runs script, never
      // shares the desk's origin; links may open a new tab only.
      frame = HL.el("iframe", {
        "class": "mail-frame", "data-hl": "mail-frame", sandbox: "allow-popups allow-popups-to-escape-sandbox",
        referrerpolicy: "no-referrer", title: HL.t("emaildesk.view_html")
      });
      text.after(frame);
    }
    var images = which === "mail-show-images" || frame.getAttribute("data-images") === "1";
    var url = frameURL(li.getAttribute("data-id"), images);
    if (frame.getAttribute("src") !== url) frame.setAttribute("src", url);
    if (images) frame.setAttribute("data-images", "1");
    frame.hidden = false;
    text.hidden = true;
    imagesBtn.hidden = images;
    press(mail, "mail-show-html");
  });

  // mailReply (called by ticket.js when a reply is sent) adds the subject
  // and Cc of an email ticket's reply box.
  var subject = root.querySelector('[data-hl="mail-reply-subject"]');
  var cc = root.querySelector('[data-hl="mail-reply-cc"]');
  HL.mailReply = function (body) {
    if (!subject || !cc) return;
    if (body instanceof FormData) {
      body.append("subject", subject.value);
      body.append("cc", cc.value);
    } else {
      body.subject = subject.value;
      body.cc = cc.value;
    }
  };

  // The bounce warning's button clears the customer's bounce mark, so
  // replies go out again.
  var bounce = root.querySelector('[data-hl="mail-bounce"]');
  if (bounce) {
    bounce.querySelector('[data-hl="mail-bounce-clear"]').addEventListener("click", function (ev) {
      var btn = ev.currentTarget;
      btn.disabled = true;
      HL.api("DELETE", "/api/v1/tickets/" + encodeURIComponent(root.getAttribute("data-ticket-id")) + "/email-bounce").then(function (res) {
        if (res.ok) { bounce.remove(); return; }
        btn.disabled = false;
        bounce.appendChild(HL.el("span", { role: "status" }, " " + HL.t("js.failed", { reason: HL.errorText(res) })));
      });
    });
  }
})();
