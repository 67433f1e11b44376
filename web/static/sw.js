// The service worker of healthcell (issue 16). It keeps only the shell of
// the offline work page: the page itself (which holds no data and no user),
// its texts, scripts, styles and icons. Pages behind the login and API
// answers are never cached: they pass through untouched. The work set and
// the queue live in IndexedDB, written by offline.js.
'use strict';

const SHELL_CACHE = 'healthcell-shell-v1';
const SHELL = [
  '/offline',
  '/offline/messages.json',
  '/manifest.webmanifest',
  '/static/vendor/pico.min.css',
  '/static/app.css',
  '/static/offline.css',
  '/static/offline.js',
  '/static/offline_forms.js',
  '/static/offline_store.js',
  '/static/pwa.js',
  '/static/favicon.svg',
  '/static/icons/icon-192.png',
  '/static/icons/icon-512.png',
];
const SHELL_PATHS = new Set(SHELL);

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== SHELL_CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

// The shell: from the network when there is one (a new build shows at
// once), else from the cache. Everything else is not touched.
self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || !SHELL_PATHS.has(url.pathname) || url.search !== '') return;
  event.respondWith(fetch(req).then((res) => {
    if (res.ok) {
      const copy = res.clone();
      caches.open(SHELL_CACHE).then((c) => c.put(url.pathname, copy));
    }
    return res;
  }).catch(() => caches.match(url.pathname).then((hit) => hit || Response.error())));
});
