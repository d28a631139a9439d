// Jiafang's service worker: keeps an app's shell (its index.html and Trunk's hashed .js, .wasm and
// .css files) so that a counselor's pages open without network after one online visit.
// It never caches /api answers: those are personal data and the app keeps what it needs in
// IndexedDB, encrypted where sensitive. Served with Cache-Control: no-cache, so a new version
// is picked up on the next visit.
//
// The same file serves both staff apps, each registering the copy in its own folder: /sw.js
// (scope /, the desk app) and /field/sw.js (scope /field/, the field app, issue 18). The browser
// gives a page to the worker of the longest scope that holds it, so each keeps its own shell.

const SCOPE = new URL(self.registration.scope).pathname; // "/" or "/field/"
const SHELL = SCOPE + "index.html";
// One cache per app. The desk's keeps its old name, so an update does not download it again.
const CACHE = SCOPE === "/" ? "jiafang-shell-v1" : "jiafang-shell-v1:" + SCOPE;
// The scope a cache of ours belongs to, by its name.
const scopeOf = (name) => name.includes(":") ? name.slice(name.indexOf(":") + 1) : "/";
// Programs of their own, never this shell: the parent's page (/f and its files in /f/) and, for
// the desk's worker, the field app (a cached copy would otherwise stand in for index.html).
const OTHERS = /^\/(?:f|field)(?:\/|$)/;
const ASSET = /\.(?:js|wasm|css)$/;

// The files index.html names, such as /frontend-3f2a…_bg.wasm or /field/field-3f2a…_bg.wasm.
function assetsOf(html) {
  const found = new Set();
  for (const m of html.matchAll(/(?:href|src)="(\/[^"]+)"/g)) {
    if (ASSET.test(m[1]) && m[1].startsWith(SCOPE) && !m[1].startsWith("/api/")) found.add(m[1]);
  }
  return [...found];
}

function ours(pathname) {
  if (!pathname.startsWith(SCOPE) || pathname.startsWith("/api/")) return false;
  return SCOPE !== "/" || !OTHERS.test(pathname);
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const response = await fetch(SHELL, { cache: "no-cache" });
    if (response.ok) {
      const html = await response.clone().text();
      await cache.put(SHELL, response);
      await cache.addAll(assetsOf(html));
    }
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    // Only this app's older caches: the other app's worker keeps its own.
    for (const name of await caches.keys()) {
      if (name !== CACHE && name.startsWith("jiafang-shell-") && scopeOf(name) === SCOPE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || !ours(url.pathname)) {
    return; // the network, untouched
  }
  if (request.mode === "navigate") {
    // Network first, so that a new version shows at once; the cached shell when offline.
    event.respondWith((async () => {
      try {
        const response = await fetch(request);
        if (response.ok) {
          const cache = await caches.open(CACHE);
          await cache.put(SHELL, response.clone());
        }
        return response;
      } catch (e) {
        const cached = await caches.match(SHELL, { cacheName: CACHE });
        if (cached) return cached;
        throw e;
      }
    })());
    return;
  }
  if (ASSET.test(url.pathname)) {
    // Hashed names never change content: the cache first, then the network (and keep it).
    event.respondWith((async () => {
      const cached = await caches.match(request);
      if (cached) return cached;
      const response = await fetch(request);
      if (response.ok) {
        const cache = await caches.open(CACHE);
        await cache.put(request, response.clone());
      }
      return response;
    })());
  }
});
