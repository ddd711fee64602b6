/** What a file's first bytes say it is, whatever its name says. */
export type FileKind = 'zip' | 'ole' | 'pdf';

const starts = (head: Buffer, bytes: number[]) => bytes.every((b, i) => head[i] === b);

/** The kind of file its first bytes show, when it is one an export is often confused with. */
export function kindOf(head: Buffer): FileKind | undefined {
  if (starts(head, [0x50, 0x4b, 0x03, 0x04]) || starts(head, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  // The compound-file header of Excel 97-2003 workbooks, and of password-protected .xlsx ones.
  if (starts(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'ole';
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  return undefined;
}

/** Why a file of `kind` cannot be read as the format its name gives. */
export const KIND_MESSAGE: Record<FileKind, string> = {
  zip: 'a zip archive (an Excel workbook?), not a text file: if it is a workbook, name it .xlsx',
  ole: 'an Excel 97-2003 workbook (.xls) or a password-protected one: save it as .xlsx (without a password)',
  pdf: 'a PDF document, not an export',
};
