/** One Python worker process: spawn it, talk to it on fd 3, copy its stdout/stderr to the user logs. */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Duplex, Writable } from 'node:stream';
import { Channel, type EngineMessage, type WorkerMessage } from './channel';
import { workerPycacheDir } from '../environment';

export interface WorkerLaunch {
  python: string;
  /** Folder holding the `prs_worker` package (put on PYTHONPATH). */
  workerPackageDir: string;
  configFile: string;
  node: string;
  process: string;
  /** This generation's append_row temp file. */
  rowsFile: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: Writable;
  stderr: Writable;
  /** Start under debugpy, listening for VS Code's debugger. */
  debug?: { host: string; port: number };
}

export interface WorkerHandlers {
  onMessage(message: WorkerMessage): void;
  onOutput(stream: 'stdout' | 'stderr', text: string): void;
  onExit(code: number | null, signal: NodeJS.Signals | null, stderrTail: string): void;
}

const STDERR_TAIL_BYTES = 4096;

export class WorkerProcess {
  readonly name: string;
  private readonly child: ChildProcess;
  private readonly channel: Channel;
  private stderrTail = '';
  private exited = false;

  constructor(launch: WorkerLaunch, handlers: WorkerHandlers) {
    this.name = `${launch.node}/${launch.process}`;
    const workerArgs = ['--config', launch.configFile, '--node', launch.node, '--process', launch.process, '--rows', launch.rowsFile];
    const args = launch.debug
      ? ['-m', 'debugpy', '--listen', `${launch.debug.host}:${launch.debug.port}`, '--wait-for-client', '-m', 'prs_worker', ...workerArgs]
      : ['-u', '-m', 'prs_worker', ...workerArgs];
    const pythonPath = [launch.workerPackageDir, launch.env.PYTHONPATH].filter(Boolean).join(process.platform === 'win32' ? ';' : ':');
    this.child = spawn(launch.python, args, {
      cwd: launch.cwd,
      env: {
        ...launch.env,
        PYTHONPATH: pythonPath,
        PYTHONUNBUFFERED: '1',
        PYTHONIOENCODING: 'utf-8',
        PARALLEL_RUN_PYCACHE: workerPycacheDir(launch.env),
      },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      // Own process group: a terminal's Ctrl-C reaches the engine, which decides what the workers do.
      detached: process.platform !== 'win32',
    });
    this.channel = new Channel(this.child.stdio[3] as Duplex, handlers.onMessage, (line) =>
      handlers.onOutput('stderr', `[parallel-run] unreadable message from worker: ${line.slice(0, 200)}\n`),
    );
    this.child.stdout!.on('data', (chunk: Buffer) => {
      launch.stdout.write(chunk);
      handlers.onOutput('stdout', chunk.toString('utf8'));
    });
    this.child.stderr!.on('data', (chunk: Buffer) => {
      launch.stderr.write(chunk);
      const text = chunk.toString('utf8');
      this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL_BYTES);
      handlers.onOutput('stderr', text);
    });
    this.child.on('error', (err) => {
      // spawn failures (python not found) arrive here and not as 'exit'.
      if (this.exited) return;
      this.exited = true;
      handlers.onExit(null, null, `${err.message}`);
    });
    // 'close' waits for stdio to drain, so the last messages and stderr lines are in before we judge the exit.
    this.child.on('close', (code, signal) => {
      if (this.exited) return;
      this.exited = true;
      this.channel.close();
      handlers.onExit(code, signal, this.stderrTail);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return !this.exited;
  }

  send(message: EngineMessage): void {
    this.channel.send(message);
  }

  /** Ends the process (and, under debugpy, its whole group). */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.exited || this.child.pid === undefined) return;
    try {
      if (process.platform !== 'win32') process.kill(-this.child.pid, signal);
      else this.child.kill(signal);
    } catch {
      this.child.kill(signal);
    }
  }
}
