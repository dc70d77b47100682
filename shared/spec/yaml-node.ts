/**
 * YAML 1.1 documents (as `az ml` reads them) with a source position for every node, so each
 * problem can name file:line:column and the field path.
 */
import { Document, isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type ScalarTag, type Tags } from 'yaml';
import type { SourceLocation } from './plan';
import type { Problems } from './problems';

interface YamlSource {
  file: string;
  /** The document, to resolve aliases (`*name`) to their anchored nodes. */
  doc?: Document;
  lineCounter?: LineCounter;
  /** Where problems point when a node has no source position (documents built from objects). */
  fallback?: SourceLocation;
}

export type YKind = 'map' | 'seq' | 'scalar' | 'null';

/** A node of a parsed document, with its field path and a way to locate it. */
export class YNode {
  readonly node: Node | null;

  constructor(
    private readonly src: YamlSource,
    node: Node | null,
    readonly path: string,
    private readonly keyNode?: Node,
  ) {
    this.node = isAlias(node) && src.doc ? ((node.resolve(src.doc) as Node | undefined) ?? null) : node;
  }

  get file(): string {
    return this.src.file;
  }

  get kind(): YKind {
    const n = this.node;
    if (n === null) return 'null';
    if (isMap(n)) return 'map';
    if (isSeq(n)) return 'seq';
    if (isScalar(n)) return n.value === null ? 'null' : 'scalar';
    return 'scalar';
  }

  /** The scalar's value (YAML 1.1 typed: numbers, booleans, strings), undefined for collections. */
  get value(): unknown {
    return isScalar(this.node) ? this.node.value : undefined;
  }

  /** 1-based position of the value; of the key when the value is empty. */
  get loc(): SourceLocation {
    const own = this.offsetOf(this.node, true);
    const offset = own ?? this.offsetOf(this.keyNode ?? null, false);
    const lc = this.src.lineCounter;
    if (offset === undefined || !lc) {
      const fb = this.src.fallback;
      return { file: fb?.file ?? this.src.file, line: fb?.line ?? 1, column: fb?.column ?? 1, path: this.path };
    }
    const pos = lc.linePos(offset);
    return { file: this.src.file, line: pos.line, column: pos.col, path: this.path };
  }

  /** Position of the key of a map entry (unknown keys are reported there); the value's otherwise. */
  get keyLoc(): SourceLocation {
    const offset = this.offsetOf(this.keyNode ?? null, false);
    const lc = this.src.lineCounter;
    if (offset === undefined || !lc) return this.loc;
    const pos = lc.linePos(offset);
    return { file: this.src.file, line: pos.line, column: pos.col, path: this.path };
  }

  private offsetOf(n: Node | null, requireContent: boolean): number | undefined {
    if (!n?.range) return undefined;
    const [start, end] = n.range;
    if (requireContent && isScalar(n) && n.value === null && end <= start) return undefined;
    return start;
  }

  child(key: string, node: Node | null, keyNode?: Node): YNode {
    return new YNode(this.src, node, this.path ? `${this.path}.${key}` : key, keyNode);
  }

  /** Map entries in document order (keys as strings); YAML 1.1 merge keys (`<<: *base`) are expanded, explicit keys win. */
  entries(): [string, YNode][] {
    if (!isMap(this.node)) return [];
    const own: [string, YNode][] = [];
    const merged: [string, YNode][] = [];
    for (const pair of this.node.items) {
      const keyNode = pair.key as Node | null;
      const valueNode = (pair.value as Node | null) ?? null;
      if (isScalar(keyNode) && typeof keyNode.value === 'symbol') {
        const sources = isSeq(valueNode) ? (valueNode.items as Node[]) : [valueNode];
        for (const source of sources) merged.push(...new YNode(this.src, source, this.path).entries());
        continue;
      }
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      own.push([key, this.child(key, valueNode, keyNode ?? undefined)]);
    }
    if (merged.length === 0) return own;
    const ownKeys = new Set(own.map(([k]) => k));
    const seen = new Set<string>();
    const fromMerge = merged.filter(([k]) => !ownKeys.has(k) && !seen.has(k) && seen.add(k));
    return [...fromMerge, ...own];
  }

  /** A map entry as a node; also returned (as kind `null`) when present with an empty value. */
  get(key: string): YNode | undefined {
    return this.entries().find(([k]) => k === key)?.[1];
  }

  items(): YNode[] {
    if (!isSeq(this.node)) return [];
    return this.node.items.map((n, i) => new YNode(this.src, (n as Node | null) ?? null, `${this.path}[${i}]`));
  }

  toJS(): unknown {
    if (this.node === null) return null;
    return this.src.doc ? this.node.toJS(this.src.doc) : this.node.toJSON();
  }
}

const BOOL_TAG = 'tag:yaml.org,2002:bool';

/**
 * YAML 1.1 booleans as PyYAML (which `az ml` uses) reads them: yes/no/true/false/on/off in three
 * casings, but not `y`/`n`, so an input named `n` stays a string key.
 */
const pyyamlBool: ScalarTag = {
  identify: (v) => typeof v === 'boolean',
  default: true,
  tag: BOOL_TAG,
  test: /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  resolve: (str) => /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/.test(str),
};

/** PyYAML reads a lone `.` (as in `code: .`) as a string; the 1.1 float pattern here would make it NaN. */
const dotString: ScalarTag = {
  identify: () => false,
  default: true,
  tag: 'tag:yaml.org,2002:str',
  test: /^\.$/,
  resolve: (str) => str,
};

const customTags = (tags: Tags): Tags => [pyyamlBool, dotString, ...tags.filter((t) => (t as { tag?: string }).tag !== BOOL_TAG)];

export interface ParsedYaml {
  root: YNode;
  text: string;
}

/** Parses one YAML 1.1 file; syntax errors (and duplicate keys) become `yaml_syntax` problems. */
export function parseYaml(file: string, text: string, problems: Problems): ParsedYaml | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { version: '1.1', customTags, lineCounter, prettyErrors: false, uniqueKeys: true });
  const errors = [...doc.errors];
  if (errors.length > 0) {
    for (const err of errors) {
      const pos = lineCounter.linePos(err.pos[0]);
      const reason = err.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? err.message;
      problems.add({ file, line: pos.line, column: pos.col, path: '' }, 'yaml_syntax', `YAML syntax error: ${reason}`);
    }
    return undefined;
  }
  const root = new YNode({ file, lineCounter, doc }, (doc.contents as Node | null) ?? null, '');
  return { root, text };
}

/** A YNode over a plain object (a registered component from a registry): located at `fallback`, field paths under it. */
export function nodeFromObject(value: unknown, label: string, fallback: SourceLocation): YNode {
  const doc = new Document(value, { version: '1.1', customTags });
  return new YNode({ file: label, fallback }, (doc.contents as Node | null) ?? null, fallback.path);
}

