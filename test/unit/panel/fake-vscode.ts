/**
 * Just enough of the `vscode` module for RunPanel to run under node:test: a webview panel that records
 * what the host posts and lets a test play the page (send messages, hide, show, close).
 */
import Module = require('node:module');

type Listener<T> = (value: T) => unknown;

export class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>): { dispose(): void } => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(value: T): void {
    for (const l of [...this.listeners]) l(value);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class Uri {
  private constructor(readonly fsPath: string) {}
  static file(p: string): Uri {
    return new Uri(p);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri([base.fsPath, ...parts].join('/'));
  }
  toString(): string {
    return `https://file+.vscode-resource.vscode-cdn.net${this.fsPath}`;
  }
}

export class Range {
  constructor(
    readonly startLine: number,
    readonly startCharacter: number,
    readonly endLine: number,
    readonly endCharacter: number,
  ) {}
}

export const ViewColumn = { Beside: -2, Active: -1, One: 1, Two: 2 } as const;

export class FakePanel {
  readonly posted: unknown[] = [];
  visible = true;
  viewColumn: number = ViewColumn.Two;
  revealed = 0;
  disposed = false;
  private readonly received = new EventEmitter<unknown>();
  private readonly viewState = new EventEmitter<void>();
  private readonly closed = new EventEmitter<void>();
  readonly webview = {
    html: '',
    cspSource: 'https://*.vscode-cdn.net',
    asWebviewUri: (u: Uri) => u,
    postMessage: async (m: unknown) => {
      // A hidden webview without retained context is gone: what is posted to it is lost.
      if (this.visible) this.posted.push(structuredClone(m));
      return this.visible;
    },
    onDidReceiveMessage: this.received.event,
  };
  readonly onDidChangeViewState = this.viewState.event;
  readonly onDidDispose = this.closed.event;

  constructor(
    readonly viewType: string,
    readonly title: string,
    readonly options: Record<string, unknown>,
  ) {}

  reveal(): void {
    this.revealed += 1;
  }
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.closed.fire();
  }

  // ---- the test plays the page and the user ----
  fromPage(message: unknown): void {
    this.received.fire(message);
  }
  hide(): void {
    this.visible = false;
    this.viewState.fire();
  }
  show(): void {
    this.visible = true;
    this.viewState.fire();
  }
  /** What the host posted since the last take; the run picker's `history` only when asked (it arrives on its own time). */
  take(withHistory = false): unknown[] {
    return this.posted.splice(0).filter((m) => withHistory || (m as { type?: string }).type !== 'history');
  }
}

export const opened: { file: string; line: number; viewColumn: number }[] = [];
export const errors: string[] = [];
export const panels: FakePanel[] = [];

export const fakeVscode = {
  EventEmitter,
  Uri,
  Range,
  ViewColumn,
  window: {
    createWebviewPanel: (viewType: string, title: string, _show: unknown, options: Record<string, unknown>) => {
      const panel = new FakePanel(viewType, title, options);
      panels.push(panel);
      return panel;
    },
    showTextDocument: async (uri: Uri, options: { selection: Range; viewColumn: number }) => {
      opened.push({ file: uri.fsPath, line: options.selection.startLine, viewColumn: options.viewColumn });
    },
    showErrorMessage: async (message: string) => {
      errors.push(message);
    },
  },
};

/** Makes `require('vscode')` return the fake, for modules loaded after this call. */
export function installFakeVscode(): void {
  const mod = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = mod._load;
  mod._load = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? fakeVscode : load.call(this, request, ...rest);
  };
}
