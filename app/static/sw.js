// rihub's service worker. `cargo xtask build` fills in the version and the files: the app
// shell, precached so the app opens with no network. Records are not cached here; the app
// keeps them in IndexedDB. A new version waits until the app asks for it (see
// app/js/service_worker.js), which it does only when no change is waiting to sync.

const VERSION = "__VERSION__";
const FILES = [/* __FILES__ */];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(VERSION).then((cache) => cache.addAll(FILES)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== VERSION).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "activate") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  // Every page of the app is the same shell; the router inside it picks the page.
  const wanted = request.mode === "navigate" ? "/index.html" : request;
  event.respondWith(
    caches.open(VERSION).then((cache) => cache.match(wanted)).then((hit) => hit || fetch(request)),
  );
});
