/** The order steps run in: each after the steps whose outputs it reads, otherwise in file order. */
import type { PipelineNode } from '../spec/types';

/** Node names in an order where every node comes after its `needs`; file order breaks ties. */
export function runOrder(nodes: readonly PipelineNode[]): string[] {
  const names = new Set(nodes.map((n) => n.name));
  const done = new Set<string>();
  const order: string[] = [];
  while (order.length < nodes.length) {
    const next = nodes.find((n) => !done.has(n.name) && n.needs.every((need) => done.has(need) || !names.has(need)));
    // A cycle is a spec error (reported by the reader); never loop on one here.
    if (!next)
      throw new Error(
        `Steps wait for each other in a circle: ${nodes
          .filter((n) => !done.has(n.name))
          .map((n) => n.name)
          .join(', ')}.`,
      );
    done.add(next.name);
    order.push(next.name);
  }
  return order;
}

/** Every node that reads, directly or through others, an output of `name`. */
export function dependantsOf(nodes: readonly PipelineNode[], name: string): string[] {
  const found = new Set<string>();
  const visit = (target: string): void => {
    for (const n of nodes) {
      if (n.needs.includes(target) && !found.has(n.name)) {
        found.add(n.name);
        visit(n.name);
      }
    }
  };
  visit(name);
  return nodes.filter((n) => found.has(n.name)).map((n) => n.name);
}
