/**
 * Where scores and the call list are written: `main` (a warehouse without publications, as in the
 * risk tests), or the unpublished schema of the publication the pipeline is preparing. Only those
 * names pass, since the name is spliced into SQL.
 */
export function targetSchema(into: string | undefined): string {
  const schema = into ?? 'main';
  if (!/^(main|cartera_(build|score)_\d+)$/.test(schema)) throw new Error(`risk: cannot write scores into schema '${schema}'`);
  return schema;
}
