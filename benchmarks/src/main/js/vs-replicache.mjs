// The Replicache side of the side-by-side benchmark (VsReplicache.java runs it, alternating with
// TandemSide.java): the real `replicache` 15.3.0 npm client in Node 20, kvStore 'mem', against a
// Tandem server on this machine.
//
//   node vs-replicache.mjs <baseUrl> <workload> [key=value ...]
//
// Workloads (what TandemSide measures the same way, through Tandem's public API):
//   mutate     online=true|false warmup=N count=N: the time of each `await rep.mutate...` call.
//              Online: pushes go to the server and every poke pulls (as an app wires it).
//              Offline: every request fails as a network error would (fetch throws).
//   firstpull  warmup=N runs=N rows=N: a new client (new name, so a new client group) pulls
//              everything; the time from construction until the last row is readable.
//              Reports the peak RSS of the process (VmHWM) and the peak heap used, sampled.
//   drain      warmup=N count=N: N mutations made offline, then online: the time until none is
//              pending (push, pull, repeat: Replicache confirms only through a pull).
//   poke       warmup=N runs=N: A mutates, B (which pulls only when poked over SSE) sees the row.
//   reactive   warmup=N runs=N: 100 subscriptions of 20 rows each, one mutation changing 5 of
//              them: the time until those 5 re-emitted. Local only.
//
// Output: one JSON line on stdout with the workload's figures (times in microseconds).

const startedAt = performance.now(); // ms since the process started: its boot time
const {Replicache, TEST_LICENSE_KEY, version} = await import('replicache');
const {readFileSync} = await import('node:fs');
const {randomBytes} = await import('node:crypto');
// Replicache adds an abort listener per pending request to one signal; no leak, just many.
(await import('node:events')).setMaxListeners(1000);
if (version !== '15.3.0') throw new Error(`replicache 15.3.0 required, found ${version}`);

const [, , base, workload, ...rest] = process.argv;
const opts = Object.fromEntries(rest.map((a) => a.split('=')));
const num = (k, d) => (opts[k] === undefined ? d : Number(opts[k]));
const runID = randomBytes(4).toString('hex');
const api = `${base}/api/replicache`;

// Offline is the network failing, as Replicache learns it: fetch throws.
let offline = false;
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  if (offline) throw new TypeError('fetch failed (offline)');
  return realFetch(input, init);
};

const mutators = {
  async createMessage(tx, {id, from, content, order}) {
    await tx.set(`message/${id}`, {from, content, order});
  },
  async touch(tx, n) {
    for (let list = 0; list < 5; list++) await tx.set(`list/${list}/item`, n);
  },
  async fill(tx) {
    for (let list = 0; list < 100; list++) {
      for (let item = 0; item < 20; item++) await tx.set(`list/${list}/${item}`, item);
    }
  },
};

let clients = 0;
function client({sync = true, pushDelay} = {}) {
  const options = {
    name: `vs-${runID}-${clients++}`,
    kvStore: 'mem',
    licenseKey: TEST_LICENSE_KEY,
    auth: 'bench',
    schemaVersion: '1',
    pullInterval: null,
    mutators,
    logLevel: 'error',
    logSinks: [{log() {}}],
  };
  if (sync) {
    options.pushURL = `${api}/push`;
    options.pullURL = `${api}/pull`;
  }
  if (pushDelay !== undefined) options.pushDelay = pushDelay;
  return new Replicache(options);
}

// A minimal SSE reader over fetch (Node 20 has no EventSource); each event pulls.
function onPoke(rep, groupID, listener) {
  const ac = new AbortController();
  let opened;
  const open = new Promise((r) => (opened = r));
  (async () => {
    const res = await realFetch(`${api}/poke?clientGroupID=${encodeURIComponent(groupID)}`, {
      headers: {Accept: 'text/event-stream', Authorization: 'bench'},
      signal: ac.signal,
    });
    opened(res.status);
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of res.body) {
      buf += decoder.decode(chunk, {stream: true});
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (/^data:/m.test(block)) listener();
      }
    }
  })().catch(() => {});
  return {open, close: () => ac.abort()};
}

const micros = (t) => Math.round(t * 1000);
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const median = (values) => percentile(values, 50);

function vmHWMKiB() {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : -1;
}

function heapSampler() {
  let peak = process.memoryUsage().heapUsed;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
  return {stop: () => (clearInterval(timer), Math.max(peak, process.memoryUsage().heapUsed))};
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const message = (id, i) => ({id, from: 'bench', content: `message ${i} of the side-by-side benchmark`, order: i});

async function pendingCount(rep) {
  return (await rep.experimentalPendingMutations()).length;
}

// ---------------------------------------------------------------- workloads

async function mutate() {
  const online = opts.online !== 'false';
  const warmup = num('warmup', 2000);
  const count = num('count', 5000);
  offline = !online;
  const rep = client();
  let poke = null;
  if (online) {
    poke = onPoke(rep, await rep.clientGroupID, () => rep.pull({now: true}).catch(() => {}));
    await poke.open;
  }
  const times = [];
  for (let i = 0; i < warmup + count; i++) {
    const args = message(`${runID}-${i}`, i);
    const t = performance.now();
    await rep.mutate.createMessage(args);
    if (i >= warmup) times.push(performance.now() - t);
    // Each write is its own event, as in an app: the timers that push and pull get their turn
    // (a loop of awaits alone never yields to them). Not timed.
    await new Promise((r) => setImmediate(r));
  }
  const pending = await pendingCount(rep);
  poke?.close();
  return {p50: micros(percentile(times, 50)), p99: micros(percentile(times, 99)), count, pendingAtEnd: pending};
}

async function firstPull() {
  const warmup = num('warmup', 0);
  const runs = num('runs', 1);
  const rows = num('rows', 100000);
  const lastKey = `message/${opts.lastid}`;
  const times = [];
  let peakHeap = 0;
  for (let r = 0; r < warmup + runs; r++) {
    // A fresh process's run measures its start: no collection and no heap sampler before it (as
    // on the Tandem side, where the sampler has a library to load); its peak RSS is read after.
    const freshRun = r === 0 && opts.fresh === 'true';
    if (global.gc && !freshRun) global.gc();
    const heap = freshRun ? {stop: () => 0} : heapSampler();
    const t = freshRun ? startedAt : performance.now();
    const rep = client();
    while (!(await rep.query((tx) => tx.has(lastKey)))) await rep.pull({now: true});
    const elapsed = performance.now() - t;
    const h = heap.stop();
    const count = await rep.query(async (tx) => (await tx.scan({prefix: 'message/'}).keys().toArray()).length);
    if (count !== rows) throw new Error(`pulled ${count} rows, expected ${rows}`);
    await rep.close();
    if (r >= warmup) {
      times.push(elapsed);
      peakHeap = Math.max(peakHeap, h);
    }
  }
  const fresh = opts.fresh === 'true' ? {bootMs: Math.round(startedAt)} : {};
  return {median: micros(median(times)), runs, ...fresh, peakHeapMiB: +(peakHeap / 2 ** 20).toFixed(1), peakRssMiB: +(vmHWMKiB() / 1024).toFixed(1)};
}

async function drainOnce(count, tag) {
  offline = true;
  const rep = client();
  await rep.clientGroupID;
  for (let i = 0; i < count; i++) await rep.mutate.createMessage(message(`${runID}-${tag}-${i}`, i));
  if ((await pendingCount(rep)) !== count) throw new Error('mutations not pending');
  const t = performance.now();
  offline = false;
  let rounds = 0;
  while ((await pendingCount(rep)) > 0) {
    rounds++;
    await rep.push({now: true});
    await rep.pull({now: true});
  }
  const elapsed = performance.now() - t;
  await rep.close();
  return {elapsed, rounds};
}

async function drain() {
  const warmup = num('warmup', 1000);
  const count = num('count', 5000);
  if (warmup > 0) await drainOnce(warmup, 'w');
  const {elapsed, rounds} = await drainOnce(count, 'm');
  return {median: micros(elapsed), count, rounds};
}

async function poke() {
  const warmup = num('warmup', 20);
  const runs = num('runs', 100);
  const a = client();
  const b = client();
  const pokes = onPoke(b, await b.clientGroupID, () => b.pull({now: true}).catch(() => {}));
  await pokes.open;
  await a.pull({now: true});
  await b.pull({now: true});
  const times = [];
  for (let i = 0; i < warmup + runs; i++) {
    const id = `${runID}-p${i}`;
    let seen;
    const arrived = new Promise((r) => (seen = r));
    const unsubscribe = b.subscribe((tx) => tx.has(`message/${id}`), {onData: (has) => has && seen(performance.now())});
    await sleep(2);
    const t = performance.now();
    await a.mutate.createMessage(message(id, i));
    const at = await arrived;
    unsubscribe();
    if (i >= warmup) times.push(at - t);
    await sleep(5);
  }
  pokes.close();
  return {p50: micros(percentile(times, 50)), p95: micros(percentile(times, 95)), runs};
}

async function reactive() {
  const warmup = num('warmup', 200);
  const runs = num('runs', 1000);
  const rep = client({sync: false});
  await rep.mutate.fill();
  let remaining = 0;
  let done = () => {};
  let first = 100;
  let allFirst;
  const ready = new Promise((r) => (allFirst = r));
  const unsubscribes = [];
  for (let list = 0; list < 100; list++) {
    unsubscribes.push(
      rep.subscribe((tx) => tx.scan({prefix: `list/${list}/`}).entries().toArray(), {
        onData: () => {
          if (first > 0 && --first === 0) allFirst();
          if (remaining > 0 && --remaining === 0) done();
        },
      }),
    );
  }
  await ready;
  const times = [];
  for (let i = 0; i < warmup + runs; i++) {
    const all = new Promise((r) => (done = r));
    remaining = 5;
    const t = performance.now();
    await rep.mutate.touch(i + 1);
    await all;
    if (i >= warmup) times.push(performance.now() - t);
  }
  unsubscribes.forEach((u) => u());
  return {p50: micros(percentile(times, 50)), p95: micros(percentile(times, 95)), runs};
}

const workloads = {mutate, firstpull: firstPull, drain, poke, reactive};
const timer = setTimeout(() => {
  process.stdout.write(JSON.stringify({workload, error: 'timed out'}) + '\n');
  process.exit(1);
}, num('timeoutms', 120000));
try {
  if (!workloads[workload]) throw new Error(`unknown workload ${workload}`);
  const result = await workloads[workload]();
  process.stdout.write(JSON.stringify({side: 'replicache', workload, ...result}) + '\n', () => process.exit(0));
} catch (e) {
  process.stdout.write(JSON.stringify({side: 'replicache', workload, error: String(e?.stack ?? e)}) + '\n', () => process.exit(1));
} finally {
  clearTimeout(timer);
}
