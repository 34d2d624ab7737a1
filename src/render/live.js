// The live page's one script (allowed by its hash in the Content-Security-Policy). It
// inserts the fragments the server rendered, every byte from the network already
// escaped there, and sets only text itself: no markup is ever built from a value.
'use strict';
(function () {
  var words = document.body.dataset;
  var history = parseInt(words.history, 10) || 200;
  var list = document.getElementById('list');
  var state = document.getElementById('state');
  var notice = document.getElementById('notice');
  var counts = document.getElementById('counts');
  var empty = document.getElementById('empty');
  var filter = document.getElementById('filter');
  var pause = document.getElementById('pause');
  var cards = new Map();
  var methods = new Map();
  var statuses = new Map();
  var paused = false;
  var waiting = [];
  var missed = 0;
  var latest = null;

  function fill(template, value) { return template.replace('{0}', String(value)); }

  function setState(text, cls) {
    state.textContent = text;
    state.className = 'state ' + cls;
  }

  function bump(map, key) { map.set(key, (map.get(key) || 0) + 1); }

  function showCounts() {
    counts.replaceChildren();
    [[words.wMethods, methods], [words.wStatuses, statuses]].forEach(function (pair) {
      if (pair[1].size === 0) { return; }
      var group = document.createElement('span');
      group.className = 'group';
      var name = document.createElement('b');
      name.textContent = pair[0];
      group.appendChild(name);
      Array.from(pair[1].keys()).sort().forEach(function (key) {
        var n = document.createElement('span');
        n.className = 'n';
        n.textContent = key + ' ' + pair[1].get(key);
        group.appendChild(n);
      });
      counts.appendChild(group);
    });
  }

  function showNotice() {
    var parts = [];
    if (missed > 0) { parts.push(fill(words.wMissed, missed)); }
    notice.textContent = parts.join(' · ');
    notice.hidden = parts.length === 0;
  }

  function matches(card) {
    var terms = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    var text = [card.dataset.method, card.dataset.path, card.dataset.status || '']
      .join(' ').toLowerCase();
    return terms.every(function (t) { return text.indexOf(t) >= 0; });
  }

  function setStatus(card, status) {
    if (!status || card.dataset.status) { return; }
    card.dataset.status = status;
    var chip = card.querySelector('.chip');
    chip.textContent = status;
    chip.className = 'chip s' + status.charAt(0);
    bump(statuses, status);
    card.hidden = !matches(card);
  }

  function newCard(n, article) {
    var card = document.createElement('section');
    card.className = 'exchange';
    card.dataset.n = n;
    card.dataset.method = article.dataset.method || '';
    card.dataset.path = article.dataset.path || '';
    var chip = document.createElement('span');
    chip.className = 'chip none';
    chip.textContent = words.wNoanswer;
    card.appendChild(chip);
    cards.set(n, card);
    // A card opened by an answer (its request was dropped) has no method to count.
    if (article.dataset.role === 'request' || article.dataset.role === 'error') {
      bump(methods, article.dataset.method || '?');
    }
    list.prepend(card);
    if (latest) { latest.classList.remove('latest'); }
    latest = card;
    card.classList.add('latest');
    while (list.children.length > history) {
      var old = list.lastElementChild;
      cards.delete(old.dataset.n);
      old.remove();
    }
    empty.hidden = true;
    return card;
  }

  function show(html) {
    var template = document.createElement('template');
    // Rendered and escaped by the server (src/render/live.rs).
    template.innerHTML = html;
    var article = template.content.firstElementChild;
    if (!article) { return; }
    var n = article.dataset.n;
    var card = cards.get(n);
    if (article.classList.contains('answered')) {
      if (card) { setStatus(card, article.dataset.status); }
    } else if (article.classList.contains('note')) {
      // A line about an exchange (relay: rewritten lines, a tunnel's summary) goes on
      // its card, if the card is still on the page.
      if (card) { card.appendChild(article); }
    } else {
      if (!card) { card = newCard(n, article); }
      card.appendChild(article);
      if (article.dataset.role === 'answer') { setStatus(card, article.dataset.status); }
      card.hidden = !matches(card);
    }
    showCounts();
  }

  function receive(html) {
    if (!paused) { show(html); return; }
    waiting.push(html);
    if (waiting.length > history) { waiting.shift(); missed += 1; showNotice(); }
    setState(fill(words.wPaused, waiting.length), 'off');
  }

  pause.addEventListener('click', function () {
    paused = !paused;
    pause.textContent = paused ? words.wResume : words.wPause;
    if (paused) {
      setState(fill(words.wPaused, waiting.length), 'off');
      return;
    }
    waiting.splice(0).forEach(show);
    setState(words.wConnected, 'on');
  });

  document.getElementById('clear').addEventListener('click', function () {
    list.replaceChildren();
    cards.clear();
    methods.clear();
    statuses.clear();
    waiting = [];
    missed = 0;
    latest = null;
    empty.hidden = false;
    showCounts();
    showNotice();
  });

  filter.addEventListener('input', function () {
    cards.forEach(function (card) { card.hidden = !matches(card); });
  });

  var root = document.documentElement;
  try {
    var saved = localStorage.getItem('httpdump-theme');
    if (saved === 'dark' || saved === 'light') { root.dataset.theme = saved; }
  } catch (e) { /* storage may be off; the system's choice stays */ }
  document.getElementById('theme').addEventListener('click', function () {
    var dark = root.dataset.theme
      ? root.dataset.theme === 'dark'
      : window.matchMedia('(prefers-color-scheme: dark)').matches;
    root.dataset.theme = dark ? 'light' : 'dark';
    try { localStorage.setItem('httpdump-theme', root.dataset.theme); } catch (e) { /* as above */ }
  });

  var token = new URLSearchParams(location.search).get('token');
  var events = new EventSource('events' + (token ? '?token=' + encodeURIComponent(token) : ''));
  events.onopen = function () {
    if (!paused) { setState(words.wConnected, 'on'); }
  };
  events.onerror = function () { setState(words.wReconnecting, 'off'); };
  events.onmessage = function (e) { receive(e.data); };
  events.addEventListener('missed', function (e) {
    missed += parseInt(e.data, 10) || 0;
    showNotice();
  });
})();
