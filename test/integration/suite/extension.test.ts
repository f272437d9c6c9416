/** The extension loads in a real VS Code and contributes what its manifest promises. */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { test } from './harness';
import { activeExtension, COMMANDS, EXTENSION_ID } from './helpers';

interface Manifest {
  contributes?: {
    commands?: { command: string; title: string; category?: string }[];
    views?: Record<string, { id: string; name: string }[]>;
  };
  capabilities?: { untrustedWorkspaces?: { supported: boolean | 'limited'; description?: string } };
}

test('activates without an error', async () => {
  const ext = await activeExtension();
  assert.strictEqual(ext.isActive, true);
  assert.strictEqual(ext.id, EXTENSION_ID);
});

test('registers every command it contributes', async () => {
  await activeExtension();
  const registered = new Set(await vscode.commands.getCommands(true));
  const missing = COMMANDS.filter((c) => !registered.has(c));
  assert.deepStrictEqual(missing, [], `commands not registered after activation: ${missing.join(', ')}`);
});

test('lists its commands in the palette under the category "Parallel Run"', () => {
  const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as Manifest;
  const contributed = new Map((manifest.contributes?.commands ?? []).map((c) => [c.command, c]));
  for (const id of COMMANDS) {
    assert.ok(contributed.has(id), `package.json contributes.commands lacks ${id}`);
    assert.strictEqual(contributed.get(id)!.category, 'Parallel Run', `${id} category`);
  }
});

test('contributes the "Local runs" view', () => {
  const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as Manifest;
  const views = Object.values(manifest.contributes?.views ?? {}).flat();
  const view = views.find((v) => v.id === 'parallelRun.localRuns');
  assert.ok(view, `no view parallelRun.localRuns among ${views.map((v) => v.id).join(', ') || 'none'}`);
  assert.match(view.name, /local runs/i);
});

test('says how it behaves in an untrusted workspace', () => {
  const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as Manifest;
  const trust = manifest.capabilities?.untrustedWorkspaces;
  assert.ok(trust, 'package.json has no capabilities.untrustedWorkspaces');
  if (trust.supported !== true)
    assert.ok(trust.description && trust.description.length > 10, 'untrustedWorkspaces needs a description saying why');
});

test('opens the Local runs view and refreshes it', async () => {
  await activeExtension();
  // `<view id>.focus` exists only for a view the workbench knows; it opens its container.
  await vscode.commands.executeCommand('parallelRun.localRuns.focus');
  await vscode.commands.executeCommand('parallelRun.refreshLocalRuns');
});

test('shows its output channel', async () => {
  await activeExtension();
  await vscode.commands.executeCommand('parallelRun.showOutput');
});
