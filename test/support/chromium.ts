import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';

/**
 * Headless Chromium for the report test, driven over the DevTools protocol on
 * a pipe (`--remote-debugging-pipe`: NUL-terminated JSON on fds 3 and 4), so
 * no package and no port is needed. Chromium's own background traffic
 * (updates, time, sign-in) is not the page's: the protocol's Network events
 * of the page's target are exactly what the page asked for.
 */

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome'];

/**
 * The Chromium binary: $CHROMIUM_PATH, else the first on PATH; installs
 * Debian's `chromium` package when missing and running as root with apt-get
 * (CI). Returns a reason instead when it cannot.
 */
export function findChromium(): { path: string } | { reason: string } {
  const lookup = (): string | undefined =>
    process.env.CHROMIUM_PATH ?? CANDIDATES.map((name) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim()).find((p) => p !== '');
  const found = lookup();
  if (found !== undefined) return { path: found };
  if (process.getuid?.() !== 0 || spawnSync('sh', ['-c', 'command -v apt-get']).status !== 0) return { reason: 'chromium is not installed (Debian: apt-get install chromium)' };
  const install = spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'], { encoding: 'utf8', timeout: 600_000 });
  const installed = lookup();
  return installed !== undefined ? { path: installed } : { reason: `installing chromium failed: ${install.stderr.slice(-500)}` };
}

/** What loading a page did. */
export interface PageVisit {
  /** Every request the page made, its own document excluded. */
  readonly requests: readonly string[];
}

/**
 * Loads `htmlFile` in headless Chromium at `width` px, waits for its load
 * event, records every request the page makes and saves a full-page PNG
 * screenshot to `pngFile`.
 */
export async function visitPage(chromium: string, htmlFile: string, pngFile: string, width = 1200): Promise<PageVisit> {
  const profile = mkdtempSync(join(tmpdir(), 'prescore-chromium-'));
  const child = spawn(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--remote-debugging-pipe', `--user-data-dir=${profile}`, '--no-first-run', 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
  });
  const cdp = new DevTools(child.stdio[3] as Writable, child.stdio[4] as Readable);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    const url = pathToFileURL(htmlFile).href;
    const { targetId } = await cdp.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await cdp.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
    const requests: string[] = [];
    cdp.on('Network.requestWillBeSent', sessionId, (p) => {
      const requested = (p as { request: { url: string } }).request.url;
      if (requested !== url) requests.push(requested);
    });
    await cdp.send('Network.enable', {}, sessionId);
    await cdp.send('Page.enable', {}, sessionId);
    await cdp.send('Emulation.setDeviceMetricsOverride', { width, height: 900, deviceScaleFactor: 1, mobile: false }, sessionId);
    const loaded = cdp.once('Page.loadEventFired', sessionId);
    await cdp.send('Page.navigate', { url }, sessionId);
    await loaded;
    const { cssContentSize } = await cdp.send<{ cssContentSize: { height: number } }>('Page.getLayoutMetrics', {}, sessionId);
    const shot = await cdp.send<{ data: string }>(
      'Page.captureScreenshot',
      { format: 'png', captureBeyondViewport: true, clip: { x: 0, y: 0, width, height: Math.ceil(cssContentSize.height), scale: 1 } },
      sessionId,
    );
    writeFileSync(pngFile, Buffer.from(shot.data, 'base64'));
    await cdp.send('Browser.close').catch(() => undefined);
    return { requests };
  } catch (error) {
    throw new Error(`${(error as Error).message}\nchromium stderr: ${stderr}`);
  } finally {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    rmSync(profile, { recursive: true, force: true });
  }
}

type Listener = (params: unknown) => void;

/** The DevTools protocol over Chromium's pipe: requests with ids, events by method and session. */
class DevTools {
  private nextId = 1;
  private buffer = '';
  private readonly pending = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners: { method: string; sessionId: string; listener: Listener }[] = [];

  constructor(
    private readonly input: Writable,
    output: Readable,
  ) {
    output.on('data', (data: Buffer) => {
      this.buffer += data.toString('utf8');
      let end: number;
      while ((end = this.buffer.indexOf('\0')) !== -1) {
        this.dispatch(JSON.parse(this.buffer.slice(0, end)) as Message);
        this.buffer = this.buffer.slice(end + 1);
      }
    });
    output.on('close', () => {
      for (const { reject } of this.pending.values()) reject(new Error('chromium closed the DevTools pipe'));
    });
  }

  send<T = unknown>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    const id = this.nextId++;
    this.input.write(`${JSON.stringify({ id, method, params, ...(sessionId === undefined ? {} : { sessionId }) })}\0`);
    return new Promise<T>((resolve, reject) => this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject }));
  }

  on(method: string, sessionId: string, listener: Listener): void {
    this.listeners.push({ method, sessionId, listener });
  }

  once(method: string, sessionId: string): Promise<unknown> {
    return new Promise((resolve) => this.on(method, sessionId, resolve));
  }

  private dispatch(message: Message): void {
    if (message.id !== undefined) {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) waiting?.reject(new Error(`${message.error.message} (${message.error.code})`));
      else waiting?.resolve(message.result);
      return;
    }
    for (const l of this.listeners) if (l.method === message.method && l.sessionId === message.sessionId) l.listener(message.params);
  }
}

interface Message {
  readonly id?: number;
  readonly method?: string;
  readonly sessionId?: string;
  readonly params?: unknown;
  readonly result?: unknown;
  readonly error?: { readonly code: number; readonly message: string };
}
