/** The Submit flow's questions as VS Code quick picks and input boxes (./flow.ts asks them in order). */
import * as vscode from 'vscode';
import { miniBatchSizeProblem, nodesProblem, type SubmitPrompter } from './flow';

export const SUBMIT_LABEL = '$(cloud-upload) Submit';
export const CHANGE_LABEL = '$(settings-gear) Change nodes or mini-batch size…';

export const quickPickPrompter: SubmitPrompter = {
  async pickCompute(choices, ws) {
    const picked = await vscode.window.showQuickPick(
      choices.map((c) => ({
        label: c.name,
        description: c.description,
        detail: c.preselected ? 'The compute the spec names' : undefined,
        name: c.name,
      })),
      { title: `Compute cluster in ${ws.workspace}`, placeHolder: 'Which AmlCompute cluster runs the job?', ignoreFocusOut: true },
    );
    return picked?.name;
  },

  async confirm(screen) {
    type Item = vscode.QuickPickItem & { choice?: 'submit' | 'change' };
    const items: Item[] = [
      { label: SUBMIT_LABEL, description: screen.summary, choice: 'submit' },
      { label: CHANGE_LABEL, description: 'and see the estimate again', choice: 'change' },
    ];
    if (screen.assumptions.length) {
      items.push({ label: 'What the estimate assumes', kind: vscode.QuickPickItemKind.Separator });
      for (const a of screen.assumptions) items.push({ label: `$(info) ${a}` });
    }
    // Picking an assumption only reads it: ask again.
    for (;;) {
      const picked = await vscode.window.showQuickPick(items, {
        title: screen.title,
        placeHolder: screen.summary,
        ignoreFocusOut: true,
        matchOnDescription: true,
      });
      if (!picked) return undefined;
      if (picked.choice) return picked.choice;
    }
  },

  async askChanges(current) {
    const nodes = await vscode.window.showInputBox({
      title: 'Nodes (resources.instance_count)',
      prompt: 'How many nodes of the cluster run the job',
      value: String(current.nodes),
      validateInput: nodesProblem,
      ignoreFocusOut: true,
    });
    if (nodes === undefined) return undefined;
    const miniBatchSize = await vscode.window.showInputBox({
      title: 'Mini-batch size (mini_batch_size)',
      prompt: 'Files per mini-batch, or for tabular data a size such as 10mb',
      value: current.miniBatchSize,
      validateInput: miniBatchSizeProblem,
      ignoreFocusOut: true,
    });
    if (miniBatchSize === undefined) return undefined;
    return { nodes: Number(nodes.trim()), miniBatchSize: miniBatchSize.trim() };
  },
};
