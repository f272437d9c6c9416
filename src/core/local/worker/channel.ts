/** Newline-delimited JSON over the worker's fd 3 socket (python/PROTOCOL.md). */
import type { Duplex } from 'node:stream';
import type { WorkerError } from '../types';
import type { MiniBatchData } from '../partition/types';

/**
 * The worker protocol this engine speaks (python/prs_worker/__init__.py PROTOCOL_VERSION): a worker that says
 * another one in `hello` is refused (workerProtocolMismatch).
 */
export const WORKER_PROTOCOL_VERSION = 2;

export type WorkerMessage =
  /** `protocol`: absent from workers older than version 2. */
  | { type: 'hello'; protocol?: number; pid: number; python: string; executable: string; pandas: string | null }
  | { type: 'ready'; seconds: number }
  | { type: 'init_failed'; error: WorkerError; phase: 'import' | 'init' }
  | { type: 'started'; id: number; items: number }
  | {
      type: 'done';
      id: number;
      items: number;
      returned: number;
      succeeded: number;
      rows_start: number;
      rows_end: number;
      /** Bytes at rows_start holding the DataFrame header, with --append_row_dataframe_header. */
      header_bytes?: number;
      /** What run() returned; absent when it was not called (an empty DataFrame). */
      returned_kind?: 'list' | 'dataframe';
      /** A DataFrame's column names as to_csv wrote them (index first when kept). */
      columns?: string[];
      seconds: number;
      warning: string | null;
    }
  | { type: 'failed'; id: number; items?: number; error: WorkerError; seconds: number }
  | { type: 'log'; level: string; message: string }
  | { type: 'shutdown_done'; error: WorkerError | null };

export interface TaskMessage {
  type: 'task';
  id: number;
  index: number;
  attempt: number;
  data: MiniBatchData;
  context: { minibatch_index: number; partition_key_value: Record<string, string> };
}

export type EngineMessage = TaskMessage | { type: 'shutdown' };

/** Reads whole JSON lines from the socket and writes messages as single lines. */
export class Channel {
  private pending = '';
  private corked = false;

  constructor(
    private readonly socket: Duplex,
    onMessage: (message: WorkerMessage) => void,
    onBadLine: (line: string) => void,
  ) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      const text = this.pending + chunk;
      let start = 0;
      for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
        const line = text.slice(start, nl);
        start = nl + 1;
        if (line.length === 0) continue;
        let message: WorkerMessage;
        try {
          message = JSON.parse(line) as WorkerMessage;
        } catch {
          onBadLine(line);
          continue;
        }
        onMessage(message);
      }
      this.pending = text.slice(start);
    });
    // A closed socket is reported by the process's exit; errors here (EPIPE after a kill) carry nothing more.
    socket.on('error', () => undefined);
  }

  send(message: EngineMessage): void {
    if (this.socket.destroyed || !this.socket.writable) return;
    // Messages sent in the same tick (tasks for several workers' `done`s read in one chunk) leave in one
    // write: corked until the tick ends.
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        if (!this.socket.destroyed) this.socket.uncork();
      });
    }
    this.socket.write(JSON.stringify(message) + '\n');
  }

  close(): void {
    this.socket.destroy();
  }
}

/**
 * Why a worker that said `hello` with `protocol` cannot be used, naming both versions and the fix; undefined
 * when it speaks this engine's version. A mismatch means the package on PYTHONPATH is another copy than the
 * one shipped with this engine (an older checkout, a stale install, a `prs_worker` of the user's own).
 */
export function workerProtocolMismatch(protocol: unknown, packageDir: string): string | undefined {
  if (protocol === WORKER_PROTOCOL_VERSION) return undefined;
  const theirs =
    typeof protocol === 'number' ? `worker protocol version ${protocol}` : 'no worker protocol version (it predates version 2)';
  return (
    `The Python worker package in ${packageDir}/prs_worker speaks ${theirs}, but this engine speaks version ${WORKER_PROTOCOL_VERSION}: ` +
    `that copy of the worker is stale (from another version of the extension or CLI). Reinstall the extension (or, in a checkout, ` +
    `git checkout python/prs_worker), and make sure no other prs_worker package comes first on PYTHONPATH.`
  );
}
