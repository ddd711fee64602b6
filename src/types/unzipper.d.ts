// The one entry point of unzipper (ExcelJS's own zip reader) that Cartera calls: the XLSX reader
// takes a workbook's parts from the zip's central directory (src/ingest/readers/xlsx-parts.ts).
declare module 'unzipper' {
  const unzipper: {
    Open: { file(path: string): Promise<{ files: { path: string; type: 'File' | 'Directory'; stream(): NodeJS.ReadableStream; buffer(): Promise<Buffer> }[] }> };
  };
  export default unzipper;
}
