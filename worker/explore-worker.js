// The explore worker (a module worker; scripts/build.sh copies it beside mmrace_worker.js).
// The page posts one request (mmrace_core::search::SearchRequest, JSON) and may post 'stop';
// the worker answers with SearchReply JSON strings: progress about every 100 ms, then the
// report ('Done', partial if stopped) or 'Failed' with the reason. The page terminates it once
// it has the report. The search runs in budgets of transitions; between two progress messages
// the worker yields once, so a 'stop' is read within about 100 ms.
import init, { Search } from './mmrace_worker.js';

const ready = init({ module_or_path: new URL('./mmrace_worker_bg.wasm', import.meta.url) });
const PROGRESS_MS = 100;
const BUDGET = 20000;
let stop = false;
let started = false;

const failed = (why) => JSON.stringify({ Failed: String(why) });
// A macrotask yield that is not clamped like a nested setTimeout(0).
const yieldNow = () => new Promise((resolve) => {
  const c = new MessageChannel();
  c.port1.onmessage = () => resolve();
  c.port2.postMessage(0);
});

self.onmessage = async (event) => {
  if (event.data === 'stop') {
    stop = true;
    return;
  }
  if (started) {
    self.postMessage(failed('one search per worker: start another worker'));
    return;
  }
  started = true;
  try {
    await ready;
  } catch (e) {
    self.postMessage(failed(`the explorer's wasm module did not load: ${e}`));
    return;
  }
  let search;
  try {
    search = new Search(String(event.data));
  } catch (e) {
    self.postMessage(failed(e));
    return;
  }
  let last = performance.now();
  while (!search.run(BUDGET)) {
    const now = performance.now();
    if (now - last >= PROGRESS_MS) {
      last = now;
      self.postMessage(search.progress());
      await yieldNow();
      if (stop) break;
    }
  }
  self.postMessage(search.report());
  search.free();
};
