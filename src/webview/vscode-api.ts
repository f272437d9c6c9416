/** The page's end of the protocol: VS Code's webview API, typed with the run panel's messages. */
import type { HostMessage, PageMessage, PanelState, PipelineView } from '../shared/protocol';

/** What the page keeps across being hidden (the webview is not retained): shown at once, then refreshed. */
export interface SavedState {
  state?: PanelState;
  /** A pipeline panel's pipeline (its run folder is what a reload restores). */
  pipeline?: PipelineView;
  results?: Extract<HostMessage, { type: 'resultsPage' | 'resultsStatus' }>;
  /** The worker whose output is shown, and which failures' details are open (`index:attempt`). */
  worker?: string;
  expanded: string[];
}

interface WebviewApi {
  postMessage(message: PageMessage): void;
  getState(): SavedState | undefined;
  setState(state: SavedState): SavedState;
}

declare function acquireVsCodeApi(): WebviewApi;

/** VS Code allows one call per page load. */
export const vscodeApi: WebviewApi = acquireVsCodeApi();

export function post(message: PageMessage): void {
  vscodeApi.postMessage(message);
}
