// Validates AsyncAPI documents with the AsyncAPI initiative's parser (its schema and its Spectral
// ruleset). Prints one line per finding; exits 1 when any is an error, or when the document does
// not parse into a model.
//
//     node tools/asyncapi/validate.mjs contracts/asyncapi.json
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Parser, fromFile } from '@asyncapi/parser';

const SEVERITY = ['error', 'warning', 'info', 'hint'];
const parser = new Parser();
let failed = false;
for (const path of process.argv.slice(2)) {
  await readFile(path); // a missing file is an error of its own, not an empty document
  const { document, diagnostics } = await fromFile(parser, resolve(path)).parse();
  for (const d of diagnostics) {
    const where = d.path.join('/') || '(document)';
    console.log(`${path}: ${SEVERITY[d.severity]} ${d.code} at ${where}: ${d.message}`);
    failed ||= d.severity === 0;
  }
  if (!document) {
    console.log(`${path}: error: not a valid AsyncAPI document`);
    failed = true;
  } else {
    console.log(`${path}: AsyncAPI ${document.version()}, ${document.channels().length} channels, ${document.messages().length} messages`);
  }
}
process.exit(failed ? 1 : 0);
