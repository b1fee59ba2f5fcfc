/* kefu widget loader (GET /widget.js): pasted into a customer's page as one async
   script tag. It draws a launcher <button> in an open shadow root (the host page's
   CSS cannot reach it, nor ours the page) and runs the chat app in an iframe from
   the center's origin, created once the host page has loaded so it never delays it.
   The frame keeps the visitor's socket (page views, invitations, unread count) while
   the chat panel is closed.
   Trust: messages are accepted only from the center's origin and our frame's window,
   and sent only to the center's origin; every string from the frame is set as text.
   The visitor stays the same visitor across pages and visits through first-party
   cookies of this page (third-party storage is often blocked): kefu_visitor holds
   `visitor_id.key` for a year, kefu_visitor_token the current token (it expires
   within 12 h), so a page view does not have to trade the key for a token. */
(function () {
  'use strict';
  if (window.__kefuWidget) return; // pasted twice
  var script = document.currentScript || document.querySelector('script[src*="/widget.js"]');
  if (!script) return;
  var data = script.dataset;
  var center = (data.center || new URL(script.src).origin).replace(/\/+$/, '');
  var centerOrigin = new URL(center).origin;
  var lang = /^zh/i.test(data.lang || navigator.language || '') ? 'zh-CN' : 'en';
  var TEXT = {
    en: { open: 'Chat with us', close: 'Close the chat', unread: '{n} unread', frame: 'Chat',
          accept: 'Reply', decline: 'No, thanks', invite: 'Invitation to chat' },
    'zh-CN': { open: '在线咨询', close: '关闭对话', unread: '{n} 条未读', frame: '在线咨询',
               accept: '回复', decline: '不用了', invite: '对话邀请' }
  };
  function t(key, n) { return (TEXT[lang][key] || key).replace('{n}', n); }

  var YEAR_S = 31536000, TOKEN_S = 12 * 3600;
  function readCookie(name) {
    var found = document.cookie.split('; ').filter(function (c) { return c.indexOf(name + '=') === 0; })[0];
    return found ? decodeURIComponent(found.slice(name.length + 1)) : '';
  }
  function writeCookie(name, value, maxAge) {
    document.cookie = name + '=' + encodeURIComponent(value) + '; max-age=' + maxAge +
      '; path=/; SameSite=Lax' + (location.protocol === 'https:' ? '; Secure' : '');
  }

  var state = { open: false, unread: 0, ready: false, queue: [], position: data.position || '' };
  var UNREAD_PREFIX = /^\(\d+\) /;

  var host = document.createElement('div');
  host.setAttribute('data-kefu-widget', '');
  var root = host.attachShadow({ mode: 'open' });
  // Built element by element: no markup parsing anywhere in the loader.
  function el(tag, attributes, children) {
    var node = tag === 'svg' || tag === 'path' ? document.createElementNS('http://www.w3.org/2000/svg', tag)
      : document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    (children || []).forEach(function (child) { node.append(child); });
    return node;
  }
  var style = el('style');
  style.textContent = ':host{all:initial}' +
    '.k{position:fixed;bottom:20px;z-index:2147483000;font:14px/1.4 -apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif}' +
    '.k.right{right:20px}.k.left{left:20px}' +
    '.l{width:56px;height:56px;border-radius:50%;border:0;background:var(--c,#1f6feb);color:#fff;cursor:pointer;' +
    'box-shadow:0 4px 14px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center;position:relative}' +
    '.l:focus-visible{outline:3px solid #111;outline-offset:3px}.l svg{width:26px;height:26px;fill:currentColor}' +
    '.b{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 5px;border-radius:10px;' +
    'background:#d93025;color:#fff;font-size:12px;font-weight:600;line-height:20px;text-align:center;box-sizing:border-box}' +
    '.f{position:fixed;bottom:88px;width:370px;height:min(600px,calc(100vh - 110px));border:0;border-radius:12px;' +
    'box-shadow:0 8px 30px rgba(0,0,0,.25);background:#fff;color-scheme:light}.right .f{right:20px}.left .f{left:20px}' +
    '.i{position:fixed;bottom:88px;width:290px;padding:14px;border-radius:12px;background:#fff;color:#1d2330;' +
    'box-shadow:0 8px 30px rgba(0,0,0,.25);box-sizing:border-box}.right .i{right:20px}.left .i{left:20px}' +
    '.i p{margin:0 0 4px;overflow-wrap:anywhere}.i .a{font-weight:600}.i div{display:flex;gap:8px;margin-top:10px}' +
    '.i button{flex:1;padding:7px;border-radius:8px;border:1px solid #ccd;background:#fff;cursor:pointer;font:inherit}' +
    '.i button.y{background:var(--c,#1f6feb);border-color:transparent;color:#fff}' +
    '[hidden]{display:none!important}' +
    '@media (max-width:480px){.f{width:100vw;height:100%;bottom:0;left:0!important;right:0!important;border-radius:0}}';
  var badge = el('span', { 'class': 'b', 'aria-hidden': 'true', hidden: '' });
  var launcher = el('button', { 'class': 'l', type: 'button', 'aria-expanded': 'false' }, [
    el('svg', { viewBox: '0 0 24 24', 'aria-hidden': 'true' }, [
      el('path', { d: 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z' })]),
    badge]);
  var agentLine = el('p', { 'class': 'a' });
  var textLine = el('p', { 'class': 'x' });
  var acceptButton = el('button', { 'class': 'y', type: 'button' });
  var declineButton = el('button', { 'class': 'n', type: 'button' });
  var invitation = el('div', { 'class': 'i', role: 'dialog', hidden: '' }, [
    agentLine, textLine, el('div', {}, [acceptButton, declineButton])]);
  var box = el('div', { 'class': 'k right' }, [invitation, launcher]);
  root.append(style, box);
  var frame = null;
  var invitationId = null;

  function place(position) {
    box.className = 'k ' + (position === 'left' ? 'left' : 'right');
  }
  place(state.position);

  function label() {
    var name = state.open ? t('close') : t('open');
    if (!state.open && state.unread) name += ', ' + t('unread', state.unread);
    launcher.setAttribute('aria-label', name);
    launcher.setAttribute('aria-expanded', String(state.open));
    badge.textContent = state.unread > 99 ? '99+' : String(state.unread);
    badge.hidden = state.open || !state.unread;
    var plain = document.title.replace(UNREAD_PREFIX, '');
    var wanted = state.unread && !state.open ? '(' + state.unread + ') ' + plain : plain;
    if (document.title !== wanted) document.title = wanted;
  }

  function post(message) {
    if (frame && state.ready) frame.contentWindow.postMessage(message, centerOrigin);
    else state.queue.push(message);
  }

  function frameUrl() {
    var query = new URLSearchParams({ embedded: '1', lang: lang });
    if (data.skillGroup) query.set('skill_group', data.skillGroup);
    var fragment = new URLSearchParams({ origin: location.origin });
    if (readCookie('kefu_visitor')) fragment.set('v', readCookie('kefu_visitor'));
    if (readCookie('kefu_visitor_token')) fragment.set('vt', readCookie('kefu_visitor_token'));
    return center + '/chat?' + query + '#' + fragment;
  }

  function ensureFrame() {
    if (frame) return;
    frame = document.createElement('iframe');
    frame.className = 'f';
    frame.hidden = true;
    frame.title = t('frame');
    frame.setAttribute('allow', 'autoplay');
    frame.src = frameUrl();
    box.insertBefore(frame, invitation);
  }

  function setOpen(open) {
    if (open === state.open) return;
    ensureFrame();
    state.open = open;
    frame.hidden = !open;
    if (open) { state.unread = 0; hideInvitation(); }
    post({ kefu: open ? 'open' : 'close' });
    label();
    if (open) frame.focus();
    else launcher.focus();
  }

  function showInvitation(id, agent, text) {
    invitationId = id;
    agentLine.textContent = agent || '';
    textLine.textContent = text || '';
    invitation.hidden = state.open;
  }
  function hideInvitation() { invitation.hidden = true; }

  invitation.setAttribute('aria-label', t('invite'));
  acceptButton.textContent = t('accept');
  declineButton.textContent = t('decline');
  acceptButton.addEventListener('click', function () {
    post({ kefu: 'invitation.accept', invitation_id: invitationId });
    hideInvitation();
    setOpen(true);
  });
  declineButton.addEventListener('click', function () {
    post({ kefu: 'invitation.decline', invitation_id: invitationId });
    hideInvitation();
  });
  launcher.addEventListener('click', function () { setOpen(!state.open); });
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && state.open) setOpen(false);
  });

  // The admin's colour and side: fetched here too (public, CORS-open) so the launcher
  // has them before the frame has loaded.
  function applyConfig(m) {
    if (typeof m.color === 'string' && /^#[0-9a-fA-F]{6}$/.test(m.color)) box.style.setProperty('--c', m.color);
    if (!data.position) place(m.position);
  }
  fetch(center + '/api/v1/widget/config', { credentials: 'omit' })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (m) { if (m) applyConfig(m); })
    .catch(function () { /* the defaults stay */ });

  var handlers = {
    ready: function () {
      state.ready = true;
      var waiting = state.queue.splice(0);
      waiting.forEach(post);
    },
    config: applyConfig,
    visitor: function (m) {
      if (m.v) writeCookie('kefu_visitor', String(m.v), YEAR_S);
      if (m.vt) writeCookie('kefu_visitor_token', String(m.vt), TOKEN_S);
    },
    unread: function (m) {
      state.unread = state.open ? 0 : Math.max(0, Number(m.count) || 0);
      label();
    },
    invitation: function (m) { showInvitation(m.invitation_id, String(m.agent || ''), String(m.text || '')); },
    'invitation.closed': function (m) { if (m.invitation_id === invitationId) hideInvitation(); },
    open: function () { setOpen(true); },
    close: function () { setOpen(false); },
    lang: function (m) {
      if (!Object.prototype.hasOwnProperty.call(TEXT, m.lang)) return;
      lang = m.lang;
      invitation.setAttribute('aria-label', t('invite'));
      acceptButton.textContent = t('accept');
      declineButton.textContent = t('decline');
      if (frame) frame.title = t('frame');
      label();
    }
  };
  window.addEventListener('message', function (event) {
    if (event.origin !== centerOrigin || !frame || event.source !== frame.contentWindow) return;
    var m = event.data;
    if (!m || typeof m.kefu !== 'string' || !Object.prototype.hasOwnProperty.call(handlers, m.kefu)) return;
    handlers[m.kefu](m);
  });

  // Page views: this page, then every route change of a single-page app.
  var lastUrl = null;
  function pageView() {
    if (location.href === lastUrl) return;
    lastUrl = location.href;
    post({ kefu: 'page', url: location.href.slice(0, 2000),
           title: document.title.replace(UNREAD_PREFIX, '').slice(0, 300),
           referrer: document.referrer.slice(0, 2000) });
    label(); // a new title gets the unread count too
  }
  function routeChanged() { setTimeout(pageView, 0); } // after the app has set its title
  ['pushState', 'replaceState'].forEach(function (name) {
    var original = history[name];
    history[name] = function () {
      var result = original.apply(this, arguments);
      routeChanged();
      return result;
    };
  });
  window.addEventListener('popstate', routeChanged);
  window.addEventListener('hashchange', routeChanged);

  function start() {
    document.body.appendChild(host);
    label();
    pageView();
    ensureFrame();
  }
  window.__kefuWidget = { open: function () { setOpen(true); }, close: function () { setOpen(false); } };
  if (document.readyState === 'complete') start();
  else window.addEventListener('load', start);
})();
