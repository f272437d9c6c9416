// Azurite (blob only, in memory) on a free port, behind a counting proxy that can drop connections or add latency.
import { spawn, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
export const azuriteAccount = {
  name: 'devstoreaccount1',
  key: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
};

export interface BlobRequest {
  method: string;
  /** Path after the account, e.g. `/container/LocalUpload/…`. */
  path: string;
  query: string;
}

export class Azurite {
  private child?: ChildProcess;
  private proxy?: http.Server;
  private azuritePort = 0;
  /** Every request that reached the proxy, in order. */
  readonly requests: BlobRequest[] = [];
  /** Drop (destroy the socket of) the next N requests whose path matches `dropPath`. */
  dropNext = 0;
  dropPath: RegExp = /./;
  /** Answer the next N requests whose path matches `failPath` with `failStatus` (a storage 5xx or throttling). */
  failNext = 0;
  failStatus = 503;
  failPath: RegExp = /./;
  /** Added before each request is forwarded (a stand-in for the round trip to Azure). */
  latencyMs = 0;
  /** Base URL of the blob service through the proxy, path style: `http://127.0.0.1:P/devstoreaccount1`. */
  blobEndpoint = '';

  /** Another account than the development one (e.g. the fake ARM's datastore account and key). */
  constructor(private readonly account: { name: string; key: string } = azuriteAccount) {}

  async start(): Promise<this> {
    const main = path.join(require.resolve('azurite/package.json'), '..', 'dist', 'src', 'blob', 'main.js');
    const child = spawn(
      process.execPath,
      [
        main,
        '--blobHost',
        '127.0.0.1',
        '--blobPort',
        '0',
        '--inMemoryPersistence',
        '--skipApiVersionCheck',
        '--disableTelemetry',
        '--silent',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env:
          this.account === azuriteAccount ? process.env : { ...process.env, AZURITE_ACCOUNTS: `${this.account.name}:${this.account.key}` },
      },
    );
    this.child = child;
    const kill = () => child.kill('SIGKILL');
    process.once('exit', kill);
    this.azuritePort = await new Promise<number>((resolve, reject) => {
      let out = '';
      const onData = (d: Buffer) => {
        out += d.toString();
        const m = /listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`azurite exited (${code}) before listening: ${out}`)));
    });
    this.proxy = http.createServer((req, res) => this.forward(req, res));
    await new Promise<void>((r) => this.proxy!.listen(0, '127.0.0.1', r));
    this.blobEndpoint = `http://127.0.0.1:${(this.proxy.address() as AddressInfo).port}/${this.account.name}`;
    return this;
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const p = decodeURIComponent(url.pathname.replace(`/${this.account.name}`, ''));
    this.requests.push({ method: req.method ?? '', path: p, query: url.search });
    if (this.dropNext > 0 && this.dropPath.test(p)) {
      this.dropNext--;
      req.socket.destroy();
      return;
    }
    if (this.failNext > 0 && this.failPath.test(p)) {
      this.failNext--;
      const code = this.failStatus === 503 ? 'ServerBusy' : this.failStatus === 429 ? 'TooManyRequests' : 'InternalError';
      const body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>Injected by the test proxy.</Message></Error>`;
      req.resume();
      res.writeHead(this.failStatus, {
        'Content-Type': 'application/xml',
        'x-ms-error-code': code,
        'Retry-After': '0',
        'Content-Length': Buffer.byteLength(body),
      });
      res.end(body);
      return;
    }
    const send = () => {
      const upstream = http.request(
        { host: '127.0.0.1', port: this.azuritePort, method: req.method, path: req.url, headers: req.headers },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    if (this.latencyMs > 0) setTimeout(send, this.latencyMs);
    else send();
  }

  /** A container client with the account key, through the proxy; creates the container when asked. */
  async container(name: string, create = true): Promise<ContainerClient> {
    const c = new ContainerClient(`${this.blobEndpoint}/${name}`, new StorageSharedKeyCredential(this.account.name, this.account.key), {
      retryOptions: { maxTries: 1 },
    });
    if (create) await c.createIfNotExists();
    return c;
  }

  resetCounts(): void {
    this.requests.length = 0;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((r) => (this.proxy ? this.proxy.close(() => r()) : r()));
    this.proxy?.closeAllConnections();
    await closed;
    if (this.child && this.child.exitCode === null) {
      const exited = new Promise((r) => this.child!.once('exit', r));
      this.child.kill('SIGKILL');
      await exited;
    }
  }
}
