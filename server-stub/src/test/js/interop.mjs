// Tandem interop harness: drives the REAL `replicache` npm client (exactly 15.3.0)
// in Node 20 against a Tandem server, to prove wire compatibility.
//
//   node interop.mjs <baseUrl> <scenario> [options]
//
//   baseUrl   http(s)://localhost:PORT or http(s)://127.x.x.x:PORT or http://[::1]:PORT
//             (anything else is refused: this harness only talks to a local server)
//   scenario  converge       two client groups (A: 3 messages, B: 2) push/pull until both
//                            hold all 5 with identical values and nothing is pending
//             update-needed  a client with schemaVersion '999' pulls (then pushes) and
//                            must get onUpdateNeeded({type:'VersionNotSupported',
//                            versionType:'schema'}) for both
//             permissions    (server serving TeamApp, with permissions) A (owner) invites B
//                            to a project, then removes B: B gets the project's rows, then
//                            loses them; B's write into it is refused and rolled back
//             poke           (extra) client B never pulls on its own; it only pulls when
//                            an SSE event arrives on GET {base}/api/replicache/poke
//                            ?clientGroupID=<B's group>, sent with B's Authorization (the
//                            server refuses a stream without them). A creates a message
//                            and pushes; B must see it.
//   options   --timeout-ms N        overall budget for the scenario (default 20000)
//             --schema-version S    schemaVersion of the client(s) (default '1' for
//                                   converge/poke, '999' for update-needed)
//             --auth-a S            Authorization value of client A (default 'alice')
//             --auth-b S            Authorization value of client B (default 'bob')
//             --verbose             replicache logLevel 'debug' (to stderr)
//             --value-with-id       the server's message values carry their id too (a server
//                                   serving a schema, whose rows hold their key columns)
//
// Output: exactly ONE JSON line on stdout, {"scenario":..,"ok":true|false,...}. On failure
// it has "error" (what differed) plus diagnostics (HTTP statuses seen, last pull bodies,
// client views). Replicache's own logs and harness progress go to stderr only.
//
// Exit codes: 0 = scenario passed; 1 = scenario failed (assertion, timeout, exception);
//             2 = usage error (bad args, non-local URL, wrong replicache version installed);
//             3 = server not healthy (GET {base}/health never answered 200 in time).
//
// ---------------------------------------------------------------------------------------
// Facts about replicache 15.3.0 this relies on (read from node_modules/replicache/out/*.d.ts
// and the bundled JS; surprising ones marked with !):
// - `kvStore: 'mem'` is the right option name and value (type 'mem' | 'idb' | StoreProvider).
//   With 'mem' no IndexedDB is touched, so no indexedDB polyfill is needed.
// - ! No polyfills are needed in Node 20. Every browser global is guarded with
//   `typeof X !== 'undefined'`: `document` (visibility: treated as always visible),
//   `navigator` (only a Firefox user-agent sniff), `location` (only location.reload(),
//   the DEFAULT onUpdateNeeded/onClientStateNotFound, silently a no-op in Node),
//   `requestIdleCallback` (falls back to setTimeout). `BroadcastChannel`, `fetch`,
//   `Request`, `crypto` are Node 20 globals. `localStorage` is not used at all.
// - ! `licenseKey` is deprecated and IGNORED in 15.3.0 (no license server call; the bundle
//   contains no URL at all). `TEST_LICENSE_KEY` is still exported (deprecated), we pass it
//   anyway for symmetry with older docs.
// - `rep.push({now: true})` and `rep.pull({now: true})` ARE public in 15.3.0. Each returns a
//   promise for the NEXT push/pull to complete (now=true skips pushDelay/minDelay/backoff).
//   A push with no pending mutations sends no request. A non-200 answer does not reject
//   the promise (it just counts as a failed attempt and backs off); a thrown error (e.g.
//   network) rejects it. pull() resolves after the response has been applied locally.
// - A push never confirms anything: a mutation stays in `experimentalPendingMutations()`
//   until a later pull returns lastMutationIDChanges[clientID] >= its id.
// - onUpdateNeeded reason type: {type:'NewClientGroup'} |
//   {type:'VersionNotSupported', versionType?: 'push'|'pull'|'schema'}. The client builds
//   it as {type: body.error} and adds versionType only if the body's versionType is truthy.
//   A body with an unknown versionType (not push/pull/schema) is NOT recognised as an
//   error at all.
// - ! On VersionNotSupported 15.3.0 does NOT stop syncing: it only calls onUpdateNeeded (whose
//   browser default reloads the page). Pulls/pushes go on being attempted; pending
//   mutations are kept. (ClientStateNotFound, by contrast, disables the client group.)
// - The default pusher/puller POST with headers `Content-type: application/json`,
//   `Authorization: <auth>` (sent even when empty) and `X-Replicache-RequestID`.
//   Any status other than 200 => body not parsed, retried with backoff; 401 => getAuth.
//   A 200 push body is only inspected for {error:'ClientStateNotFound'|'VersionNotSupported'};
//   any other body (even non-JSON) is fine.
// - Default logs go to console.info/debug (= stdout); we install a stderr LogSink so that
//   stdout carries only the result line.
// - Two instances with different `name`s get different client groups (the name is part of
//   the local database name). New-client-group notices travel over BroadcastChannel
//   'replicache-new-client-group-v1:<name>', so instances with different names never see
//   each other's and never fire onUpdateNeeded({type:'NewClientGroup'}).
// ---------------------------------------------------------------------------------------

import {Replicache, TEST_LICENSE_KEY, version as replicacheVersion} from 'replicache';
import {isDeepStrictEqual} from 'node:util';
import {randomBytes} from 'node:crypto';

const EXPECTED_REPLICACHE_VERSION = '15.3.0';
const EXIT_OK = 0;
const EXIT_FAIL = 1;
const EXIT_USAGE = 2;
const EXIT_UNHEALTHY = 3;

const t0 = Date.now();
const progress = (...a) => process.stderr.write(`[interop +${Date.now() - t0}ms] ${a.join(' ')}\n`);

let finished = false;
let currentScenario = process.argv[3] ?? null;
const diagnostics = {
  requests: {}, // "push 200" -> count
  lastNon200: {}, // "push" -> {status, body}
  lastPullResponse: {}, // clientID -> body
  lastErrorBody: {}, // "push"/"pull" -> {error,...} 200 bodies
  refusedRequests: [],
};

function finish(code, result) {
  if (finished) return;
  finished = true;
  const line = JSON.stringify({
    scenario: currentScenario,
    ok: code === EXIT_OK,
    replicacheVersion,
    elapsedMs: Date.now() - t0,
    ...result,
    ...(code === EXIT_OK ? {} : {diagnostics}),
  });
  process.stdout.write(line + '\n', () => process.exit(code));
  // In case the write callback never comes.
  setTimeout(() => process.exit(code), 2000).unref();
}

function usage(msg) {
  process.stderr.write(`${msg}\nusage: node interop.mjs <baseUrl> <converge|update-needed|poke|permissions> ` +
    `[--timeout-ms N] [--schema-version S] [--auth-a S] [--auth-b S] [--verbose] [--value-with-id]\n`);
  finish(EXIT_USAGE, {error: msg});
}

process.on('unhandledRejection', (e) => finish(EXIT_FAIL, {error: `unhandled rejection: ${e?.stack ?? e}`}));
process.on('uncaughtException', (e) => finish(EXIT_FAIL, {error: `uncaught exception: ${e?.stack ?? e}`}));

// ---------------------------------------------------------------- arguments
const [, , rawBase, scenario, ...rest] = process.argv;
const opts = {timeoutMs: 20000, schemaVersion: undefined, authA: 'alice', authB: 'bob', verbose: false, valueWithID: false};
let argError = null;
for (let i = 0; i < rest.length; i++) {
  const a = rest[i];
  const val = () => {
    if (i + 1 >= rest.length) argError = `missing value for ${a}`;
    return rest[++i];
  };
  switch (a) {
    case '--timeout-ms': opts.timeoutMs = Number(val()); break;
    case '--schema-version': opts.schemaVersion = val(); break;
    case '--auth-a': opts.authA = val(); break;
    case '--auth-b': opts.authB = val(); break;
    case '--verbose': opts.verbose = true; break;
    case '--value-with-id': opts.valueWithID = true; break;
    default: argError = `unknown option ${a}`;
  }
}

let base;
let baseURL; // {origin, pathname} of base
function isLocalHost(hostname) {
  const h = hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

if (!rawBase || !scenario) {
  usage('missing <baseUrl> or <scenario>');
} else if (argError) {
  usage(argError);
} else if (!Number.isFinite(opts.timeoutMs) || opts.timeoutMs <= 0) {
  usage('--timeout-ms must be a positive number');
} else if (Number(process.versions.node.split('.')[0]) < 20) {
  usage(`Node >= 20 required, running ${process.versions.node}`);
} else if (replicacheVersion !== EXPECTED_REPLICACHE_VERSION) {
  usage(`replicache ${EXPECTED_REPLICACHE_VERSION} required, found ${replicacheVersion} (run npm ci)`);
} else {
  try {
    const u = new URL(rawBase);
    if (!/^https?:$/.test(u.protocol) || !isLocalHost(u.hostname)) throw new Error('not local');
    base = u.origin + u.pathname.replace(/\/+$/, '');
    baseURL = {origin: u.origin, pathname: u.pathname.replace(/\/+$/, '')};
  } catch {
    usage(`baseUrl must be an http(s) URL on localhost/127.0.0.0/8/[::1], got ${JSON.stringify(rawBase)}`);
  }
}

// ---------------------------------------------------------------- fetch guard + recorder
// Replicache's default pusher/puller call the global fetch(new Request(...)). We wrap it to
// (1) refuse any request that does not go to the given server and (2) record what happened.
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const req = input instanceof Request ? input : new Request(input, init);
  const url = new URL(req.url);
  if (!base || url.origin !== baseURL.origin || !url.pathname.startsWith(baseURL.pathname)) {
    diagnostics.refusedRequests.push(req.url);
    throw new TypeError(`interop harness refused request to ${req.url}`);
  }
  const kind = url.pathname.endsWith('/push') ? 'push' : url.pathname.endsWith('/pull') ? 'pull' : url.pathname;
  const requestID = req.headers.get('X-Replicache-RequestID') ?? '';
  let res;
  try {
    res = await realFetch(req);
  } catch (e) {
    const k = `${kind} network-error`;
    diagnostics.requests[k] = (diagnostics.requests[k] ?? 0) + 1;
    throw e;
  }
  const k = `${kind} ${res.status}`;
  diagnostics.requests[k] = (diagnostics.requests[k] ?? 0) + 1;
  if (kind === 'push' || kind === 'pull') {
    const text = await res.clone().text().catch((e) => `<unreadable: ${e}>`);
    if (res.status !== 200) {
      diagnostics.lastNon200[kind] = {status: res.status, body: text.slice(0, 500)};
      progress(`${kind} HTTP ${res.status}: ${text.slice(0, 200)}`);
    } else {
      let body;
      try { body = JSON.parse(text); } catch { body = text.slice(0, 500); }
      if (body && typeof body === 'object' && 'error' in body) diagnostics.lastErrorBody[kind] = body;
      if (kind === 'pull') {
        // requestID is <clientID>-<sessionID>-<counter>; clientIDs have no '-' in 15.x.
        diagnostics.lastPullResponse[requestID.split('-')[0]] = body;
      }
    }
  }
  return res;
};

// ---------------------------------------------------------------- helpers
const stderrLogSink = {
  log(level, context, ...args) {
    const ctx = context ? Object.entries(context).map(([k, v]) => (v === undefined ? k : `${k}=${v}`)).join(' ') : '';
    const rendered = args.map((a) => (a instanceof Error ? a.stack : typeof a === 'string' ? a : JSON.stringify(a)));
    process.stderr.write(`[replicache ${level}] ${ctx} ${rendered.join(' ')}\n`);
  },
};

const mutators = {
  // Exactly the Replicache tutorial's mutator.
  async createMessage(tx, {id, from, content, order}) {
    await tx.set(`message/${id}`, {from, content, order});
  },
  // The permissions scenario's app (the server's TeamApp): its tables' insert/update/delete.
  ...crud('projects', (r) => [r.id]),
  ...crud('memberships', (r) => [r.project_id, r.user_id]),
  ...crud('issues', (r) => [r.id]),
};

function crud(table, keyOf) {
  const key = (r) => `${table}/${keyOf(r).join('/')}`;
  return {
    async [`${table}.insert`](tx, row) { await tx.set(key(row), row); },
    async [`${table}.update`](tx, row) {
      const old = await tx.get(key(row));
      if (old !== undefined) await tx.set(key(row), {...old, ...row});
    },
    async [`${table}.delete`](tx, row) { await tx.del(key(row)); },
  };
}

const runID = randomBytes(4).toString('hex');
const reps = [];

function makeRep(label, {auth, schemaVersion, pullInterval = null}) {
  const events = {updateNeeded: [], clientStateNotFound: 0};
  const rep = new Replicache({
    name: `tandem-interop-${label}-${runID}`,
    kvStore: 'mem',
    licenseKey: TEST_LICENSE_KEY, // ignored by 15.3.0, see header
    pushURL: `${base}/api/replicache/push`,
    pullURL: `${base}/api/replicache/pull`,
    auth,
    schemaVersion,
    pullInterval,
    mutators,
    logLevel: opts.verbose ? 'debug' : 'error',
    logSinks: [stderrLogSink],
    requestOptions: {minDelayMs: 30, maxDelayMs: 500},
  });
  // Override the browser defaults (location.reload) with recorders.
  rep.onUpdateNeeded = (reason) => {
    progress(`${label} onUpdateNeeded ${JSON.stringify(reason)}`);
    events.updateNeeded.push(reason);
  };
  rep.onClientStateNotFound = () => {
    progress(`${label} onClientStateNotFound`);
    events.clientStateNotFound++;
  };
  reps.push(rep);
  return {rep, events, label};
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function scanMessages(rep) {
  const entries = await rep.query((tx) => tx.scan({prefix: 'message/'}).entries().toArray());
  return Object.fromEntries(entries);
}

async function safe(p, label, errors) {
  try {
    await p;
  } catch (e) {
    errors.push(`${label}: ${e?.message ?? e}`);
  }
}

async function waitForHealth(deadline) {
  let last = 'no attempt';
  while (Date.now() < Math.min(deadline, t0 + 10000)) {
    try {
      const res = await realFetch(`${base}/health`);
      if (res.status === 200) return null;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e?.cause?.code ?? e?.message ?? String(e);
    }
    await sleep(200);
  }
  return last;
}

// ---------------------------------------------------------------- scenarios
async function converge(deadline) {
  const sv = opts.schemaVersion ?? '1';
  const A = makeRep('a', {auth: opts.authA, schemaVersion: sv});
  const B = makeRep('b', {auth: opts.authB, schemaVersion: sv});
  const [gA, gB] = await Promise.all([A.rep.clientGroupID, B.rep.clientGroupID]);
  if (gA === gB) throw new Error(`both clients share client group ${gA}`);
  progress(`A client=${A.rep.clientID} group=${gA}; B client=${B.rep.clientID} group=${gB}`);

  const expected = {};
  const create = async (who, n, from) => {
    for (let i = 1; i <= n; i++) {
      const id = `${runID}-${who.label}${i}`;
      const args = {id, from, content: `hello ${i} from ${from} (${runID})`, order: (who.label === 'a' ? 0 : 100) + i};
      await who.rep.mutate.createMessage(args);
      expected[`message/${id}`] = opts.valueWithID
        ? {id, from: args.from, content: args.content, order: args.order}
        : {from: args.from, content: args.content, order: args.order};
    }
  };
  await create(A, 3, 'alice');
  await create(B, 2, 'bob');

  let round = 0;
  let state;
  const syncErrors = [];
  while (true) {
    round++;
    // Push both, then pull both, so that each pull sees both pushes.
    await safe(A.rep.push({now: true}), 'A.push', syncErrors);
    await safe(B.rep.push({now: true}), 'B.push', syncErrors);
    await safe(A.rep.pull({now: true}), 'A.pull', syncErrors);
    await safe(B.rep.pull({now: true}), 'B.pull', syncErrors);

    state = {};
    for (const who of [A, B]) {
      const pending = await who.rep.experimentalPendingMutations();
      const view = await scanMessages(who.rep);
      const missing = Object.keys(expected).filter((k) => !(k in view));
      const wrong = Object.keys(expected).filter((k) => k in view && !isDeepStrictEqual(view[k], expected[k]));
      state[who.label] = {
        clientID: who.rep.clientID,
        pending: pending.map((m) => `${m.clientID}:${m.id}:${m.name}`),
        keys: Object.keys(view).length,
        missing,
        wrong: Object.fromEntries(wrong.map((k) => [k, {got: view[k], want: expected[k]}])),
        view,
        updateNeeded: who.events.updateNeeded,
        clientStateNotFound: who.events.clientStateNotFound,
      };
    }
    const a = state.a;
    const b = state.b;
    const done = a.pending.length === 0 && b.pending.length === 0 &&
      a.missing.length === 0 && b.missing.length === 0 &&
      Object.keys(a.wrong).length === 0 && Object.keys(b.wrong).length === 0 &&
      isDeepStrictEqual(a.view, b.view);
    if (done) {
      return {
        ok: true,
        rounds: round,
        messages: Object.keys(expected).length,
        totalKeysPerClient: a.keys,
        clients: {a: {clientID: a.clientID, clientGroupID: gA}, b: {clientID: b.clientID, clientGroupID: gB}},
      };
    }
    if (A.events.clientStateNotFound || B.events.clientStateNotFound ||
        A.events.updateNeeded.length || B.events.updateNeeded.length) {
      break; // will not recover by itself
    }
    if (Date.now() > deadline) break;
    await sleep(Math.max(0, Math.min(50 * round, 500, deadline - Date.now())));
  }

  // Describe what differed.
  const why = [];
  for (const l of ['a', 'b']) {
    const s = state[l];
    if (s.clientStateNotFound) why.push(`${l}: onClientStateNotFound fired`);
    if (s.updateNeeded.length) why.push(`${l}: onUpdateNeeded fired ${JSON.stringify(s.updateNeeded)}`);
    if (s.pending.length) why.push(`${l}: ${s.pending.length} mutation(s) still pending [${s.pending.join(', ')}]`);
    if (s.missing.length) why.push(`${l}: missing ${s.missing.join(', ')}`);
    for (const [k, v] of Object.entries(s.wrong)) why.push(`${l}: ${k} is ${JSON.stringify(v.got)}, want ${JSON.stringify(v.want)}`);
  }
  if (!isDeepStrictEqual(state.a.view, state.b.view)) {
    const keys = new Set([...Object.keys(state.a.view), ...Object.keys(state.b.view)]);
    const diff = [...keys].filter((k) => !isDeepStrictEqual(state.a.view[k], state.b.view[k]));
    why.push(`views of a and b differ at ${diff.slice(0, 10).join(', ')}${diff.length > 10 ? ' …' : ''}`);
  }
  return {
    ok: false,
    error: `did not converge after ${round} round(s) / ${Date.now() - t0} ms: ${why.join('; ')}`,
    syncErrors: syncErrors.slice(-10),
    state,
    expected,
  };
}

async function updateNeeded(deadline) {
  const sv = opts.schemaVersion ?? '999';
  const C = makeRep('u', {auth: opts.authA, schemaVersion: sv});
  const want = {type: 'VersionNotSupported', versionType: 'schema'};
  const syncErrors = [];

  const waitFor = async (n, kick) => {
    let kicks = 0;
    while (C.events.updateNeeded.length < n && Date.now() < deadline) {
      if (kicks++ < 5) await safe(kick(), 'kick', syncErrors);
      await sleep(100);
    }
    return C.events.updateNeeded.length >= n;
  };

  // Phase 1: pull.
  const viaPull = await waitFor(1, () => C.rep.pull({now: true}));
  if (!viaPull) {
    return {ok: false, error: `onUpdateNeeded did not fire after pull within ${opts.timeoutMs} ms ` +
      `(schemaVersion ${JSON.stringify(sv)}; server must answer HTTP 200 ${JSON.stringify({error: 'VersionNotSupported', versionType: 'schema'})})`,
      syncErrors, updateNeeded: C.events.updateNeeded};
  }
  const pullReason = C.events.updateNeeded[0];
  if (!isDeepStrictEqual(pullReason, want)) {
    return {ok: false, error: `onUpdateNeeded after pull had reason ${JSON.stringify(pullReason)}, want ${JSON.stringify(want)}`,
      updateNeeded: C.events.updateNeeded};
  }

  // Phase 2: push. The mutation must be rejected with the same reason and stay pending.
  await C.rep.mutate.createMessage({id: `${runID}-u1`, from: 'old-client', content: 'should not land', order: 1});
  const before = C.events.updateNeeded.length;
  const viaPush = await waitFor(before + 1, () => C.rep.push({now: true}));
  const pushReason = C.events.updateNeeded[before];
  const pending = await C.rep.experimentalPendingMutations();
  if (!viaPush) {
    return {ok: false, error: `onUpdateNeeded fired for pull but not for push within ${opts.timeoutMs} ms`,
      syncErrors, updateNeeded: C.events.updateNeeded};
  }
  if (!isDeepStrictEqual(pushReason, want)) {
    return {ok: false, error: `onUpdateNeeded after push had reason ${JSON.stringify(pushReason)}, want ${JSON.stringify(want)}`,
      updateNeeded: C.events.updateNeeded};
  }
  if (pending.length !== 1) {
    return {ok: false, error: `expected the rejected mutation to stay pending, pending=${JSON.stringify(pending)}`};
  }
  return {ok: true, schemaVersion: sv, reasons: {pull: pullReason, push: pushReason}, pendingKept: pending.length};
}

// Minimal EventSource-compatible reader over fetch (Node 20 has no EventSource, and a
// browser EventSource cannot send an Authorization header anyway).
// Follows the SSE dispatch rule: an event whose data buffer is empty is NOT dispatched,
// exactly like a browser EventSource. Comment lines (':') are ignored.
function openSse(url, auth, onEvent, onOpen, stats) {
  const ac = new AbortController();
  (async () => {
    const headers = {Accept: 'text/event-stream', Authorization: auth};
    const res = await realFetch(url, {headers, signal: ac.signal});
    stats.status = res.status;
    stats.contentType = res.headers.get('content-type');
    onOpen(res);
    if (res.status !== 200 || !res.body) return;
    const decoder = new TextDecoder();
    let buf = '';
    let data = null; // null: no data field seen in this block
    let fields = 0;
    for await (const chunk of res.body) {
      buf += decoder.decode(chunk, {stream: true});
      let m;
      while ((m = /\r\n|\r|\n/.exec(buf))) {
        const line = buf.slice(0, m.index);
        buf = buf.slice(m.index + m[0].length);
        if (line === '') {
          if (fields > 0) {
            stats.blocks++;
            if (!data) stats.emptyData++; // browser EventSource drops it
            else { stats.dispatched++; onEvent(data); }
          }
          data = null;
          fields = 0;
        } else if (line.startsWith(':')) {
          stats.comments++;
        } else {
          fields++;
          const i = line.indexOf(':');
          const field = i < 0 ? line : line.slice(0, i);
          let value = i < 0 ? '' : line.slice(i + 1);
          if (value.startsWith(' ')) value = value.slice(1);
          if (field === 'data') data = data === null ? value : `${data}\n${value}`;
        }
      }
    }
  })().catch((e) => {
    if (!ac.signal.aborted) stats.error = String(e?.cause?.code ?? e?.message ?? e);
  });
  return ac;
}

async function poke(deadline) {
  const sv = opts.schemaVersion ?? '1';
  const A = makeRep('pa', {auth: opts.authA, schemaVersion: sv});
  const B = makeRep('pb', {auth: opts.authB, schemaVersion: sv});
  const stats = {status: null, contentType: null, blocks: 0, dispatched: 0, emptyData: 0, comments: 0, error: null};
  const pullErrors = [];
  let opened;
  const openedP = new Promise((r) => (opened = r));
  const groupB = await B.rep.clientGroupID;
  const pokeURL = `${base}/api/replicache/poke?clientGroupID=${encodeURIComponent(groupB)}`;
  const sse = openSse(pokeURL, opts.authB, () => {
    B.rep.pull({now: true}).catch((e) => pullErrors.push(String(e?.message ?? e)));
  }, opened, stats);
  try {
    const res = await Promise.race([openedP, sleep(Math.max(0, deadline - Date.now())).then(() => null)]);
    if (!res || res.status !== 200) {
      return {ok: false, error: `GET /api/replicache/poke did not open (status ${res?.status ?? 'none'}, ${stats.error ?? ''})`, sse: stats};
    }
    // Both start from a synced state; after this, B pulls ONLY when poked.
    await A.rep.pull({now: true});
    await B.rep.pull({now: true});
    const id = `${runID}-p1`;
    const value = {from: 'alice', content: `poke me (${runID})`, order: 1};
    await A.rep.mutate.createMessage({id, ...value});
    await A.rep.push({now: true});
    while (Date.now() < deadline) {
      const got = await B.rep.query((tx) => tx.get(`message/${id}`));
      if (got !== undefined) {
        const want = opts.valueWithID ? {id, ...value} : value;
        if (!isDeepStrictEqual(got, want)) return {ok: false, error: `B got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`};
        return {ok: true, sse: stats};
      }
      await sleep(50);
    }
    let why = 'no SSE event arrived after the push';
    if (stats.emptyData > 0 && stats.dispatched === 0) {
      why = `${stats.emptyData} SSE event(s) arrived but with EMPTY data; a browser EventSource does not dispatch those (send e.g. "data: poke\\n\\n")`;
    } else if (stats.dispatched > 0) {
      why = `${stats.dispatched} poke(s) dispatched and B pulled, but the message did not arrive`;
    }
    return {ok: false, error: `B never saw ${id}: ${why}`, sse: stats, pullErrors};
  } finally {
    sse.abort();
  }
}

// A server with permissions (TeamApp: owners and members see their projects): the row-version
// strategy's object cookies, rows arriving when bob is invited and leaving when he is removed,
// and bob's optimistic write into a project he may not write refused and rolled back.
async function permissionsScenario(deadline) {
  const A = makeRep('ka', {auth: opts.authA, schemaVersion: '1'});
  const B = makeRep('kb', {auth: opts.authB, schemaVersion: '1'});
  const [a, b] = [opts.authA, opts.authB];
  const pa = `${runID}-pa`, pb = `${runID}-pb`, ia = `${runID}-ia`, ib = `${runID}-ib`;
  const syncErrors = [];
  const keysOf = async (rep) =>
    (await rep.query((tx) => tx.scan().keys().toArray())).filter((k) => k.includes(runID)).sort();
  const steps = [];
  const until = async (step, want) => {
    let got;
    while (true) {
      for (const who of [A, B]) await safe(who.rep.push({now: true}), `${who.label}.push`, syncErrors);
      for (const who of [A, B]) await safe(who.rep.pull({now: true}), `${who.label}.pull`, syncErrors);
      got = {a: await keysOf(A.rep), b: await keysOf(B.rep),
        pending: (await A.rep.experimentalPendingMutations()).length + (await B.rep.experimentalPendingMutations()).length};
      const wanted = {a: [...want.a].sort(), b: [...want.b].sort(), pending: 0};
      if (isDeepStrictEqual(got, wanted)) { steps.push(step); return null; }
      if (Date.now() > deadline) return `${step}: got ${JSON.stringify(got)}, want ${JSON.stringify(wanted)}`;
      await sleep(50);
    }
  };
  const fail = (error) => ({ok: false, error, steps, syncErrors: syncErrors.slice(-10)});

  await A.rep.mutate['projects.insert']({id: pa, name: 'A', owner_id: a});
  await A.rep.mutate['issues.insert']({id: ia, title: 'a bug', project_id: pa});
  await B.rep.mutate['projects.insert']({id: pb, name: 'B', owner_id: b});
  let error = await until('start', {a: [`projects/${pa}`, `issues/${ia}`], b: [`projects/${pb}`]});
  if (error) return fail(error);
  const cookie = diagnostics.lastPullResponse[B.rep.clientID]?.cookie;
  if (!cookie || typeof cookie !== 'object' || typeof cookie.order !== 'number' || typeof cookie.cvrID !== 'string') {
    return fail(`expected an object cookie {order, cvrID}, got ${JSON.stringify(cookie)}`);
  }

  await A.rep.mutate['memberships.insert']({project_id: pa, user_id: b, role: 'member'});
  const invited = [`projects/${pa}`, `issues/${ia}`, `memberships/${pa}/${b}`];
  error = await until('invite', {a: invited, b: [...invited, `projects/${pb}`]});
  if (error) return fail(error);

  await A.rep.mutate['memberships.delete']({project_id: pa, user_id: b});
  error = await until('remove', {a: [`projects/${pa}`, `issues/${ia}`], b: [`projects/${pb}`]});
  if (error) return fail(error);

  // bob writes into pa anyway: it shows at once (optimistic), then the server refuses it.
  await B.rep.mutate['issues.insert']({id: ib, title: 'sneaky', project_id: pa});
  const optimistic = await keysOf(B.rep);
  if (!optimistic.includes(`issues/${ib}`)) return fail(`the optimistic write did not show: ${optimistic}`);
  error = await until('refused', {a: [`projects/${pa}`, `issues/${ia}`], b: [`projects/${pb}`]});
  if (error) return fail(error);
  return {ok: true, steps, cookie};
}

// ---------------------------------------------------------------- main
const scenarios = {converge, 'update-needed': updateNeeded, poke, permissions: permissionsScenario};

async function main() {
  if (finished) return;
  const fn = scenarios[scenario];
  if (!fn) return usage(`unknown scenario ${JSON.stringify(scenario)}`);
  const deadline = t0 + opts.timeoutMs;
  // Hard watchdog: even if something inside replicache hangs, report and exit.
  setTimeout(() => finish(EXIT_FAIL, {error: `hard timeout after ${opts.timeoutMs + 5000} ms (scenario hung)`}),
    opts.timeoutMs + 5000).unref();

  const unhealthy = await waitForHealth(deadline);
  if (unhealthy) return finish(EXIT_UNHEALTHY, {error: `GET ${base}/health did not answer 200: ${unhealthy}`});

  let result;
  try {
    result = await fn(deadline);
  } catch (e) {
    result = {ok: false, error: `exception: ${e?.stack ?? e}`};
  }
  // Close every instance (bounded), then exit explicitly so no timer can keep us alive.
  await Promise.race([Promise.allSettled(reps.map((r) => r.close())), sleep(2000)]);
  if (diagnostics.refusedRequests.length) {
    result = {...result, ok: false, error: `requests to other URLs were attempted: ${diagnostics.refusedRequests.join(', ')}; ${result.error ?? ''}`};
  }
  const {ok, ...rest} = result;
  if (!ok) {
    // Put the HTTP picture into the one-line error, so a JUnit assertion message shows it.
    const seen = Object.entries(diagnostics.requests).map(([k, n]) => `${k} x${n}`).join(', ') || 'none';
    const non200 = Object.entries(diagnostics.lastNon200).map(([k, v]) => `${k} ${v.status} ${v.body.slice(0, 200)}`).join('; ');
    rest.error = `${rest.error} [HTTP seen: ${seen}${non200 ? `; last non-200: ${non200}` : ''}]`;
  }
  finish(ok ? EXIT_OK : EXIT_FAIL, rest);
}

main();
