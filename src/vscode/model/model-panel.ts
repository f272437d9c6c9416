/** The model view: one webview panel per model file, showing its inspection and the latest preview. */
import * as vscode from 'vscode';
import type { ModelInfo, PreviewResult } from '../../core/scaffold/onnx';
import { makeNonce } from '../panel/html';
import { MODEL_COMMAND } from './ids';
import { renderModelView } from './view-html';

export class ModelPanel {
  static readonly viewType = 'parallelRun.model';
  private static readonly open = new Map<string, ModelPanel>();
  private preview: { result: PreviewResult; folder: string; labelsFromNames: boolean } | undefined;

  /** Shows the panel for `info.file`, reusing an open one. */
  static show(info: ModelInfo): ModelPanel {
    const existing = ModelPanel.open.get(info.file);
    if (existing) {
      existing.info = info;
      existing.panel.reveal(undefined, true);
      existing.render();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      ModelPanel.viewType,
      `Model: ${info.file.split(/[\\/]/).pop()}`,
      { viewColumn: vscode.ViewColumn.Active },
      {
        enableScripts: false,
        // No script runs in the page; its only links run these two commands, on this model.
        enableCommandUris: [MODEL_COMMAND.newEntryScriptFromModel, MODEL_COMMAND.previewModel],
        localResourceRoots: [],
      },
    );
    const created = new ModelPanel(panel, info);
    ModelPanel.open.set(info.file, created);
    panel.onDidDispose(() => ModelPanel.open.delete(info.file));
    created.render();
    return created;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private info: ModelInfo,
  ) {}

  showPreview(result: PreviewResult, folder: string, labelsFromNames: boolean): void {
    this.preview = { result, folder, labelsFromNames };
    this.render();
  }

  private render(): void {
    const arg = encodeURIComponent(JSON.stringify([vscode.Uri.file(this.info.file).toString()]));
    this.panel.webview.html = renderModelView({
      nonce: makeNonce(),
      info: this.info,
      preview: this.preview,
      generateHref: `command:${MODEL_COMMAND.newEntryScriptFromModel}?${arg}`,
      previewHref: `command:${MODEL_COMMAND.previewModel}?${arg}`,
    });
  }
}
