/**
 * The Azure ML view's logic, bundled on its own (dist/azure-tree.js) and loaded the first time the view shows
 * or an Azure command runs, so activation parses none of it. Load it through ./view.ts's `treeHalf()`.
 */
export { TreeModel } from '../tree/framework/tree-model';
export { toTreeItem } from '../tree/framework/provider';
export { Clients } from './access';
export { credentialFor, isSignedIn, signIn } from './auth';
export { cloudFromSettings } from './cloud';
export { azureApi } from './load';
export { azureRoots, listSubscriptions, SubscriptionNode } from './nodes';
export { filterFromPick, readSubscriptionFilter, subscriptionPickItems } from './subscription-filter';
export { runTreeAction } from './actions/run';
export { vscodeActionUi } from './actions/vscode-ui';
export { downloadResultsCommand, compareWithLocalCommand, resubmitCommand, jobTargetOf } from './results/job-results';
export { JobStatusPoller } from './job-status-poller';
export { showJobLogsCommand, jobLogsTargetOf } from './logs/show-job-logs';
export { updateJobRows, jobsFolderOf, tenantOfWorkspace, computeOfRow, jobOfRow } from './submit/tree-rows';
