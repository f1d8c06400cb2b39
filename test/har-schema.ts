/**
 * Validates a HAR document against the HAR 1.2 JSON schema of the `har-schema` package (draft-06),
 * with ajv. The package's non-standard keywords are given their intended meaning: `min` is enforced
 * as a minimum (timings ≥ -1, time ≥ 0); `optional` and `unique` are annotations. One slip of the
 * package is fixed: postData.params puts the param object's `required`/`properties` on the array
 * itself (so they would check nothing); here they apply to its items, as the HAR 1.2 spec says.
 */
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import schemas from 'har-schema';

function createValidator() {
  // strictTypes off: several of the package's schemas use `required` without `type: "object"`.
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, meta: true });
  ajv.addMetaSchema(draft06);
  addFormats(ajv);
  ajv.addKeyword({
    keyword: 'min',
    type: 'number',
    schemaType: 'number',
    validate: (min: number, data: number) => data >= min,
    errors: false,
  });
  ajv.addKeyword({ keyword: 'optional', schemaType: 'boolean' });
  ajv.addKeyword({ keyword: 'unique', schemaType: 'boolean' });
  for (const [name, schema] of Object.entries(schemas))
    if (name !== 'har') ajv.addSchema(name === 'postData' ? fixPostData(schema) : schema);
  return ajv.compile(schemas.har);
}

function fixPostData(schema: object): object {
  const copy = structuredClone(schema) as { properties: { params: Record<string, unknown> } };
  const { required, properties, ...array } = copy.properties.params;
  copy.properties.params = { ...array, items: { type: 'object', required, properties } };
  return copy;
}

let validate: ReturnType<typeof createValidator> | undefined;

/** The schema errors of `har` (a parsed JSON value), as readable lines; empty when valid. */
export function harSchemaErrors(har: unknown): string[] {
  validate ??= createValidator();
  if (validate(har)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? e.keyword} (${e.schemaPath})`);
}
