/** A tiny XML writer for CFDIs: elements as nested arrays, attributes in the order given. */

/** An element: its qualified name, its attributes (undefined ones are left out) and its children. */
export interface XmlNode {
  name: string;
  attrs: Record<string, string | undefined>;
  children?: XmlNode[];
}

export function el(name: string, attrs: Record<string, string | undefined>, children?: XmlNode[]): XmlNode {
  return { name, attrs, children };
}

/** Escapes text for a double-quoted attribute value. */
export function escapeAttr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The element as indented text, one element a line. */
export function render(node: XmlNode, indent = ''): string {
  const attrs = Object.entries(node.attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeAttr(v!)}"`)
    .join('');
  if (!node.children?.length) return `${indent}<${node.name}${attrs}/>\n`;
  const inner = node.children.map((c) => render(c, indent + '  ')).join('');
  return `${indent}<${node.name}${attrs}>\n${inner}${indent}</${node.name}>\n`;
}

/** A whole document: the declaration and the root. */
export function xmlDocument(root: XmlNode): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${render(root)}`;
}
