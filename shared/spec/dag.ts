/** Step order from data bindings: a topological order (ties in document order) and cycle detection. */

export interface DagNode {
  name: string;
  dependsOn: string[];
}

/** Every cycle (as a closed walk `a -> b -> a`), one per strongly connected group of steps. */
export function findCycles(nodes: DagNode[]): string[][] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (name: string): void => {
    index.set(name, counter);
    low.set(name, counter++);
    stack.push(name);
    onStack.add(name);
    for (const dep of byName.get(name)?.dependsOn ?? []) {
      if (!byName.has(dep)) continue;
      if (!index.has(dep)) {
        visit(dep);
        low.set(name, Math.min(low.get(name)!, low.get(dep)!));
      } else if (onStack.has(dep)) low.set(name, Math.min(low.get(name)!, index.get(dep)!));
    }
    if (low.get(name) === index.get(name)) {
      const group: string[] = [];
      let top: string;
      do {
        top = stack.pop()!;
        onStack.delete(top);
        group.push(top);
      } while (top !== name);
      const selfLoop = byName.get(name)!.dependsOn.includes(name);
      if (group.length > 1 || selfLoop) cycles.push(walkCycle(group, byName));
    }
  };
  for (const n of nodes) if (!index.has(n.name)) visit(n.name);
  const order = new Map(nodes.map((n, i) => [n.name, i]));
  return cycles.sort((a, b) => order.get(a[0]!)! - order.get(b[0]!)!);
}

/** A readable cycle through a strongly connected group, starting at its first step in document order. */
function walkCycle(group: string[], byName: Map<string, DagNode>): string[] {
  const members = new Set(group);
  const docOrder = [...byName.keys()].filter((n) => members.has(n));
  const start = docOrder[0]!;
  // The edge "a depends on b" means b runs first; walk dependencies until we come back to start.
  const path = [start];
  const seen = new Set([start]);
  let current = start;
  for (;;) {
    const deps = byName.get(current)!.dependsOn.filter((d) => members.has(d));
    const next = deps.includes(start) ? start : deps.find((d) => !seen.has(d)) ?? deps[0]!;
    path.push(next);
    if (next === start || seen.has(next)) break;
    seen.add(next);
    current = next;
  }
  return path;
}

/** Kahn's algorithm; among ready steps the one first in the document goes first. */
export function topologicalOrder<T extends DagNode>(nodes: T[]): T[] {
  const remaining = new Map(nodes.map((n) => [n.name, new Set(n.dependsOn.filter((d) => d !== n.name && nodes.some((m) => m.name === d)))]));
  const out: T[] = [];
  while (out.length < nodes.length) {
    const ready = nodes.find((n) => remaining.has(n.name) && remaining.get(n.name)!.size === 0);
    if (!ready) break;
    out.push(ready);
    remaining.delete(ready.name);
    for (const deps of remaining.values()) deps.delete(ready.name);
  }
  return out;
}
