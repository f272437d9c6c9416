/**
 * An Azure ML job's own strip above the run view: the job and workspace, the service's status word, the
 * timeline of its changes, the first real error, "Open in Studio", and the estimate next to what it took.
 */
import type { CloudJobHeader } from '../../shared/protocol';
import { button, h, replaceChildren } from '../dom';
import { formatDuration } from '../format';
import { post } from '../vscode-api';

const time = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
};

const hours = (n: number) => (n < 0.01 ? n.toPrecision(2) : n.toFixed(3));

export class CloudView {
  readonly element: HTMLElement;
  private readonly title = h('p', { class: 'cloud-title' });
  private readonly timeline = h('ol', { class: 'cloud-timeline', 'aria-label': 'Status timeline' });
  private readonly error = h('p', { class: 'cloud-error', role: 'alert', hidden: true });
  private readonly compare = h('p', { class: 'cloud-compare', hidden: true });
  private readonly studio = button('Open in Studio', () => post({ type: 'action', action: { kind: 'openStudio' } }), {
    class: 'secondary',
    title: 'Open this job in Azure ML studio',
  });

  private readonly resubmit = button('Resubmit with…', () => post({ type: 'action', action: { kind: 'resubmitWith' } }), {
    class: 'secondary cloud-resubmit',
    title: 'Submit this job again with other data inputs or parameters (mini_batch_size, nodes, processes…), without editing the YAML',
  });
  private readonly compareLocal = button('Compare with Local Run', () => post({ type: 'action', action: { kind: 'compareWithLocal' } }), {
    class: 'secondary cloud-compare-local',
  });
  private readonly logs = button('Job Logs…', () => post({ type: 'action', action: { kind: 'showJobLogs' } }), {
    class: 'secondary cloud-logs',
    title: "Open one of the job's log files: each process's stdout, stderr and entry script log, job_result.txt, the system logs",
  });

  constructor() {
    this.element = h(
      'section',
      { class: 'cloud-section', 'aria-label': 'Azure ML job', hidden: true },
      h(
        'div',
        { class: 'cloud-row' },
        this.title,
        h(
          'div',
          { class: 'actions', role: 'toolbar', 'aria-label': 'Azure ML job actions' },
          this.logs,
          this.compareLocal,
          this.resubmit,
          this.studio,
        ),
      ),
      this.timeline,
      this.error,
      this.compare,
    );
  }

  render(cloud: CloudJobHeader | undefined): void {
    this.element.hidden = !cloud;
    if (!cloud) return;
    replaceChildren(
      this.title,
      'Azure ML job ',
      h('code', {}, cloud.jobName),
      ' in workspace ',
      h('code', {}, cloud.workspace),
      ' · ',
      h('strong', { class: 'cloud-status' }, cloud.status),
    );
    this.studio.disabled = !cloud.studioUrl;
    const completed = cloud.status === 'Completed';
    this.compareLocal.disabled = !completed;
    this.compareLocal.title = completed
      ? "Compare this job's rows with the last local run of the same step (rows that differ, by the row's key)"
      : 'Available once the job has completed.';
    replaceChildren(
      this.timeline,
      ...cloud.timeline.map((t) =>
        h('li', {}, h('span', { class: 'cloud-step' }, t.status), ' ', h('time', { datetime: t.at }, time(t.at))),
      ),
    );
    this.error.hidden = !cloud.error;
    const e = cloud.error;
    // The file it names opens (the host knows which: the user's line here, else the job's log it came from).
    const where = e?.file ? (e.line ? `${e.file}:${e.line}` : e.file) : undefined;
    const opens = !!e && ((!!e.line && !!e.file) || !!e.logFile);
    replaceChildren(
      this.error,
      e ? e.message : '',
      where
        ? opens
          ? h(
              'span',
              { class: 'meta' },
              ' (',
              button(where, () => post({ type: 'action', action: { kind: 'openJobError' } }), {
                class: 'link cloud-error-file',
                title: e?.line ? `Open ${where}` : `Open ${where} of the job${e?.step ? ` (step ${e.step})` : ''}`,
              }),
              ')',
            )
          : h('span', { class: 'meta' }, ` (${where})`)
        : null,
    );
    const est = cloud.estimate;
    const a = cloud.actual;
    this.compare.hidden = !est && !a;
    replaceChildren(
      this.compare,
      est
        ? `Estimate: ${formatDuration(est.wallSeconds * 1000)} wall time, ${hours(est.nodeHours)} node-hours${est.cost !== undefined ? `, cost ${est.cost.toFixed(2)}` : ''}`
        : 'No estimate was made for this job',
      a
        ? ` · Actual: ${formatDuration(a.wallSeconds * 1000)} ${cloud.timeline.some((t) => t.status === 'Running') ? 'from Running' : 'from submission'} to ${cloud.status}, ${hours(a.nodeHours)} node-hours${a.cost !== undefined ? `, cost ${a.cost.toFixed(2)}` : ''}`
        : ' · Actual: when the job ends',
    );
  }
}
