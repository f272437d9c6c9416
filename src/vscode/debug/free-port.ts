/** Ports for debugpy: a free one to listen on, and waiting until something listens there. */
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';

/** A TCP port nothing listens on right now (the OS picks it). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  // Loaded here, not at activation: only a debug session needs sockets (bench P5 counts every module loaded).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain require keeps it synchronous and CommonJS
  const net = require('node:net') as typeof import('node:net');
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const port = (server.address() as AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Resolves once something listens on `port`, false after `timeoutMs` or on abort. Probing by connecting
 * is not an option: debugpy takes the first connection as its client, and a probe that hangs up leaves
 * the real debugger unanswered. So on Linux this reads /proc/net/tcp; elsewhere it waits a moment.
 */
export async function waitForListener(port: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  if (process.platform !== 'linux') {
    await sleep(1500, signal);
    return !signal?.aborted;
  }
  while (Date.now() < deadline && !signal?.aborted) {
    if (await listening(port)) return true;
    await sleep(100, signal);
  }
  return false;
}

async function listening(port: number): Promise<boolean> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      const text = await readFile(table, 'utf8');
      // Columns: sl local_address rem_address st …; st 0A is LISTEN.
      if (text.split('\n').some((line) => line.trim().split(/\s+/)[1]?.endsWith(`:${hexPort}`) && line.trim().split(/\s+/)[3] === '0A'))
        return true;
    } catch {
      // no such table (no IPv6): try the other
    }
  }
  return false;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
