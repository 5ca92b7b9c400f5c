// afterPaint resolves once the page has laid out and painted what was put
// in it (a frame later), or after fallback milliseconds where a hidden
// tab paints nothing.
export function afterPaint(fallback = 300) {
  return new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
    setTimeout(resolve, fallback);
  });
}

// nextTask resolves in a task of its own, so that work split by it lets
// the page answer input and paint in between.
export function nextTask() {
  if (globalThis.scheduler?.yield) return globalThis.scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}
