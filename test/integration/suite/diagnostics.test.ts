/** Problems in a pipeline YAML show as diagnostics on the line and column at fault, and go once fixed. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { note, test } from './harness';
import { activeExtension, closeEditors, errorsOf, waitFor, workspaceUri, writeFiles } from './helpers';

const BAD = 'mini_batch_size: many';

/**
 * The digits pipeline with one mistake, next to the original so its relative paths still resolve. Removed after
 * each test: a second spec naming digit_identification.py would make "Run locally" on the script ask which one.
 */
async function withBroken(fn: (broken: { uri: vscode.Uri; line: number }) => Promise<void>): Promise<void> {
  await activeExtension();
  const text = fs.readFileSync(workspaceUri('pipeline.yml').fsPath, 'utf8').replace(/mini_batch_size: .*/, BAD);
  const [file] = writeFiles({ 'broken-pipeline.yml': text });
  try {
    await fn({ uri: vscode.Uri.file(file), line: text.split('\n').findIndex((l) => l.includes(BAD)) });
  } finally {
    await closeEditors();
    fs.rmSync(file, { force: true });
  }
}

test('marks a mini_batch_size that is not a size as an error at its value', () =>
  withBroken(async ({ uri, line }) => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const errors = await waitFor(
      () => (errorsOf(uri).length ? errorsOf(uri) : undefined),
      15_000,
      'an error diagnostic on broken-pipeline.yml',
    );
    const d = errors.find((e) => e.range.start.line === line);
    assert.ok(d, `no error on line ${line + 1}; errors: ${JSON.stringify(errors.map((e) => [e.range.start.line + 1, e.message]))}`);
    assert.strictEqual(d.range.start.character, 21, 'the range starts at the value "many"');
    assert.strictEqual(d.range.end.character, 25, 'the range ends after "many"');
    assert.match(d.message, /"many" is not a size/);
    note(`${d.source ?? '(no source)'} ${typeof d.code === 'object' ? d.code.value : (d.code ?? '')}: ${d.message.split('\n')[0]}`);
  }));

test('clears the error once the YAML is fixed and saved', () =>
  withBroken(async ({ uri, line }) => {
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    await waitFor(() => errorsOf(uri).length > 0, 15_000, 'the error to show first');
    const edit = new vscode.WorkspaceEdit();
    const at = doc.lineAt(line).text.indexOf('many');
    edit.replace(uri, new vscode.Range(line, at, line, at + 4), '5');
    assert.ok(await vscode.workspace.applyEdit(edit), 'edit applied');
    assert.ok(await doc.save(), 'saved');
    await waitFor(
      () => errorsOf(uri).length === 0,
      15_000,
      `errors to clear; still ${JSON.stringify(errorsOf(uri).map((e) => e.message))}`,
    );
  }));

test('reports no error on the valid digits pipeline', () =>
  withBroken(async ({ uri: broken }) => {
    const good = workspaceUri('pipeline.yml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(good));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(broken));
    // Once the broken file has its error, the checker has had its chance at the good one too.
    await waitFor(() => errorsOf(broken).length > 0, 15_000, 'the broken file to be checked');
    await new Promise((r) => setTimeout(r, 500));
    assert.deepStrictEqual(
      vscode.languages.getDiagnostics(good).map((d) => d.message),
      [],
    );
  }));
