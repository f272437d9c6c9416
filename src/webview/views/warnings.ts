/** Warnings the engine raised (long returns, list elements with newlines, …). */
import { h, replaceChildren } from '../dom';
import { plural } from '../format';

export class WarningsView {
  readonly element: HTMLElement;
  private readonly list = h('ul', { class: 'warnings' });
  private readonly omitted = h('p', { class: 'note', hidden: true });

  constructor() {
    this.element = h(
      'section',
      { class: 'warnings-section', 'aria-labelledby': 'warnings-heading', hidden: true },
      h('h2', { id: 'warnings-heading' }, 'Warnings'),
      this.list,
      this.omitted,
    );
  }

  reset(warnings: string[], omitted: number): void {
    replaceChildren(this.list);
    this.add(warnings, omitted);
  }

  add(warnings: string[], omitted: number): void {
    for (const w of warnings) this.list.appendChild(h('li', {}, w));
    this.omitted.hidden = omitted === 0;
    this.omitted.textContent = `${plural(omitted, 'more warning')} in logs/sys/master_role.txt.`;
    this.element.hidden = this.list.childElementCount === 0 && omitted === 0;
  }
}
