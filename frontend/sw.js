// Jiafang's service worker: keeps the app shell (index.html and Trunk's hashed .js, .wasm and
// .css files) so that a counselor's pages open without network after one online visit.
// It never caches /api answers: those are personal data and the app keeps what it needs in
// IndexedDB, encrypted where sensitive. Served with Cache-Control: no-cache, so a new version
// is picked up on the next visit.

const CACHE = "jiafang-shell-v1";
// The parent's page (/f and its files in /f/) is a program of its own, not this shell: it never
// goes through here (a cached copy would otherwise stand in for the staff app's index.html).
const FAMILY = /^\/f(?:\/|$)/;
const ASSET = /\.(?:js|wasm|css)$/;

// The files index.html names, such as /frontend-3f2a…_bg.wasm.
function assetsOf(html) {
  const found = new Set();
  for (const m of html.matchAll(/(?:href|src)="(\/[^"]+)"/g)) {
    if (ASSET.test(m[1]) && !m[1].startsWith("/api/")) found.add(m[1]);
  }
  return [...found];
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const response = await fetch("/index.html", { cache: "no-cache" });
    if (response.ok) {
      const html = await response.clone().text();
      await cache.put("/index.html", response);
      await cache.addAll(assetsOf(html));
    }
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")
      || FAMILY.test(url.pathname)) {
    return; // the network, untouched
  }
  if (request.mode === "navigate") {
    // Network first, so that a new version shows at once; the cached shell when offline.
    event.respondWith((async () => {
      try {
        const response = await fetch(request);
        if (response.ok) {
          const cache = await caches.open(CACHE);
          await cache.put("/index.html", response.clone());
        }
        return response;
      } catch (e) {
        const cached = await caches.match("/index.html");
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
