/**
 * The run panel's page: builds its sections, restores what it showed before it was hidden, then follows
 * the host's messages (protocol.ts). It says `ready` once listening; the host answers with a snapshot.
 */
import type { HostMessage, PanelState, PipelineView } from '../shared/protocol';
import { applyDelta } from '../shared/panel-state';
import { post, vscodeApi, type SavedState } from './vscode-api';
import { CloudView } from './views/cloud';
import { FailuresView } from './views/failures';
import { HeaderView } from './views/header';
import { LogsView } from './views/logs';
import { PipelineSection } from './views/pipeline';
import { ProgressView } from './views/progress';
import { ResultsView } from './views/results';
import { WarningsView } from './views/warnings';

const saved: SavedState = vscodeApi.getState() ?? { expanded: [] };
const expanded = new Set(saved.expanded);
let state: PanelState | undefined = saved.state;
let results = saved.results;
let pipeline = saved.pipeline;

let saveTimer: ReturnType<typeof setTimeout> | undefined;
function save(): void {
  saveTimer ??= setTimeout(() => {
    saveTimer = undefined;
    vscodeApi.setState({ state, results, pipeline, worker: saved.worker, expanded: [...expanded] });
  }, 200);
}

const header = new HeaderView();
const cloud = new CloudView();
const progress = new ProgressView();
const failures = new FailuresView(expanded, save);
const resultsView = new ResultsView();
const logs = new LogsView(saved.worker, (worker) => {
  saved.worker = worker;
  save();
});
const warnings = new WarningsView();

const pipelineSection = new PipelineSection();

const app = document.getElementById('app')!;
const runSections = [
  header.element,
  cloud.element,
  progress.element,
  failures.element,
  resultsView.element,
  logs.element,
  warnings.element,
];
app.append(...runSections);

/** A pipeline panel shows the selected step below its steps: a parallel step's run view, or a command's output. */
function showPipeline(p: PipelineView): void {
  // Only a pipeline panel has the pipeline's sections (a single run's page has no second Cancel or Rerun).
  if (!pipelineSection.element.isConnected) app.prepend(pipelineSection.element, pipelineSection.commandElement);
  app.classList.add('pipeline-panel');
  const showsRun = pipelineSection.render(p);
  for (const section of runSections) section.classList.toggle('step-hidden', !showsRun);
}

/** A cloud job shows mini-batch counts once its follower reports some; before that the section would read 0 / 0. */
function showProgress(s: PanelState): void {
  progress.element.hidden = !!s.run.cloud && !s.run.counts?.miniBatches.total;
  progress.render(s.run);
}

function showAll(s: PanelState): void {
  resultsView.root = s.run.root;
  failures.setRun(s.run);
  failures.reset(s.failures, s.failuresOmitted);
  header.setFailures(failures.all);
  header.render(s.run);
  cloud.render(s.run.cloud);
  showProgress(s);
  logs.render(s.workers, s.logs);
  warnings.reset(s.warnings, s.warningsOmitted);
  app.setAttribute('aria-busy', 'false');
}

if (state) showAll(state);
if (pipeline) showPipeline(pipeline);
if (results) resultsView.show(results);

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'snapshot':
      state = message.state;
      showAll(state);
      break;
    case 'update': {
      if (!state) return; // an update before any snapshot has nothing to apply to; the snapshot follows
      const delta = message.delta;
      applyDelta(state, delta);
      if (delta.failures) failures.add(delta.failures);
      if (delta.failuresOmitted !== undefined) failures.setOmitted(state.failuresOmitted);
      if (delta.failures) header.setFailures(failures.all);
      if (delta.run) {
        failures.setRun(state.run);
        header.render(state.run);
        cloud.render(state.run.cloud);
        showProgress(state);
      }
      if (delta.workers || delta.logs) logs.render(state.workers, state.logs, new Set((delta.logs ?? []).map((l) => l.worker)));
      if (delta.warnings || delta.warningsOmitted !== undefined) warnings.add(delta.warnings ?? [], state.warningsOmitted);
      break;
    }
    case 'pipeline':
      pipeline = message.pipeline;
      showPipeline(pipeline);
      break;
    case 'history':
      header.setHistory(message.runs);
      return;
    case 'resultsPage':
    case 'resultsStatus':
      results = message;
      resultsView.show(message);
      break;
  }
  save();
});

post({ type: 'ready' });
