#!/usr/bin/env node
// Turns Kubernetes' OpenAPI v2 document (api/openapi-spec/swagger.json of the k8s.io/kubernetes Go
// module) into the per-kind JSON schemas kubeconform reads offline:
//
//   node kubernetes-json-schemas.js <swagger.json> <out-dir>
//   kubeconform -strict -schema-location '<out-dir>/{{ .ResourceKind }}{{ .KindSuffix }}.json' …
//
// One file per group/version/kind, named like kubeconform's KindSuffix: `deployment-apps-v1.json`,
// `service-v1.json` (core), `horizontalpodautoscaler-autoscaling-v2.json` (first part of the group).
// Each file stands alone: the kind's definition at the root, every definition it reaches under
// `definitions` (kubeconform compiles a schema from bytes, so a ref to another file would not resolve).
// Strict like kubeconform's `-strict` schemas: an object that lists its properties allows no others, and
// `kind` / `apiVersion` must name this very kind. What the API server accepts beyond JSON types is kept:
// IntOrString takes a string or an integer, a Quantity a string or a number (`cpu: 1`).
'use strict';
const { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const REF_PREFIX = '#/definitions/';

/** A schema node converted: documentation and vendor extensions dropped, strictness added. */
function convert(node) {
  if (Array.isArray(node)) return node.map(convert);
  if (node === null || typeof node !== 'object') return node;
  // JSON Schema draft 4 ignores a $ref's siblings (descriptions here): keep the $ref alone.
  if (typeof node.$ref === 'string') return { $ref: node.$ref };
  if (node.format === 'int-or-string') return { oneOf: [{ type: 'string' }, { type: 'integer' }] };
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description' || key.startsWith('x-')) continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, property]) => [name, convert(property)]));
    } else {
      out[key] = convert(value);
    }
  }
  if (out.properties !== undefined && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

function convertDefinition(name, definition) {
  if (name === QUANTITY) return { oneOf: [{ type: 'string' }, { type: 'number' }] };
  return convert(definition);
}

/** The names of every definition reachable from `root` through $refs (root excluded unless it refers to itself). */
function reachable(root, definitions) {
  const found = new Set();
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    if (typeof node.$ref === 'string') {
      if (!node.$ref.startsWith(REF_PREFIX)) throw new Error(`unsupported $ref ${node.$ref}`);
      const name = node.$ref.slice(REF_PREFIX.length);
      if (!found.has(name)) {
        if (!(name in definitions)) throw new Error(`$ref to a missing definition ${name}`);
        found.add(name);
        visit(definitions[name]);
      }
      return;
    }
    Object.values(node).forEach(visit);
  };
  visit(root);
  return found;
}

/** kubeconform's file name: lower-case kind, then `-<first part of the group>` unless core, then `-<version>`. */
function fileName({ group, version, kind }) {
  const groupPart = group === '' ? '' : `-${group.split('.')[0]}`;
  return `${kind}${groupPart}-${version}.json`.toLowerCase();
}

function main() {
  const [swaggerPath, outDir] = process.argv.slice(2);
  if (!swaggerPath || !outDir) {
    console.error('usage: kubernetes-json-schemas.js <swagger.json> <out-dir>');
    process.exit(2);
  }
  const definitions = JSON.parse(readFileSync(swaggerPath, 'utf8')).definitions;
  const converted = Object.fromEntries(Object.entries(definitions).map(([name, definition]) => [name, convertDefinition(name, definition)]));
  const tmp = `${outDir}.tmp.${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const written = new Map();
  for (const [name, definition] of Object.entries(definitions)) {
    const kinds = definition['x-kubernetes-group-version-kind'] ?? [];
    const root = converted[name];
    // Only kinds that are objects of their own (apiVersion + kind), not types that merely carry a GVK.
    if (kinds.length === 0 || root.properties?.kind === undefined || root.properties?.apiVersion === undefined) continue;
    const used = [...reachable(converted[name], converted)].sort();
    for (const gvk of kinds) {
      const file = fileName(gvk);
      if (written.has(file)) {
        // The same kind published under two groups with one first part would need two files of one name.
        if (written.get(file) !== name) throw new Error(`${file}: both ${written.get(file)} and ${name}`);
        continue;
      }
      const apiVersion = gvk.group === '' ? gvk.version : `${gvk.group}/${gvk.version}`;
      const schema = {
        $schema: 'http://json-schema.org/draft-04/schema#',
        ...root,
        properties: { ...root.properties, apiVersion: { type: 'string', enum: [apiVersion] }, kind: { type: 'string', enum: [gvk.kind] } },
        definitions: Object.fromEntries(used.map((one) => [one, converted[one]])),
      };
      writeFileSync(join(tmp, file), JSON.stringify(schema));
      written.set(file, name);
    }
  }
  if (written.size === 0) throw new Error(`no kinds found in ${swaggerPath}`);
  rmSync(outDir, { recursive: true, force: true });
  renameSync(tmp, outDir);
  console.error(`kubernetes-json-schemas: ${written.size} schemas written to ${outDir}`);
}

main();
