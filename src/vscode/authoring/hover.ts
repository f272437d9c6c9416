/** Hovers in parallel specs: each field's meaning, default and v1 name, and the driver's options. */
import * as vscode from 'vscode';
import { fieldAt, hoverMarkdown } from './field-at';
import { isParallelSpecText } from './spec-text';

export class SpecHoverProvider implements vscode.HoverProvider {
  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const text = doc.getText();
    if (!isParallelSpecText(text)) return undefined;
    const hit = fieldAt(text, doc.offsetAt(position));
    if (!hit) return undefined;
    return new vscode.Hover(
      new vscode.MarkdownString(hoverMarkdown(hit)),
      new vscode.Range(doc.positionAt(hit.start), doc.positionAt(hit.end)),
    );
  }
}
