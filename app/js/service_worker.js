// Registers rihub's service worker (dist/sw.js) and reports when a new version is installed
// and waiting. It is activated only when the app asks: once its outbox is empty, or when the
// server no longer speaks this version's sync protocol (`updateNow`).

let waiting = null;

export function registerServiceWorker(onUpdate) {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/sw.js").then((registration) => {
    const watch = (worker) => {
      if (!worker) return;
      const check = () => {
        // With no controller this is the first install, not an update.
        if (worker.state === "installed" && navigator.serviceWorker.controller) {
          waiting = worker;
          onUpdate();
        }
      };
      worker.addEventListener("statechange", check);
      check();
    };
    watch(registration.waiting);
    registration.addEventListener("updatefound", () => watch(registration.installing));
    // People keep the app open for days at a conference: look for a new version now and then.
    setInterval(() => registration.update().catch(() => {}), 30 * 60 * 1000);
  }).catch((e) => console.warn("service worker not registered", e));
  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (waiting && !reloading) {
      reloading = true;
      location.reload();
    }
  });
}

export function activateUpdate() {
  if (waiting) waiting.postMessage("activate");
}

// The server speaks a newer sync protocol, so this version can never send its outbox: the new
// version takes over now (the outbox stays in IndexedDB, which it reads) and the page reloads.
// With no new version to be found, a plain reload.
export function updateNow() {
  const reload = () => location.reload();
  if (!("serviceWorker" in navigator)) return reload();
  navigator.serviceWorker.getRegistration()
    .then((registration) => registration && registration.update().then(() => registration))
    .then((registration) => {
      const worker = registration && (registration.waiting || registration.installing);
      if (!worker) return reload();
      navigator.serviceWorker.addEventListener("controllerchange", reload, { once: true });
      const activate = () => {
        if (worker.state === "installed") worker.postMessage("activate");
      };
      worker.addEventListener("statechange", activate);
      activate();
    })
    .catch(reload);
}
