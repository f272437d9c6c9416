/** Runs one command node: its command under bash from its code folder, output streamed and logged. */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';

export interface CommandRun {
  /** The command with bindings replaced. */
  command: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** `user_logs/std_log.txt`: stdout and stderr interleaved, as the cloud writes a command job's log. */
  logFile: string;
  signal?: AbortSignal;
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
}

export interface CommandResult {
  exitCode: number;
  /** Set when the process ended on a signal (e.g. canceled). */
  signal?: string;
  /** The last lines it wrote, for the failure's reason. */
  tail: string[];
  /** It could not start at all (no shell). */
  spawnError?: string;
  /** A Python traceback went by: with `a; b` a failed part does not fail the step, which users rarely expect. */
  sawTraceback: boolean;
}

const TAIL_LINES = 20;

/** The shell the cloud runs commands with (`bash -c`); `sh` where there is no bash. */
export function commandShell(): { file: string; args: (command: string) => string[] } {
  if (process.platform === 'win32') return { file: process.env.ComSpec ?? 'cmd.exe', args: (c) => ['/d', '/s', '/c', c] };
  const bash = ['/bin/bash', '/usr/bin/bash', '/usr/local/bin/bash'].find((p) => existsSync(p));
  return { file: bash ?? '/bin/sh', args: (c) => ['-c', c] };
}

export function runCommand(run: CommandRun): Promise<CommandResult> {
  mkdirSync(path.dirname(run.logFile), { recursive: true });
  const log = createWriteStream(run.logFile, { flags: 'a' });
  const tail: string[] = [];
  let partial = '';
  let sawTraceback = false;
  const remember = (text: string): void => {
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    sawTraceback ||= lines.some((line) => line.startsWith('Traceback (most recent call last):'));
    tail.push(...lines);
    if (tail.length > TAIL_LINES) tail.splice(0, tail.length - TAIL_LINES);
  };
  const shell = commandShell();
  return new Promise<CommandResult>((resolve) => {
    const child = spawn(shell.file, shell.args(run.command), {
      cwd: run.cwd,
      env: run.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a cancel ends the command's children too.
      detached: process.platform !== 'win32',
    });
    const onAbort = (): void => {
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGTERM');
        else child.kill('SIGTERM');
      } catch {
        // already gone
      }
    };
    run.signal?.addEventListener('abort', onAbort);
    if (run.signal?.aborted) onAbort();
    for (const stream of ['stdout', 'stderr'] as const) {
      child[stream].setEncoding('utf8');
      child[stream].on('data', (text: string) => {
        log.write(text);
        remember(text);
        run.onOutput?.(stream, text);
      });
    }
    let spawnError: string | undefined;
    child.on('error', (err) => {
      spawnError = `${shell.file} could not start: ${err.message}`;
    });
    child.on('close', (code, signal) => {
      run.signal?.removeEventListener('abort', onAbort);
      if (partial) tail.push(partial);
      log.end(() =>
        resolve({
          exitCode: code ?? (signal ? 128 : 1),
          ...(signal ? { signal } : {}),
          tail,
          sawTraceback,
          ...(spawnError ? { spawnError } : {}),
        }),
      );
    });
  });
}
