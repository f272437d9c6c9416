/** Live counts: mini-batches done, failed and retried, items, throughput, elapsed, and a progress bar. */
import type { RunHeader } from '../../shared/protocol';
import { deriveCounts } from '../../shared/counts';
import { formatCount, formatDuration, formatRate } from '../format';
import { h } from '../dom';

export class ProgressView {
  readonly element: HTMLElement;
  private readonly bar = h('div', { class: 'progress', role: 'progressbar', 'aria-label': 'Mini-batches finished', 'aria-valuemin': 0 });
  private readonly fill = h('div', { class: 'progress-fill' });
  private readonly failedFill = h('div', { class: 'progress-fill failed' });
  private readonly values = {
    miniBatches: h('dd'),
    failed: h('dd'),
    retried: h('dd'),
    items: h('dd'),
    throughput: h('dd'),
    elapsed: h('dd'),
  };
  private run?: RunHeader;
  private receivedAt = 0;
  private ticker?: ReturnType<typeof setInterval>;

  constructor() {
    this.bar.append(this.fill, this.failedFill);
    const v = this.values;
    const stat = (label: string, value: HTMLElement, cls = ''): HTMLElement =>
      h('div', { class: `stat ${cls}` }, h('dt', {}, label), value);
    this.element = h(
      'section',
      { class: 'progress-section', 'aria-label': 'Progress' },
      this.bar,
      h(
        'dl',
        { class: 'stats' },
        stat('Mini-batches', v.miniBatches),
        stat('Failed', v.failed, 'stat-failed'),
        stat('Retried', v.retried),
        stat('Items', v.items),
        stat('Throughput', v.throughput),
        stat('Elapsed', v.elapsed),
      ),
    );
  }

  render(run: RunHeader): void {
    this.run = run;
    this.receivedAt = Date.now();
    // The same derived counts as the status bar and the runs view (src/shared/counts.ts).
    const c = run.counts ? deriveCounts(run.status, run.counts, run.workers) : undefined;
    const v = this.values;
    const total = c?.total ?? 0;
    const done = c?.finished ?? 0;
    this.bar.setAttribute('aria-valuemax', String(total));
    this.bar.setAttribute('aria-valuenow', String(done));
    this.bar.setAttribute('aria-valuetext', `${formatCount(done)} of ${formatCount(total)} mini-batches`);
    // CSSOM, not a style attribute: the CSP allows no inline styles.
    const failed = c?.failed ?? 0;
    this.fill.style.width = `${total > 0 ? (100 * (done - failed)) / total : run.status === 'Running' ? 0 : 100}%`;
    this.failedFill.style.width = `${total > 0 ? (100 * failed) / total : 0}%`;
    const extra = !c
      ? ''
      : c.running
        ? `, ${formatCount(c.running)} running`
        : c.notStarted
          ? `, ${formatCount(c.notStarted)} ${c.status === 'Canceled' ? 'canceled' : 'never started'}`
          : '';
    v.miniBatches.textContent = c ? `${formatCount(done)} / ${formatCount(total)} done${extra}` : '—';
    v.failed.textContent = c ? formatCount(c.failed) : '—';
    v.failed.parentElement?.classList.toggle('nonzero', failed > 0);
    v.retried.textContent = c ? formatCount(c.retried) : '—';
    v.items.textContent = c
      ? `${formatCount(c.items.succeeded)} ok${c.items.failed ? `, ${formatCount(c.items.failed)} failed` : ''}${c.items.total !== undefined ? ` of ${formatCount(c.items.total)}` : ''}`
      : '—';
    this.renderTime();
    // Between events the clock still runs.
    if (run.status === 'Running') this.ticker ??= setInterval(() => this.renderTime(), 1000);
    else if (this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  private renderTime(): void {
    const run = this.run;
    if (!run) return;
    const elapsed = run.elapsedMs + (run.status === 'Running' && run.counts ? Date.now() - this.receivedAt : 0);
    const items = run.counts ? run.counts.items.succeeded + run.counts.items.failed : 0;
    this.values.elapsed.textContent = formatDuration(elapsed);
    this.values.throughput.textContent = formatRate(items, run.elapsedMs);
  }
}
