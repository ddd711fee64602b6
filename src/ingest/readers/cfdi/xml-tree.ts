/**
 * One CFDI file's elements as a small namespaced tree, read with saxes (strict, namespace-aware).
 * Conceptos are skipped as they stream past: receivables need none of their lines, and they are
 * most of a large invoice.
 */
import { SaxesParser } from 'saxes';
import { CfdiError } from './types.ts';

export interface XmlElement {
  uri: string;
  local: string;
  /** The qualified name as written, for messages. */
  name: string;
  /** Attributes without a namespace (every CFDI data attribute), by local name. */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The line its start tag ends on (1-based), for provenance. */
  line: number;
}

const SKIP = new Set(['Conceptos', 'Addenda']);

/** Parse the text of one XML file; malformed XML is a CfdiError naming the file and position. */
export function readXmlTree(text: string, file: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true, fileName: file });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const open: string[] = []; // every open element's name, skipped ones too, for error messages
  let skipDepth = 0;
  let failure: Error | null = null;
  parser.on('error', (e) => {
    failure ??= e;
  });
  parser.on('opentag', (tag) => {
    open.push(tag.name);
    if (skipDepth > 0) {
      skipDepth++;
      return;
    }
    const attrs: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) if (!a.uri) attrs[a.local] = a.value;
    const el: XmlElement = { uri: tag.uri, local: tag.local, name: tag.name, attrs, children: [], line: parser.line };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root ??= el;
    // saxes sends closetag for self-closing tags too, so every open is balanced by a close.
    if (parent && SKIP.has(tag.local)) skipDepth = 1;
    else stack.push(el);
  });
  parser.on('closetag', () => {
    open.pop();
    if (skipDepth > 0) skipDepth--;
    else stack.pop();
  });
  try {
    parser.write(text.replace(/^\uFEFF/, '')).close();
  } catch (e) {
    failure ??= e as Error;
  }
  if (failure) {
    throw new CfdiError('malformed-xml', file, open[open.length - 1] ?? null, `malformed XML: ${failure.message}`);
  }
  if (!root) throw new CfdiError('malformed-xml', file, null, 'malformed XML: no root element');
  return root;
}

/** Children of `el` in namespace `uri` named `local`. */
export function childrenOf(el: XmlElement, uri: string, local: string): XmlElement[] {
  return el.children.filter((c) => c.uri === uri && c.local === local);
}

export function childOf(el: XmlElement, uri: string, local: string): XmlElement | undefined {
  return el.children.find((c) => c.uri === uri && c.local === local);
}
