declare module 'har-schema' {
  /** The HAR 1.2 JSON schemas (draft-06), one per HAR object, keyed by name (`har` is the root). */
  const schemas: Record<string, object> & { har: object };
  export default schemas;
}
