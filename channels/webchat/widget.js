/* Huiliu web chat widget. Plain script, no build step: served from the desk
 * as /widget.js and embedded with
 *   <script src="https://DESK/widget.js" data-site="SITE_KEY" async></script>
 * Protocol: docs/webchat.md. Every text from the network is rendered with
 * textContent; nothing received is ever parsed as HTML. */
(function () {
  'use strict';
  if (window.Huiliu && window.Huiliu._loaded) return;

  // Our own tag: document.currentScript is null for async scripts in some
  // browsers, so fall back to the tag whose src ends in /widget.js.
  var script = document.currentScript;
  if (!script || !/\/widget\.js(\?|#|$)/.test(script.src || '')) {
    var tags = document.querySelectorAll('script[src]');
    for (var i = tags.length - 1; i >= 0; i--) {
      if (/\/widget\.js(\?|#|$)/.test(tags[i].src) && tags[i].getAttribute('data-site')) { script = tags[i]; break; }
    }
  }
  if (!script) { console.warn('[huiliu] cannot find the widget script tag'); return; }
  var siteKey = script.getAttribute('data-site') || '';
  if (!siteKey) { console.warn('[huiliu] the script tag has no data-site'); return; }
  var deskOrigin = new URL(script.src, location.href).origin;
  var wsURL = deskOrigin.replace(/^http/, 'ws') + '/webchat/ws?site=' + encodeURIComponent(siteKey);

  // The strings come from the desk's catalog (i18n/catalog/customer.*.toml,
  // the "widget." keys): the desk writes them in where the marker stands
  // when it serves this script. The page's lang picks them: Traditional
  // Chinese (zh-Hant, zh-TW, zh-HK, zh-MO), other Chinese, else English.
  var CATALOG = /*CATALOG*/{};
  var pageLang = (document.documentElement.getAttribute('lang') || '').toLowerCase();
  var lang = /^zh-(hant|tw|hk|mo)\b/.test(pageLang) ? 'zh-TW' : /^zh\b/.test(pageLang) ? 'zh-CN' : 'en';
  var T = CATALOG[lang] || {};
  function fill(s, args) {
    Object.keys(args).forEach(function (k) { s = String(s).split('{' + k + '}').join(String(args[k])); });
    return s;
  }

  // State kept across page loads: visitor token, resume point, outbox.
  var storeKey = 'huiliu:' + siteKey;
  // read: the last seq of the ticket the customer saw with the panel open,
  // so a returning visitor's badge counts only what is new.
  var state = { visitor: '', ticket: '', after: 0, read: 0, outbox: [] };
  try {
    var saved = JSON.parse(localStorage.getItem(storeKey) || 'null');
    if (saved && typeof saved === 'object') {
      state.visitor = typeof saved.visitor === 'string' ? saved.visitor : '';
      state.ticket = typeof saved.ticket === 'string' ? saved.ticket : '';
      state.after = typeof saved.after === 'number' ? saved.after : 0;
      state.read = typeof saved.read === 'number' ? saved.read : 0;
      state.outbox = Array.isArray(saved.outbox) ? saved.outbox.filter(function (m) {
        return m && typeof m.id === 'string' && typeof m.text === 'string';
      }) : [];
    }
  } catch (e) { /* private mode or corrupt: start fresh */ }
  function save() {
    try { localStorage.setItem(storeKey, JSON.stringify(state)); } catch (e) { /* quota or private mode */ }
  }

  function identityFromPage() {
    var id = window.HuiliuIdentity;
    if (!id && script.getAttribute('data-sig')) {
      id = {
        customer_no: script.getAttribute('data-customer-no') || '', name: script.getAttribute('data-name') || '',
        iat: script.getAttribute('data-iat') || '', sig: script.getAttribute('data-sig') || ''
      };
    }
    if (!id || !id.sig) return null;
    return { customer_no: String(id.customer_no || ''), name: String(id.name || ''), iat: Number(id.iat) || 0, sig: String(id.sig) };
  }
  var identity = identityFromPage();

  function newClientMsgID() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    if (window.crypto && crypto.getRandomValues) crypto.getRandomValues(b);
    else for (var i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
    var s = '';
    for (var j = 0; j < 16; j++) s += (b[j] + 256).toString(16).slice(1);
    return s;
  }

  // DOM, inside an open shadow root so host CSS cannot reach it (and ours
  // cannot leak out); tests reach in through host.shadowRoot.
  // A custom element name: host rules for div, section and the like miss it.
  var host = document.createElement('huiliu-chat');
  host.id = 'huiliu-widget';
  host.setAttribute('data-hl', 'host');
  var root = host.attachShadow({ mode: 'open' });
  // !important inside the shadow tree beats the page's !important on the host.
  var css = ':host{all:initial!important;display:block!important;position:static!important;visibility:visible!important}*{box-sizing:border-box;font-family:-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif}' +
    '.hl{position:fixed;right:20px;bottom:20px;z-index:2147483000;font-size:14px;line-height:1.45;color:#1f2329}' +
    '.launcher{width:56px;height:56px;border-radius:50%;border:0;background:#1664ff;color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center;position:relative}' +
    'svg{width:26px;height:26px;fill:none;stroke:currentColor;stroke-width:2;stroke-linejoin:round}' +
    '.launcher:focus-visible,button:focus-visible,textarea:focus-visible{outline:3px solid #ffb020;outline-offset:2px}' +
    '.badge{position:absolute;top:-2px;right:-2px;min-width:18px;height:18px;border-radius:9px;background:#e5484d;color:#fff;font-size:11px;text-align:center;line-height:18px;padding:0 4px}' +
    '.panel{position:absolute;right:0;bottom:0;width:360px;height:540px;max-height:calc(100vh - 40px);display:flex;flex-direction:column;background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);overflow:hidden}' +
    '.panel[hidden],.launcher[hidden],[hidden]{display:none}' +
    '.head{display:flex;align-items:center;gap:8px;padding:12px 14px;background:#1664ff;color:#fff}' +
    '.head h2{flex:1;margin:0;font-size:16px;font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}' +
    '.x{border:0;background:transparent;color:#fff;font-size:22px;line-height:1;cursor:pointer;padding:2px 6px}' +
    '.intro{padding:10px 14px;background:#f2f6ff;border-bottom:1px solid #e4e8f0;font-size:13px;color:#3a4250}' +
    '.intro p{margin:0 0 4px}.intro p:last-child{margin:0}.muted{color:#6b7380;font-size:12px}' +
    '.status{padding:4px 14px;background:#fff4d6;color:#6b4e00;font-size:12px}' +
    '.msgs{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#fafbfc}' +
    '.msg{max-width:82%;align-self:flex-start}.msg[data-from=customer]{align-self:flex-end}' +
    '.bubble{padding:8px 11px;border-radius:10px;background:#fff;border:1px solid #e4e8f0;white-space:pre-wrap;word-wrap:break-word;overflow-wrap:anywhere}' +
    '.msg[data-from=customer] .bubble{background:#1664ff;border-color:#1664ff;color:#fff}' +
    '.meta{font-size:11px;color:#6b7380;margin:0 4px 2px}.msg[data-from=customer] .meta{text-align:right}' +
    '.file{display:block;margin:4px 0 0;color:#1664ff;word-break:break-all}.file img{max-width:220px;max-height:220px;border-radius:8px;display:block}' +
    '.msg[data-state=pending] .bubble{opacity:.65}.msg[data-state=failed] .bubble{background:#fde8e8;border-color:#e5484d;color:#1f2329}' +
    '.typing{padding:2px 14px 6px;font-size:12px;color:#6b7380;min-height:20px;background:#fafbfc}' +
    '.notice{padding:6px 14px;font-size:12px;color:#a3262a;background:#fde8e8}' +
    '.compose{display:flex;gap:8px;padding:10px;border-top:1px solid #e4e8f0;background:#fff}' +
    'textarea{flex:1;resize:none;height:44px;max-height:120px;padding:8px 10px;border:1px solid #c9ced6;border-radius:8px;font-size:14px;color:#1f2329;background:#fff}' +
    '.send{border:0;border-radius:8px;background:#1664ff;color:#fff;padding:0 16px;font-size:14px;cursor:pointer}' +
    '@media (max-width:480px){.hl{right:12px;bottom:12px}.hl.open{right:0;bottom:0;left:0;top:0}' +
    '.panel{position:fixed;left:0;top:0;right:0;bottom:0;width:100%;height:100%;max-height:none;border-radius:0}}';
  /* ---- verify card styles (issue 11; the card itself is further down) ---- */
  css += '.vcard{margin:0 10px 8px;padding:12px;border:1px solid #c9d8ff;border-radius:10px;background:#f2f6ff;max-height:60%;overflow-y:auto}' +
    '.vcard h3{margin:0 0 6px;font-size:15px}.vcard p{margin:0 0 8px}' +
    '.vc-row{display:flex;gap:8px;flex-wrap:wrap;align-items:center;margin-bottom:6px}' +
    '.vc-primary{border:0;border-radius:8px;background:#1664ff;color:#fff;padding:8px 14px;font-size:14px;cursor:pointer}' +
    '.vc-link{border:0;background:transparent;color:#1664ff;font-size:13px;cursor:pointer;padding:4px 2px}.vc-link:disabled{color:#6b7380;cursor:default}' +
    '.vc-code{width:9em;padding:8px;border:1px solid #c9ced6;border-radius:8px;font-size:16px;letter-spacing:3px}' +
    '.vcard [hidden]{display:none}.vc-err{color:#a3262a}.vc-open{display:block;margin-top:6px;border:1px solid #1664ff;background:#fff;color:#1664ff;border-radius:8px;padding:4px 10px;cursor:pointer}';
  /* ---- end of verify card styles ---- */
  /* ---- rating card styles (CSAT) ---- */
  /* ---- files, acknowledgement, callback, resolved (issue 17) ---- */
  css += '.att{border:0;background:none;color:#1664ff;cursor:pointer;padding:0}.att svg{width:22px}' +
    '.sys{align-self:center;max-width:94%;text-align:center;font-size:12px;color:#3a4250;background:#eef2f8;border-radius:8px;padding:6px 10px}' +
    '.sys form{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}.sys input{flex:1;min-width:7em;padding:6px;border:1px solid #c9ced6;border-radius:6px}' +
    '.pv{max-width:200px;max-height:200px;border-radius:8px;display:block}.drop .msgs{outline:2px dashed #1664ff;outline-offset:-6px}' +
    '.bubble:empty{display:none}.intro.min{cursor:pointer}.intro.min>*{display:none}.intro.min>:first-child{display:block}';
  css += '.rate{margin-top:8px}.rate [hidden]{display:none}.rate textarea{display:block;width:100%;box-sizing:border-box;margin:6px 0}' +
    '.rate-n{border:1px solid #1664ff;background:#fff;color:#1664ff;border-radius:8px;padding:4px 9px;cursor:pointer}.rate-n[aria-pressed=true]{background:#1664ff;color:#fff}';
  // A constructed sheet is not subject to the host page's CSP style-src, so
  // the widget keeps its looks on pages that forbid inline styles.
  try {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch (e) {
    var style = document.createElement('style');
    style.textContent = css;
    root.appendChild(style);
  }

  function el(tag, cls, hl, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (hl) e.setAttribute('data-hl', hl);
    if (text != null) e.textContent = text;
    return e;
  }
  var wrap = el('div', 'hl', 'root');
  // An inline icon: an emoji draws as an empty box without emoji fonts.
  function icon(d) {
    var n = 'http://www.w3.org/2000/svg', v = document.createElementNS(n, 'svg'), p = document.createElementNS(n, 'path');
    v.setAttribute('viewBox', '0 0 24 24');
    v.setAttribute('aria-hidden', 'true');
    p.setAttribute('d', d);
    v.appendChild(p);
    return v;
  }
  var launcher = el('button', 'launcher', 'launcher');
  launcher.appendChild(icon('M4 5h16v11H10l-5 4v-4H4z'));
  launcher.type = 'button';
  launcher.setAttribute('aria-label', T.open);
  launcher.setAttribute('aria-expanded', 'false');
  launcher.setAttribute('aria-controls', 'hl-panel');
  var badge = el('span', 'badge', 'badge');
  badge.hidden = true;
  badge.setAttribute('aria-hidden', 'true');
  launcher.appendChild(badge);

  var panel = el('div', 'panel', 'panel');
  panel.id = 'hl-panel';
  panel.hidden = true;
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', T.panel);
  var head = el('div', 'head');
  var title = el('h2', '', 'title', T.title);
  var closeBtn = el('button', 'x', 'close', '\u00D7');
  closeBtn.type = 'button';
  closeBtn.setAttribute('aria-label', T.close);
  head.appendChild(title);
  head.appendChild(closeBtn);
  var intro = el('div', 'intro', 'intro');
  var greeting = el('p', '', 'greeting');
  var hours = el('p', 'muted', 'hours');
  var verify = el('p', 'muted', 'verify', T.verify + ' ');
  // The desk's public page answers whether a staff number is a current
  // agent's, for a caller or message claiming to be from us.
  var verifyLink = el('a', '', 'verify-link', T.verify_link);
  verifyLink.href = deskOrigin + '/verify-agent';
  verifyLink.target = '_blank';
  verifyLink.rel = 'noopener';
  verify.appendChild(verifyLink);
  // ---- pii: official channels, report ----
  [['official-link', T.pii_official, '/verify-agent#official'],
    ['report-link', T.pii_report, '/verify-agent?report=1#report']].forEach(function (l) {
    var a = el('a', '', l[0], l[1]);
    a.href = deskOrigin + l[2];
    a.target = '_blank';
    a.rel = 'noopener';
    verify.appendChild(document.createTextNode(' · '));
    verify.appendChild(a);
  });
  // ---- end pii ----
  intro.appendChild(greeting);
  intro.appendChild(hours);
  intro.appendChild(verify);
  // ---- pii: agent check in my chat ----
  var checkForm = el('form', 'agent-check', 'agent-check');
  var checkInput = el('input', '', 'agent-check-no');
  checkInput.type = 'text';
  checkInput.placeholder = T.pii_check_no;
  checkInput.setAttribute('aria-label', T.pii_check_no);
  var checkBtn = el('button', '', 'agent-check-go', T.pii_check);
  checkBtn.type = 'submit';
  var checkOut = el('p', 'muted', 'agent-check-result');
  checkOut.setAttribute('role', 'status');
  checkForm.appendChild(checkInput);
  checkForm.appendChild(checkBtn);
  checkForm.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var no = checkInput.value.trim();
    if (!no) return;
    fetch(deskOrigin + '/webchat/agent-check?site=' + encodeURIComponent(siteKey), {
      method: 'POST', credentials: 'omit',
      body: JSON.stringify({ visitor: state.visitor, no: no })
    }).then(function (r) {
      if (r.status === 429) return { limited: true };
      if (!r.ok) throw r.status;
      return r.json();
    }).then(function (a) {
      var k = a.limited ? 'limited' : !a.current ? 'no' : a.handling ? 'mine' : 'yes';
      checkOut.textContent = fill(T['pii_ck_' + k], { no: a.employee_no || '' });
    }).catch(function () {
      checkOut.textContent = T.pii_ck_failed;
    });
  });
  intro.appendChild(checkForm);
  intro.appendChild(checkOut);
  // ---- end pii ----
  var status = el('div', 'status', 'status');
  status.hidden = true;
  status.setAttribute('role', 'status');
  var list = el('div', 'msgs', 'messages');
  list.setAttribute('role', 'log');
  list.setAttribute('aria-live', 'polite');
  list.setAttribute('aria-label', T.messages);
  list.tabIndex = 0;
  var typingEl = el('div', 'typing', 'typing');
  typingEl.setAttribute('aria-live', 'polite');
  var notice = el('div', 'notice', 'notice');
  notice.hidden = true;
  notice.setAttribute('role', 'alert');
  var compose = el('div', 'compose');
  var input = el('textarea', '', 'input');
  // The short placeholder fits one line; the keys are told to screen
  // readers and on hover.
  input.setAttribute('aria-label', T.input_help);
  input.title = T.input_help;
  input.placeholder = T.placeholder;
  input.rows = 1;
  var sendBtn = el('button', 'send', 'send', T.send);
  sendBtn.type = 'button';
  var attachBtn = el('button', 'att', 'attach');
  attachBtn.type = 'button';
  attachBtn.title = T.attach;
  attachBtn.setAttribute('aria-label', T.attach);
  attachBtn.appendChild(icon('M16 7l-7.5 7.5a2 2 0 0 0 3 3L19 10a4 4 0 0 0-6-6l-7.5 7.5a6 6 0 0 0 8.5 8.5L20 14'));
  var fileIn = el('input', '', 'file-input');
  fileIn.type = 'file';
  fileIn.hidden = true;
  fileIn.accept = 'image/jpeg,image/png,image/gif,image/webp,application/pdf';
  compose.appendChild(attachBtn);
  compose.appendChild(fileIn);
  compose.appendChild(input);
  compose.appendChild(sendBtn);
  [head, intro, status, list, typingEl, notice, compose].forEach(function (n) { panel.appendChild(n); });
  wrap.appendChild(launcher);
  wrap.appendChild(panel);
  root.appendChild(wrap);

  /* ---- verify card (issue 11) ----------------------------------------------
   * An agent's "ask to verify" message (kind verify_request) carries a
   * "verify now" button and, when it arrives live, opens this card. The
   * customer asks for a code (verify_send), which the desk sends only to the
   * phone or email on their record and shows here masked; they type it
   * (verify_code). The widget never learns the full number. Every state has
   * a way on: resend after the cooldown, cancel closes the card. */
  var verifyCard = (function () {
    function button(hl, text, cls) {
      var b = el('button', cls, hl, text);
      b.type = 'button';
      return b;
    }
    var card = el('div', 'vcard', 'verify-card');
    card.hidden = true;
    card.setAttribute('role', 'group');
    card.setAttribute('aria-label', T.vc_title);
    var info = el('p', '', 'verify-info', T.vc_intro);
    var err = el('p', 'vc-err', 'verify-error');
    err.hidden = true;
    err.setAttribute('role', 'alert');
    var sendRow = el('div', 'vc-row');
    var sendSMS = button('verify-send', T.vc_send_sms, 'vc-primary');
    var sendMail = button('verify-send-email', T.vc_send_email, 'vc-link');
    sendRow.appendChild(sendSMS);
    sendRow.appendChild(sendMail);
    var codeRow = el('div', 'vc-row');
    var code = el('input', 'vc-code', 'verify-code');
    code.type = 'text';
    code.inputMode = 'numeric';
    code.autocomplete = 'one-time-code';
    code.maxLength = 6;
    code.placeholder = T.vc_code_label;
    code.setAttribute('aria-label', T.vc_code_label);
    var submitBtn = button('verify-submit', T.vc_submit, 'vc-primary');
    codeRow.appendChild(code);
    codeRow.appendChild(submitBtn);
    var endRow = el('div', 'vc-row');
    var resend = button('verify-resend', T.vc_resend, 'vc-link');
    var cancel = button('verify-cancel', T.vc_cancel, 'vc-link');
    endRow.appendChild(resend);
    endRow.appendChild(cancel);
    [el('h3', '', 'verify-title', T.vc_title), info, err, sendRow, codeRow, endRow, el('p', 'muted', 'verify-note', T.vc_never_share)]
      .forEach(function (n) { card.appendChild(n); });
    panel.insertBefore(card, compose);

    var kind = 'sms';
    var timer = 0;
    function setErr(text) {
      err.textContent = text || '';
      err.hidden = !text;
    }
    function stage(s) {
      card.setAttribute('data-stage', s);
      sendRow.hidden = s !== 'start';
      codeRow.hidden = s !== 'code';
      resend.hidden = s !== 'code';
      cancel.textContent = s === 'done' ? T.vc_close : T.vc_cancel;
    }
    function stopTimer() {
      clearInterval(timer);
      resend.disabled = false;
      resend.textContent = T.vc_resend;
    }
    function cooldown(secs) {
      clearInterval(timer);
      var left = secs;
      resend.disabled = true;
      resend.textContent = fill(T.vc_resend_in, { s: left });
      timer = setInterval(function () {
        left--;
        if (left <= 0) stopTimer();
        else resend.textContent = fill(T.vc_resend_in, { s: left });
      }, 1000);
    }
    function openCard() {
      if (!card.hidden && card.getAttribute('data-stage') !== 'done') return;
      card.hidden = false;
      info.textContent = T.vc_intro;
      setErr('');
      stage('start');
      if (isOpen) sendSMS.focus();
    }
    function closeCard() {
      card.hidden = true;
      stopTimer();
      if (isOpen) input.focus();
    }
    function send(k) {
      kind = k;
      setErr('');
      if (!sendFrame({ type: 'verify_send', kind: k })) setErr(T.vc_unavailable);
    }
    function check() {
      var v = code.value.replace(/\s+/g, '');
      if (!/^\d{6}$/.test(v)) { setErr(T.vc_bad_code); code.focus(); return; }
      setErr('');
      if (!sendFrame({ type: 'verify_code', kind: kind, code: v })) setErr(T.vc_unavailable);
    }
    sendSMS.addEventListener('click', function () { send('sms'); });
    sendMail.addEventListener('click', function () { send('email'); });
    resend.addEventListener('click', function () { send(kind); });
    submitBtn.addEventListener('click', check);
    cancel.addEventListener('click', closeCard);
    code.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && !e.isComposing) { e.preventDefault(); check(); }
    });

    function onFrame(f) {
      var mins = Math.max(1, Math.ceil((f.retry_after || 60) / 60));
      if (card.hidden) card.hidden = false;
      switch (f.state) {
        case 'sent':
          kind = f.kind === 'email' ? 'email' : 'sms';
          info.textContent = f.masked ? fill(T.vc_sent_to, { to: f.masked }) : T.vc_sent_neutral;
          setErr('');
          stage('code');
          cooldown(f.resend_after || 60);
          code.value = '';
          code.focus();
          break;
        case 'verified':
          info.textContent = T.vc_verified;
          setErr('');
          stage('done');
          stopTimer();
          break;
        case 'wrong': setErr(T.vc_wrong); code.select(); break;
        case 'expired': setErr(T.vc_expired); stopTimer(); break;
        case 'locked': setErr(fill(T.vc_locked, { m: mins })); break;
        case 'too_many': setErr(fill(T.vc_too_many, { m: mins })); break;
        case 'no_chat': setErr(T.vc_no_chat); break;
        default: setErr(T.vc_unavailable);
      }
    }
    // attach gives a verify request its button; a request newer than what
    // this visitor had seen (not one replayed from the history) opens the card.
    function attach(e, m) {
      var b = button('verify-open', T.vc_open, 'vc-open');
      b.addEventListener('click', openCard);
      e.appendChild(b);
      if (m.ticket_id === state.ticket && (m.seq || 0) > state.after) openCard();
    }
    return { attach: attach, onFrame: onFrame };
  })();
  /* ---- end of verify card ---- */

  /* ---- rating card (CSAT): a survey message (kind csat_request) carries
   * 1–5 buttons and a comment; the answer goes as a csat frame with the
   * survey's token and the server's csat frame says how it went. */
  var rateCards = {};
  function rateCard(e, token) {
    var box = el('div', 'rate', 'csat-card'), row = el('div', 'vc-row'), picked = 0, btns = [];
    box.setAttribute('role', 'group');
    box.setAttribute('aria-label', T.csat_title);
    var note = el('textarea', '', 'csat-comment');
    note.maxLength = 600;
    note.placeholder = T.csat_comment;
    note.setAttribute('aria-label', T.csat_comment);
    var send = el('button', 'vc-primary', 'csat-send', T.csat_send);
    var msg = el('p', 'muted', 'csat-note');
    msg.setAttribute('role', 'status');
    send.type = 'button';
    send.disabled = true;
    [1, 2, 3, 4, 5].forEach(function (n) {
      var b = el('button', 'rate-n', 'csat-score-' + n, n + '\u2605');
      b.type = 'button';
      b.setAttribute('aria-pressed', 'false');
      b.addEventListener('click', function () {
        picked = n;
        btns.forEach(function (x, j) { x.setAttribute('aria-pressed', String(j + 1 === n)); });
        send.disabled = false;
      });
      btns.push(b);
      row.appendChild(b);
    });
    send.addEventListener('click', function () {
      if (!picked) return;
      if (sendFrame({ type: 'csat', token: token, score: picked, comment: note.value, lang: lang })) send.disabled = true;
      else msg.textContent = T.vc_unavailable;
    });
    [el('strong', '', '', T.csat_title), row, note, send, msg].forEach(function (n) { box.appendChild(n); });
    e.appendChild(box);
    rateCards[token] = { msg: msg, send: send, rest: [row, note, send] };
  }
  function rateDone(f) {
    var c = rateCards[f.token];
    if (!c) return;
    if (!f.done) { c.send.disabled = false; c.msg.textContent = T.vc_unavailable; return; }
    c.msg.textContent = f.text || T.csat_thanks;
    c.rest.forEach(function (n) { n.hidden = true; });
  }

  function showSite(site) {
    if (!site) return;
    if (site.name) title.textContent = site.name;
    greeting.textContent = site.greeting || '';
    greeting.hidden = !site.greeting;
    hours.textContent = site.hours_note ? T.hours + site.hours_note : '';
    hours.hidden = !site.hours_note;
  }
  showSite({});

  // Messages: one element per id; the customer's own messages appear at
  // once as pending (keyed by client_msg_id) and are matched when their
  // ack or their copy from the history arrives.
  var byID = {};
  var byCmid = {};
  var unread = 0;
  var isOpen = false;

  // Bubbles of another day carry the date, of another year the year too.
  function fmtTime(at) {
    var d = at ? new Date(at) : new Date(), now = new Date();
    if (isNaN(d.getTime()) || d.getFullYear() < 2000) return '';
    var t = ('0' + d.getHours()).slice(-2) + ':' + ('0' + d.getMinutes()).slice(-2);
    if (d.toDateString() === now.toDateString()) return t;
    var o = { month: 'short', day: 'numeric' };
    if (d.getFullYear() !== now.getFullYear()) o.year = 'numeric';
    return d.toLocaleDateString(lang, o) + ' ' + t;
  }
  function fmtWhen(at) {
    return new Date(at).toLocaleString(lang, { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });
  }
  function metaText(m) {
    var who;
    if (m.from === 'agent') {
      who = m.agent_name || T.agent;
      if (m.employee_no) who += ' \u00B7 ' + T.staff_no + ' ' + m.employee_no;
    } else if (m.from === 'bot') who = m.agent_name ? m.agent_name + ' \u00B7 ' + T.bot : T.bot;
    else who = T.you;
    var t = fmtTime(m.at);
    return t ? who + ' ' + t : who;
  }
  function makeMsg(from, text) {
    var e = el('div', 'msg', 'msg');
    e.setAttribute('data-from', from);
    e.appendChild(el('div', 'meta', 'msg-meta'));
    e.appendChild(el('div', 'bubble', 'msg-text', text));
    return e;
  }
  function place(e, ticket, seq) {
    // Keep seq order within a ticket; a newer ticket's messages follow the
    // older one's, and pending messages (no seq yet) stay at the end.
    var before = null;
    for (var c = list.lastElementChild; c; c = c.previousElementSibling) {
      if (c.getAttribute('data-state') === 'pending' ||
        (c.getAttribute('data-ticket') === ticket && Number(c.getAttribute('data-seq')) > seq)) before = c;
      else break;
    }
    list.insertBefore(e, before);
  }
  function scrollDown() { list.scrollTop = list.scrollHeight; }

  function showMessage(m) {
    if (!m || typeof m.id !== 'string' || byID[m.id]) return;
    var e = m.client_msg_id && byCmid[m.client_msg_id];
    if (m.kind === 'resolved') {
      // The desk resolved the ticket: say so, and offer to start over.
      e = el('div', 'sys', 'resolved', T.resolved + ' ');
      var nb = el('button', 'vc-link', 'new-chat', T.new_chat);
      nb.type = 'button';
      nb.addEventListener('click', startOver);
      e.appendChild(nb);
      e.setAttribute('data-seq', String(m.seq || 0));
      e.setAttribute('data-ticket', String(m.ticket_id || ''));
      byID[m.id] = e;
      place(e, String(m.ticket_id || ''), m.seq || 0);
      scrollDown();
      return;
    }
    if (e) {
      delete byCmid[m.client_msg_id];
      if (e.parentNode) e.parentNode.removeChild(e);
      e.children[1].textContent = String(m.text || ''); // drops an upload's local preview
    } else {
      e = makeMsg(m.from === 'customer' ? 'customer' : m.from === 'bot' ? 'bot' : 'agent', String(m.text || ''));
    }
    if (Array.isArray(m.files)) m.files.forEach(function (f) { addFile(e, f); });
    if (m.kind === 'verify_request' && m.from !== 'customer') verifyCard.attach(e, m);
    if (m.kind === 'csat_request' && typeof m.survey === 'string' && !rateCards[m.survey]) rateCard(e, m.survey);
    e.setAttribute('data-id', m.id);
    e.setAttribute('data-seq', String(m.seq || 0));
    e.setAttribute('data-ticket', String(m.ticket_id || ''));
    e.setAttribute('data-state', 'sent');
    e.firstChild.textContent = metaText(m);
    byID[m.id] = e;
    place(e, String(m.ticket_id || ''), m.seq || 0);
    var mine = m.ticket_id === state.ticket;
    if (m.from === 'customer') intro.classList.add('min');
    else {
      typingEl.textContent = '';
      if (!isOpen && mine && m.seq > state.read) { unread++; badge.textContent = String(unread); badge.hidden = false; }
    }
    if (isOpen && mine && m.seq > state.read) state.read = m.seq;
    scrollDown();
  }
  // addFile shows an agent's file: a picture for images, else a link. Only
  // the desk's own signed paths are followed, never a URL from elsewhere.
  function addFile(e, f) {
    if (!f || typeof f.url !== 'string' || f.url.indexOf('/webchat/file?') !== 0) return;
    var href = deskOrigin + f.url;
    var a = el('a', 'file', 'msg-file');
    a.href = href;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    if (/^image\/(jpeg|png|gif|webp)$/.test(String(f.mime || ''))) {
      var img = document.createElement('img');
      img.src = href;
      img.alt = String(f.name || '');
      a.appendChild(img);
    } else {
      a.textContent = String(f.name || T.file) + (f.size ? ' (' + fmtSize(f.size) + ')' : '');
    }
    e.appendChild(a);
  }
  function fmtSize(n) {
    return n >= 1048576 ? (n / 1048576).toFixed(1) + ' MB' : n >= 1024 ? Math.round(n / 1024) + ' KB' : n + ' B';
  }
  function showPending(item) {
    if (byCmid[item.id]) return;
    var e = makeMsg('customer', item.text);
    e.setAttribute('data-id', 'pending:' + item.id);
    e.setAttribute('data-state', 'pending');
    e.firstChild.textContent = T.you + ' \u00B7 ' + T.sending;
    byCmid[item.id] = e;
    list.appendChild(e);
    intro.classList.add('min');
    scrollDown();
  }
  function setNotice(text) {
    notice.textContent = text || '';
    notice.hidden = !text;
  }

  // Connection.
  var ws = null;
  var ready = false; // welcome received on ws
  var attempt = 0;
  var retryTimer = 0;
  var resendTimer = 0;
  var stopped = false;
  var firstHello = true; // the first hello of a page asks from 0 to render the conversation
  var limits = { max_text_bytes: 4096, typing_interval_ms: 2000 };
  var lastTypingSent = 0;
  var typingTimer = 0;

  function setStatus(text) {
    status.textContent = text || '';
    status.hidden = !text;
  }
  function sendFrame(f) {
    if (!ws || ws.readyState !== 1) return false;
    ws.send(JSON.stringify(f));
    return true;
  }
  function connect() {
    if (stopped || ws) return;
    clearTimeout(retryTimer);
    setStatus(attempt ? T.reconnecting : '');
    var sock;
    try { sock = new WebSocket(wsURL); } catch (e) { scheduleReconnect(); return; }
    ws = sock;
    ready = false;
    sock.onopen = function () {
      var hello = { type: 'hello', visitor: state.visitor, ticket_id: state.ticket, after: firstHello ? 0 : state.after, lang: lang };
      if (identity) hello.identity = identity;
      sock.send(JSON.stringify(hello));
    };
    sock.onmessage = function (ev) {
      var f;
      try { f = JSON.parse(ev.data); } catch (e) { return; }
      if (f && typeof f.type === 'string') handle(f);
    };
    sock.onclose = function (ev) {
      if (ws !== sock) return;
      ws = null;
      ready = false;
      if (ev.code === 4404) { stop(T.unknown_site); return; }
      scheduleReconnect();
    };
    sock.onerror = function () { /* onclose follows */ };
  }
  function scheduleReconnect() {
    if (stopped) return;
    setStatus(T.reconnecting);
    // Capped exponential backoff with jitter, so a restarted node is not
    // hit by every widget at the same instant.
    var base = Math.min(30000, 1000 * Math.pow(2, Math.min(attempt, 5)));
    attempt++;
    retryTimer = setTimeout(connect, base / 2 + Math.random() * base / 2);
  }
  function stop(reason) {
    stopped = true;
    setStatus(reason);
    console.warn('[huiliu] chat stopped: ' + reason + ' (site ' + siteKey + ')');
  }

  var busyStreak = 0; // busy answers in a row, for the resend backoff
  function flushOutbox() {
    if (!ready) return;
    for (var i = 0; i < state.outbox.length; i++) {
      sendFrame({ type: 'message', client_msg_id: state.outbox[i].id, text: state.outbox[i].text, new: !!state.outbox[i].n });
    }
  }
  function scheduleResend(ms) {
    clearTimeout(resendTimer);
    resendTimer = setTimeout(flushOutbox, Math.max(100, ms));
  }
  function dropFromOutbox(cmid) {
    state.outbox = state.outbox.filter(function (m) { return m.id !== cmid; });
    save();
  }

  function acked(f) {
    busyStreak = 0;
    fresh = false; // the desk has had the message that starts over
    if (f.linked) identity = null; // the desk has it; stop re-sending it
    dropFromOutbox(f.client_msg_id);
    var p = byCmid[f.client_msg_id];
    if (p && f.id && !byID[f.id]) {
      delete byCmid[f.client_msg_id];
      p.setAttribute('data-id', f.id);
      p.setAttribute('data-seq', String(f.seq || 0));
      p.setAttribute('data-ticket', String(f.ticket_id || ''));
      p.setAttribute('data-state', 'sent');
      p.firstChild.textContent = metaText({ from: 'customer' });
      byID[f.id] = p;
    } else if (p && byID[f.id]) {
      delete byCmid[f.client_msg_id];
      if (p.parentNode) p.parentNode.removeChild(p);
    }
    setNotice('');
  }
  function handle(f) {
    switch (f.type) {
      case 'welcome':
        attempt = 0;
        ready = true;
        firstHello = false;
        setStatus('');
        if (f.visitor) state.visitor = f.visitor;
        if ((f.ticket_id || '') !== state.ticket) { state.ticket = f.ticket_id || ''; state.after = state.read = 0; }
        if (f.identity === 'ignored') identity = null; // it will not get better by resending
        if (f.limits) limits = f.limits;
        showSite(f.site);
        save();
        flushOutbox();
        Object.keys(uploads).forEach(function (id) { if (uploads[id].wait) sendUpload(id); });
        break;
      case 'message':
        var m = f.message;
        if (!m) break;
        showMessage(m);
        if (m.ticket_id === state.ticket && m.seq > state.after) { state.after = m.seq; save(); }
        break;
      case 'synced':
        if (f.ticket_id === state.ticket && f.seq > state.after) { state.after = f.seq; save(); }
        break;
      case 'ticket':
        if (f.ticket_id && f.ticket_id !== state.ticket) { state.ticket = f.ticket_id; state.after = state.read = 0; save(); }
        break;
      case 'ack':
        acked(f);
        break;
      case 'state':
        showState(f);
        break;
      case 'callback':
        callbackDone(f);
        break;
      case 'typing':
        typingEl.textContent = (f.agent_name ? fill(T.typing, { name: f.agent_name }) : T.agent_typing);
        clearTimeout(typingTimer);
        typingTimer = setTimeout(function () { typingEl.textContent = ''; }, 5000);
        break;
      case 'error':
        onError(f);
        break;
      case 'verify':
        verifyCard.onFrame(f);
        break;
      case 'csat':
        rateDone(f);
        break;
    }
  }
  function onError(f) {
    var cmid = f.client_msg_id;
    if (f.code === 'busy') {
      // Kept in the outbox. Each busy answer in a row doubles the wait
      // (capped at 30 s), jittered so refused widgets do not return together.
      busyStreak++;
      var wait = Math.min(30000, (f.retry_after_ms || 1000) * Math.pow(2, busyStreak - 1));
      setNotice(T.busy);
      scheduleResend(wait * (0.75 + Math.random() / 2));
      return;
    }
    if (f.code === 'rate_limited' || f.code === 'unavailable') {
      // Kept in the outbox: nothing typed is lost, it goes out later.
      setNotice(f.code === 'rate_limited' ? fill(T.rate_limited, { s: f.retry_after || 5 }) : T.unavailable);
      scheduleResend((f.retry_after || 5) * 1000);
      return;
    }
    if (f.code === 'unknown_site') { stop(T.unknown_site); return; }
    if (!cmid) return;
    // Refused for good: out of the outbox, shown as failed, text back in
    // the input so the customer can fix it.
    var item = null;
    for (var i = 0; i < state.outbox.length; i++) if (state.outbox[i].id === cmid) item = state.outbox[i];
    dropFromOutbox(cmid);
    var p = byCmid[cmid];
    if (p) {
      delete byCmid[cmid];
      p.setAttribute('data-state', 'failed');
      p.firstChild.textContent = T.you + ' \u00B7 ' + T.failed;
    }
    setNotice(f.code === 'too_large' ? T.too_large : T.invalid);
    if (item && !input.value) input.value = item.text;
  }

  /* ---- files, acknowledgement, callback, start over (issue 17) ----------
   * A photo or PDF (attach, paste or drop) goes by HTTP to /webchat/upload
   * with the visitor token and its own client_msg_id, so a retry is never
   * stored twice; the desk checks its type by its bytes. The answer is an
   * ack; the upload that opened a ticket brings its state, as the state
   * frame does after a first text message. */
  var fresh = false; // the customer asked for a new conversation
  var uploads = {}; // by client_msg_id: { file, e, n, wait }
  var callback = null;
  function sysRow(hl, text) {
    var e = el('div', 'sys', hl, text);
    e.setAttribute('role', 'status');
    list.appendChild(e);
    scrollDown();
    return e;
  }
  function showState(f) {
    if (f.open !== false || !f.next_open) {
      sysRow('ack', f.queue > 0 ? fill(T.ack_queue, { n: f.queue }) : T.ack_got);
      return;
    }
    var when = fmtWhen(f.next_open), r = sysRow('closed', fill(T.closed, { t: when }));
    var form = el('form', '', 'callback'), out = el('p', 'vc-err', 'cb-note'), go = el('button', 'vc-primary', 'cb-send', T.cb_send);
    var nm = el('input', '', 'cb-name'), ph = el('input', '', 'cb-phone');
    [[nm, T.cb_name, 'name'], [ph, T.cb_phone, 'tel']].forEach(function (x) {
      x[0].placeholder = x[1];
      x[0].setAttribute('aria-label', x[1]);
      x[0].autocomplete = x[2];
      x[0].maxLength = 40;
      form.appendChild(x[0]);
    });
    ph.type = 'tel';
    form.appendChild(go);
    out.setAttribute('role', 'alert');
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var n = ph.value.trim();
      out.textContent = '';
      if (!/^\+?[\d\s()-]{5,}$/.test(n)) { out.textContent = T.cb_bad; ph.focus(); return; }
      go.disabled = true;
      if (!sendFrame({ type: 'callback', name: nm.value.trim(), phone: n })) { go.disabled = false; out.textContent = T.vc_unavailable; }
    });
    r.appendChild(form);
    r.appendChild(out);
    callback = { form: form, out: out, go: go, when: when };
  }
  function callbackDone(f) {
    if (!callback) return;
    callback.go.disabled = false;
    if (!f.done) { callback.out.textContent = f.error === 'invalid' ? T.cb_bad : T.vc_unavailable; return; }
    callback.form.remove();
    callback.out.className = '';
    callback.out.textContent = fill(T.cb_done, { t: callback.when });
  }
  function startOver() {
    fresh = true;
    list.querySelectorAll('[data-hl=new-chat]').forEach(function (b) { b.hidden = true; });
    intro.classList.remove('min');
    input.focus();
  }
  // rejoin reconnects at once, so the socket follows the ticket an upload opened.
  function rejoin() {
    var o = ws;
    ws = null;
    ready = false;
    if (o) { o.onclose = null; o.close(); }
    connect();
  }
  function pickFiles(files) {
    for (var i = 0; i < files.length; i++) upload(files[i]);
  }
  function upload(file) {
    var max = limits.max_upload_bytes || 10485760;
    if (!/^(image\/(jpeg|png|gif|webp)|application\/pdf)$/.test(file.type)) { setNotice(T.up_type); return; }
    if (file.size > max) { setNotice(fill(T.up_size, { mb: Math.floor(max / 1048576) })); return; }
    setNotice('');
    var id = newClientMsgID(), e = makeMsg('customer', '');
    e.setAttribute('data-id', 'pending:' + id);
    if (/^image/.test(file.type)) {
      var img = el('img', 'pv', 'preview');
      img.src = URL.createObjectURL(file);
      img.alt = file.name;
      e.lastChild.appendChild(img);
    } else e.lastChild.textContent = file.name + ' (' + fmtSize(file.size) + ')';
    byCmid[id] = e;
    list.appendChild(e);
    intro.classList.add('min');
    scrollDown();
    uploads[id] = { file: file, e: e, n: fresh };
    sendUpload(id);
  }
  function sendUpload(id) {
    var u = uploads[id], meta = u.e.firstChild, x = new XMLHttpRequest(), fd = new FormData();
    u.e.setAttribute('data-state', 'pending');
    meta.textContent = fill(T.uploading, { p: 0 });
    // A first-time visitor gets a token with the welcome; it sends then.
    if (!state.visitor) { u.wait = true; connect(); return; }
    u.wait = false;
    fd.append('visitor', state.visitor);
    fd.append('client_msg_id', id);
    if (u.n) fd.append('new', '1');
    fd.append('file', u.file, u.file.name);
    x.upload.onprogress = function (ev) {
      // The stored message may come by the socket before the last progress.
      if (ev.lengthComputable && u.e.getAttribute('data-state') === 'pending') meta.textContent = fill(T.uploading, { p: Math.floor(ev.loaded * 100 / ev.total) });
    };
    x.onload = function () {
      var r = {};
      try { r = JSON.parse(x.responseText) || {}; } catch (e) { /* not JSON: a proxy's page */ }
      if (x.status === 200 && r.id) {
        delete uploads[id];
        acked(r);
        if (r.ticket_id !== state.ticket) { state.ticket = r.ticket_id; state.after = state.read = 0; save(); rejoin(); }
        if (r.state) showState(r.state);
        return;
      }
      var c = r.error && r.error.code;
      failUpload(id, c === 'bad_type' ? T.up_type : c === 'too_large' ? fill(T.up_size, { mb: Math.floor((limits.max_upload_bytes || 10485760) / 1048576) }) : T.up_fail, c !== 'bad_type' && c !== 'too_large');
    };
    x.onerror = function () { failUpload(id, T.up_fail, true); };
    x.open('POST', deskOrigin + '/webchat/upload?site=' + encodeURIComponent(siteKey));
    x.send(fd);
  }
  // failUpload marks an upload failed; one that may work again gets a retry
  // button, which sends the same file under the same client_msg_id.
  function failUpload(id, text, retry) {
    var u = uploads[id];
    u.e.setAttribute('data-state', 'failed');
    u.e.firstChild.textContent = T.you + ' \u00B7 ' + text;
    if (!retry) { delete uploads[id]; return; }
    var b = el('button', 'vc-open', 'retry', T.retry);
    b.type = 'button';
    b.addEventListener('click', function () { b.remove(); sendUpload(id); });
    u.e.appendChild(b);
  }
  attachBtn.addEventListener('click', function () { fileIn.click(); });
  fileIn.addEventListener('change', function () { pickFiles(fileIn.files); fileIn.value = ''; });
  input.addEventListener('paste', function (e) {
    var f = e.clipboardData && e.clipboardData.files;
    if (f && f.length) { e.preventDefault(); pickFiles(f); }
  });
  panel.addEventListener('dragover', function (e) {
    if (e.dataTransfer && [].indexOf.call(e.dataTransfer.types, 'Files') >= 0) { e.preventDefault(); wrap.classList.add('drop'); }
  });
  panel.addEventListener('dragleave', function () { wrap.classList.remove('drop'); });
  panel.addEventListener('drop', function (e) {
    wrap.classList.remove('drop');
    if (e.dataTransfer && e.dataTransfer.files.length) { e.preventDefault(); pickFiles(e.dataTransfer.files); }
  });
  intro.addEventListener('click', function () { intro.classList.remove('min'); });
  /* ---- end of files, acknowledgement, callback, start over ---- */

  function utf8Length(s) {
    if (window.TextEncoder) return new TextEncoder().encode(s).length;
    return unescape(encodeURIComponent(s)).length;
  }
  function submit() {
    var text = input.value;
    if (!text.trim()) return;
    if (utf8Length(text) > (limits.max_text_bytes || 4096)) { setNotice(T.too_large); return; }
    var item = { id: newClientMsgID(), text: text, at: Date.now(), n: fresh ? 1 : 0 };
    state.outbox.push(item);
    save();
    input.value = '';
    setNotice('');
    showPending(item);
    if (ready) sendFrame({ type: 'message', client_msg_id: item.id, text: text, new: fresh });
    else connect();
  }
  function typed() {
    var now = Date.now();
    if (!ready || now - lastTypingSent < (limits.typing_interval_ms || 2000)) return;
    lastTypingSent = now;
    sendFrame({ type: 'typing' });
  }

  function open() {
    isOpen = true;
    panel.hidden = false;
    launcher.hidden = true;
    wrap.classList.add('open');
    launcher.setAttribute('aria-expanded', 'true');
    unread = 0;
    badge.hidden = true;
    state.read = Math.max(state.read, state.after);
    save();
    connect();
    scrollDown();
    input.focus();
  }
  function close() {
    isOpen = false;
    panel.hidden = true;
    launcher.hidden = false;
    wrap.classList.remove('open');
    launcher.setAttribute('aria-expanded', 'false');
    launcher.focus();
  }

  launcher.addEventListener('click', open);
  closeBtn.addEventListener('click', close);
  sendBtn.addEventListener('click', function () { submit(); input.focus(); });
  input.addEventListener('keydown', function (e) {
    // keyCode 229 / isComposing: Enter that confirms a Chinese IME choice.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) { e.preventDefault(); submit(); }
  });
  input.addEventListener('input', typed);
  panel.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') { e.preventDefault(); close(); }
  });
  window.addEventListener('online', function () { if (!ws && !stopped) { attempt = 0; connect(); } });

  // ---- Knowledge-base suggestions (deflection; owned by the kb package) ----
  // Before a conversation exists, what the customer types is looked up in
  // the help centre (GET /help/api/suggest, public, rate limited) and up to
  // three articles are offered above the input, each opening /help in a new
  // tab. Nothing typed here reaches the chat until it is sent.
  var kbBox = el('div', 'kb', 'kb-suggest');
  kbBox.hidden = true;
  kbBox.setAttribute('aria-live', 'polite');
  panel.insertBefore(kbBox, compose);
  try {
    var kbSheet = new CSSStyleSheet();
    kbSheet.replaceSync('.kb{padding:8px 14px;border-top:1px solid #e4e8f0;background:#f7f9fc;font-size:13px}' +
      '.kb p{margin:0 0 4px;color:#6b7380;font-size:12px}.kb a{display:block;margin:2px 0;color:#1664ff;text-decoration:none;overflow-wrap:anywhere}' +
      '.kb a:hover{text-decoration:underline}.kb[hidden]{display:none}');
    root.adoptedStyleSheets = root.adoptedStyleSheets.concat([kbSheet]);
  } catch (e) { /* the plain look still works */ }
  var kbTimer = null, kbSeq = 0;
  function kbHide() { kbSeq++; clearTimeout(kbTimer); kbBox.hidden = true; }
  function kbShow(res) {
    while (kbBox.firstChild) kbBox.removeChild(kbBox.firstChild);
    var arts = res && Array.isArray(res.articles) ? res.articles : [];
    arts = arts.filter(function (a) { return a && typeof a.url === 'string' && /^\/help\//.test(a.url); }).slice(0, 3);
    if (!arts.length || state.ticket) { kbBox.hidden = true; return; }
    kbBox.appendChild(el('p', '', 'kb-heading', String(res.heading || '')));
    arts.forEach(function (a) {
      var link = el('a', '', 'kb-link', String(a.title || ''));
      link.href = deskOrigin + a.url;
      link.target = '_blank';
      link.rel = 'noopener';
      kbBox.appendChild(link);
    });
    kbBox.hidden = false;
  }
  function kbSuggest() {
    var q = input.value.trim();
    if (state.ticket || state.outbox.length || q.length < 2 || !window.fetch) { kbHide(); return; }
    clearTimeout(kbTimer);
    kbTimer = setTimeout(function () {
      var seq = ++kbSeq;
      fetch(deskOrigin + '/help/api/suggest?lang=' + encodeURIComponent(lang) + '&q=' + encodeURIComponent(q.slice(0, 200)), { credentials: 'omit' })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (res) { if (seq === kbSeq) kbShow(res); }, function () { /* no suggestions */ });
    }, 300);
  }
  input.addEventListener('input', kbSuggest);
  sendBtn.addEventListener('click', kbHide);
  input.addEventListener('keydown', function (e) { if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) kbHide(); });
  // ---- end of knowledge-base suggestions ----

  function mount() {
    document.body.appendChild(host);
    if (state.ticket) intro.classList.add('min');
    state.outbox.forEach(showPending);
    // Returning visitors with an open conversation or unsent messages
    // connect at once; others only when they open the panel.
    if (state.ticket || state.outbox.length) connect();
  }
  // The config check keeps the launcher off pages the site does not
  // list; a network failure still shows it (the socket will tell).
  function start() {
    if (!window.fetch) { mount(); return; }
    fetch(deskOrigin + '/webchat/config?site=' + encodeURIComponent(siteKey), { credentials: 'omit' })
      .then(function (r) {
        if (r.status === 404 || r.status === 403) {
          console.warn('[huiliu] chat not enabled here: HTTP ' + r.status + ' for site ' + siteKey);
          return null;
        }
        return r.ok ? r.json() : {};
      })
      .then(function (cfg) {
        if (cfg === null) return;
        if (cfg.site) showSite(cfg.site);
        if (cfg.limits) limits = cfg.limits;
        mount();
      }, function () { mount(); });
  }

  window.Huiliu = { open: open, close: close, _loaded: true };
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start);
})();
