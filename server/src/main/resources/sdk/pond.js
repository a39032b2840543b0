/*! pond.js — Pond's web SDK. Plain JavaScript, no build step. Speaks the Segment HTTP Tracking API
 * (POST /v1/batch, write key in the body) so that Pond, or any Segment-compatible endpoint, receives it.
 *
 *   <script src="https://pond.example.com/sdk/pond.js" data-write-key="WRITE_KEY"></script>
 *   <script>pond.track('Order Completed', {revenueFen: 9900});</script>
 *
 * Or without data attributes: pond.init({writeKey, host, autocapture, batchSize, flushIntervalMs}).
 * Docs: docs/ingest.md ("Web SDK").
 */
(function (window, document) {
  'use strict';
  if (window.pond && window.pond.version) return;

  var VERSION = '1.0.0';
  var ANON_COOKIE = 'pond_aid';
  var USER_KEY = 'pond_uid';
  var TOUCH_KEY = 'pond_touch';
  var UTM = { utm_source: 'source', utm_medium: 'medium', utm_campaign: 'name', utm_term: 'term', utm_content: 'content' };
  var BEACON_MAX_BYTES = 60000; // browsers refuse beacons over 64 KB in flight

  var config = null;
  var queue = [];
  var timer = null;
  var pending = []; // calls made before init
  var lastPath = null;

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, function (c) {
      var r = (Math.random() * 16) | 0;
      return (c === 'x' ? r : (r & 3) | 8).toString(16);
    });
  }

  function readCookie(name) {
    var m = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
    return m ? decodeURIComponent(m[1]) : null;
  }

  function writeCookie(name, value, days) {
    var c = name + '=' + encodeURIComponent(value) + '; path=/; max-age=' + days * 86400 + '; SameSite=Lax';
    if (config && config.cookieDomain) c += '; domain=' + config.cookieDomain;
    if (location.protocol === 'https:') c += '; Secure';
    document.cookie = c;
  }

  function store(kind) {
    try { return window[kind]; } catch (e) { return null; }
  }

  function anonymousId() {
    var id = readCookie(ANON_COOKIE);
    if (!id) {
      id = uuid();
    }
    writeCookie(ANON_COOKIE, id, 730); // (re)written on every read: a rolling two years
    return id;
  }

  function userId() {
    var s = store('localStorage');
    return s ? s.getItem(USER_KEY) : null;
  }

  /** utm_* and touchpoint parameters of the landing URL, kept for the rest of the session. */
  function touchpoint() {
    var params = new URLSearchParams(location.search);
    var campaign = {};
    var touch = {};
    var found = false;
    Object.keys(UTM).forEach(function (p) {
      if (params.get(p)) { campaign[UTM[p]] = params.get(p); found = true; }
    });
    config.touchpointParams.forEach(function (p) {
      if (params.get(p)) { touch[p] = params.get(p); found = true; }
    });
    var s = store('sessionStorage');
    if (found) {
      var value = { campaign: campaign, touchpoint: touch };
      if (s) s.setItem(TOUCH_KEY, JSON.stringify(value));
      return value;
    }
    try { return (s && JSON.parse(s.getItem(TOUCH_KEY))) || {}; } catch (e) { return {}; }
  }

  function context() {
    var t = touchpoint();
    var c = {
      library: { name: 'pond.js', version: VERSION },
      page: { path: location.pathname, referrer: document.referrer, search: location.search, title: document.title, url: location.href },
      userAgent: navigator.userAgent,
      locale: navigator.language,
      screen: { width: screen.width, height: screen.height }
    };
    try { c.timezone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { /* old browsers */ }
    if (t.campaign && Object.keys(t.campaign).length) c.campaign = t.campaign;
    if (t.touchpoint && Object.keys(t.touchpoint).length) c.touchpoint = t.touchpoint;
    return c;
  }

  function enqueue(message) {
    if (!config) { pending.push(message); return; }
    message.messageId = uuid();
    message.timestamp = new Date().toISOString();
    message.anonymousId = anonymousId();
    var uid = userId();
    if (uid && !message.userId) message.userId = uid;
    message.context = Object.assign(context(), message.context || {});
    queue.push(message);
    if (queue.length >= config.batchSize) flush();
    else if (!timer) timer = setTimeout(flush, config.flushIntervalMs);
  }

  function body(batch) {
    return JSON.stringify({ batch: batch, writeKey: config.writeKey, sentAt: new Date().toISOString() });
  }

  /** Sends the queue with fetch (keepalive); a failed send is put back to be retried. */
  function flush() {
    if (timer) { clearTimeout(timer); timer = null; }
    if (!config || !queue.length) return;
    var batch = queue.splice(0, queue.length);
    // text/plain keeps the request "simple": no CORS preflight, and sendBeacon accepts it too
    fetch(config.host + '/v1/batch', {
      method: 'POST', body: body(batch), keepalive: true, credentials: 'omit',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' }
    }).then(function (r) {
      if (r.status === 429 || r.status >= 500) requeue(batch);
    }, function () { requeue(batch); });
  }

  function requeue(batch) {
    queue = batch.concat(queue).slice(-1000);
    if (!timer) timer = setTimeout(flush, config.flushIntervalMs * 2);
  }

  /** On leaving the page: everything still queued goes out with sendBeacon, which outlives the page. */
  function flushOnUnload() {
    if (!config || !queue.length) return;
    if (timer) { clearTimeout(timer); timer = null; }
    var batch = queue.splice(0, queue.length);
    var chunk = [];
    var send = function () {
      if (!chunk.length) return;
      var data = new Blob([body(chunk)], { type: 'text/plain;charset=UTF-8' });
      if (!(navigator.sendBeacon && navigator.sendBeacon(config.host + '/v1/batch', data))) {
        fetch(config.host + '/v1/batch', { method: 'POST', body: data, keepalive: true, credentials: 'omit' });
      }
      chunk = [];
    };
    batch.forEach(function (m) {
      if (chunk.length && body(chunk.concat([m])).length > BEACON_MAX_BYTES) send();
      chunk.push(m);
    });
    send();
  }

  // --- autocapture (无埋点) ------------------------------------------------------------------------

  var CLICKABLE = 'a,button,input[type=submit],input[type=button],input[type=reset],[role=button],[data-pond-event]';

  /** A CSS-like path from <html> to the element: tag, #id, .classes and :nth-of-type where needed. */
  function elementPath(el) {
    var parts = [];
    for (var n = el; n && n.nodeType === 1 && parts.length < 12; n = n.parentElement) {
      var part = n.tagName.toLowerCase();
      if (n.id) part += '#' + n.id;
      else {
        var cls = (typeof n.className === 'string' ? n.className : '').trim().split(/\s+/).filter(Boolean).slice(0, 3);
        if (cls.length) part += '.' + cls.join('.');
        var parent = n.parentElement;
        if (parent) {
          var same = Array.prototype.filter.call(parent.children, function (c) { return c.tagName === n.tagName; });
          if (same.length > 1) part += ':nth-of-type(' + (same.indexOf(n) + 1) + ')';
        }
      }
      parts.unshift(part);
    }
    return parts.join(' > ');
  }

  function text(el) {
    var t = el.tagName === 'INPUT' ? el.value : el.innerText || el.textContent || '';
    return t.replace(/\s+/g, ' ').trim().slice(0, 255);
  }

  function ignored(el) {
    return !!(el.closest && el.closest('[data-pond-ignore]'));
  }

  function onClick(e) {
    var el = e.target && e.target.closest ? e.target.closest(CLICKABLE) || e.target : e.target;
    if (!el || el.nodeType !== 1 || ignored(el) || el.type === 'password') return;
    var props = { elementPath: elementPath(el), elementTag: el.tagName.toLowerCase(), elementText: text(el) };
    if (el.id) props.elementId = el.id;
    if (el.getAttribute('href')) props.href = el.href;
    var name = el.getAttribute('data-pond-event');
    enqueue({ type: 'track', event: name || 'Element Clicked', properties: props });
  }

  function onSubmit(e) {
    var form = e.target;
    if (!form || form.tagName !== 'FORM' || ignored(form)) return;
    var props = { elementPath: elementPath(form), formAction: form.getAttribute('action') || location.pathname };
    if (form.id) props.formId = form.id;
    if (form.getAttribute('name')) props.formName = form.getAttribute('name');
    // field values are not collected: they are personal data more often than not
    enqueue({ type: 'track', event: 'Form Submitted', properties: props });
  }

  function onRouteChange() {
    if (location.pathname + location.search !== lastPath) api.page();
  }

  function watchHistory() {
    ['pushState', 'replaceState'].forEach(function (fn) {
      var original = history[fn];
      history[fn] = function () {
        var r = original.apply(this, arguments);
        setTimeout(onRouteChange, 0);
        return r;
      };
    });
    window.addEventListener('popstate', onRouteChange);
  }

  // --- the API ------------------------------------------------------------------------------------

  var api = {
    version: VERSION,

    /**
     * options: writeKey (required), host (default: where pond.js was loaded from), autocapture
     * (true | false | {pageview, click, submit}, default true), batchSize (20), flushIntervalMs
     * (3000), touchpointParams (['state', 'channel', 'code', 'staff']), cookieDomain.
     */
    init: function (options) {
      if (config) return api;
      if (!options || !options.writeKey) throw new Error('pond.init needs a writeKey');
      var auto = options.autocapture === undefined ? true : options.autocapture;
      if (typeof auto === 'boolean') auto = { pageview: auto, click: auto, submit: auto };
      config = {
        writeKey: options.writeKey,
        host: (options.host || scriptOrigin || location.origin).replace(/\/$/, ''),
        autocapture: auto,
        batchSize: options.batchSize || 20,
        flushIntervalMs: options.flushIntervalMs || 3000,
        touchpointParams: options.touchpointParams || ['state', 'channel', 'code', 'staff'],
        cookieDomain: options.cookieDomain
      };
      anonymousId();
      window.addEventListener('pagehide', flushOnUnload);
      document.addEventListener('visibilitychange', function () {
        if (document.visibilityState === 'hidden') flushOnUnload();
      });
      if (auto.click) document.addEventListener('click', onClick, true);
      if (auto.submit) document.addEventListener('submit', onSubmit, true);
      if (auto.pageview) { watchHistory(); api.page(); }
      pending.splice(0).forEach(enqueue);
      return api;
    },

    track: function (event, properties) {
      enqueue({ type: 'track', event: String(event), properties: properties || {} });
    },

    page: function (name, properties) {
      lastPath = location.pathname + location.search;
      var props = Object.assign({ path: location.pathname, url: location.href, title: document.title, referrer: document.referrer }, properties || {});
      var m = { type: 'page', properties: props };
      if (name) m.name = String(name);
      enqueue(m);
    },

    /** Names the visitor; the userId is kept (localStorage) and sent with every later event. */
    identify: function (id, traits) {
      if (id) { var s = store('localStorage'); if (s) s.setItem(USER_KEY, String(id)); }
      enqueue({ type: 'identify', userId: id ? String(id) : undefined, traits: traits || {} });
    },

    /** Links the anonymous visitor (or previousId) to userId. */
    alias: function (id, previousId) {
      enqueue({ type: 'alias', userId: String(id), previousId: previousId || anonymousId() });
    },

    /** Forgets the visitor (on sign-out): a new anonymous id, no userId. */
    reset: function () {
      var s = store('localStorage');
      if (s) s.removeItem(USER_KEY);
      writeCookie(ANON_COOKIE, uuid(), 730);
    },

    anonymousId: function () { return anonymousId(); },
    flush: flush
  };

  var script = document.currentScript;
  var scriptOrigin = null;
  try { scriptOrigin = script && script.src ? new URL(script.src).origin : null; } catch (e) { /* inline */ }
  window.pond = api;
  if (script && script.getAttribute('data-write-key')) {
    var auto = script.getAttribute('data-autocapture');
    api.init({
      writeKey: script.getAttribute('data-write-key'),
      host: script.getAttribute('data-host') || undefined,
      autocapture: auto === null ? true : auto !== 'false'
    });
  }
})(window, document);
