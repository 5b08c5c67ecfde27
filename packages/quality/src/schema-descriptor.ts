// The metadata checks frictionless-py runs on a Table Schema before reading anything
// (Schema/Field.metadata_validate): the descriptor against its JSON Schema profile (the
// schema's, then each field's, with the type's own properties), and, only when the profile
// passes, the semantic rules (supported types and constraints, version gates, unique names,
// keys that match fields). Notes are jsonschema's messages with Python reprs, as
// frictionless-py prints them: `{'en': 'x'} is not of type 'string' at property 'title'`.

import { makeError } from './errors.ts';
import { compileField, FAIL, isV2, supportedConstraints } from './fields/index.ts';
import { pyRepr, pyStr, pyStringRepr } from './py.ts';
import type { ReportError, TableSchema } from './types.ts';

/** The subset of JSON Schema the profiles use. */
interface Profile {
  type?: 'string' | 'boolean' | 'integer' | 'number' | 'array' | 'object';
  enum?: string[];
  pattern?: string;
  required?: string[];
  properties?: Record<string, Profile>;
  items?: Profile;
  anyOf?: Profile[];
}

const TYPE_PATTERN = '^([-a-z/])+$';
const strings: Profile = { type: 'array', items: { type: 'string' } };

const MISSING_VALUES: Profile = {
  anyOf: [
    strings,
    {
      type: 'array',
      items: {
        type: 'object',
        required: ['value'],
        properties: { value: { type: 'string' }, label: { type: 'string' } },
      },
    },
  ],
};

const SCHEMA_PROFILE: Profile = {
  type: 'object',
  required: ['fields'],
  properties: {
    name: { type: 'string', pattern: '^([-a-z0-9._/])+$' },
    type: { type: 'string', pattern: TYPE_PATTERN },
    title: { type: 'string' },
    description: { type: 'string' },
    fields: { type: 'array' },
    fieldsMatch: { type: 'string', enum: ['exact', 'equal', 'subset', 'superset', 'partial'] },
    missingValues: MISSING_VALUES,
    primaryKey: strings,
    foreignKeys: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          fields: strings,
          reference: {
            type: 'object',
            required: ['resource', 'fields'],
            properties: { resource: { type: 'string' }, fields: strings },
          },
        },
      },
    },
  },
};

const FIELD_PROPERTIES: Record<string, Profile> = {
  name: { type: 'string' },
  type: { type: 'string', pattern: TYPE_PATTERN },
  title: { type: 'string' },
  description: { type: 'string' },
  format: { type: 'string' },
  missingValues: MISSING_VALUES,
  constraints: {
    type: 'object',
    properties: {
      required: { type: 'boolean' },
      unique: { type: 'boolean' },
      pattern: { type: 'string' },
      enum: { type: 'array' },
      minLength: { type: 'integer' },
      maxLength: { type: 'integer' },
    },
  },
  rdfType: { type: 'string' },
};

/** Each field type's additions to the field profile (frictionless-py's metadata_profile_patch). */
const FIELD_PATCHES: Record<string, Record<string, Profile>> = {
  string: { format: { type: 'string', enum: ['default', 'email', 'uri', 'binary', 'uuid', 'wkt'] } },
  geojson: { format: { type: 'string', enum: ['default', 'topojson'] } },
  integer: { bareNumber: { type: 'boolean' } },
  number: {
    bareNumber: { type: 'boolean' },
    floatNumber: { type: 'boolean' },
    decimalChar: { type: 'string' },
    groupChar: { type: 'string' },
  },
  boolean: { trueValues: strings, falseValues: strings },
  array: { arrayItem: { type: 'object' } },
  list: {
    delimiter: { type: 'string' },
    itemType: {
      type: 'string',
      enum: ['string', 'integer', 'boolean', 'number', 'datetime', 'date', 'time'],
    },
  },
};

const fieldProfiles = new Map<string, Profile>();
function fieldProfile(type: string): Profile {
  let profile = fieldProfiles.get(type);
  if (!profile) {
    // A patched property keeps its place in the base profile; new ones come after it.
    profile = {
      type: 'object',
      required: ['name'],
      properties: { ...FIELD_PROPERTIES, ...FIELD_PATCHES[type] },
    };
    fieldProfiles.set(type, profile);
  }
  return profile;
}

const pyTruthy = (v: unknown): boolean =>
  Array.isArray(v)
    ? v.length > 0
    : typeof v === 'object' && v !== null
      ? Object.keys(v).length > 0
      : Boolean(v);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function hasType(value: unknown, type: NonNullable<Profile['type']>): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
  }
}

/** jsonschema's iter_errors over the keywords the profiles use, in the profile's order. */
function profileErrors(value: unknown, profile: Profile, path: string[], out: string[]): void {
  const at = (message: string) => {
    out.push(path.length ? `${message} at property '${path.join('/')}'` : message);
  };
  for (const keyword of Object.keys(profile) as Array<keyof Profile>) {
    switch (keyword) {
      case 'type':
        if (!hasType(value, profile.type as NonNullable<Profile['type']>))
          at(`${pyRepr(value)} is not of type '${profile.type}'`);
        break;
      case 'enum':
        if (!(profile.enum as unknown[]).includes(value))
          at(`${pyRepr(value)} is not one of ${pyRepr(profile.enum)}`);
        break;
      case 'pattern':
        if (typeof value === 'string' && !new RegExp(profile.pattern as string, 'u').test(value))
          at(`${pyRepr(value)} does not match ${pyStringRepr(profile.pattern as string)}`);
        break;
      case 'required':
        if (isObject(value))
          for (const name of profile.required as string[])
            if (!(name in value)) at(`${pyStringRepr(name)} is a required property`);
        break;
      case 'properties':
        if (isObject(value))
          for (const [name, sub] of Object.entries(profile.properties as Record<string, Profile>))
            if (name in value) profileErrors(value[name], sub, [...path, name], out);
        break;
      case 'items':
        if (Array.isArray(value))
          value.forEach((item, i) => {
            profileErrors(item, profile.items as Profile, [...path, String(i)], out);
          });
        break;
      case 'anyOf':
        if (
          !(profile.anyOf as Profile[]).some((sub) => {
            const probe: string[] = [];
            profileErrors(value, sub, path, probe);
            return probe.length === 0;
          })
        )
          at(`${pyRepr(value)} is not valid under any of the given schemas`);
        break;
    }
  }
}

const FIELD_TYPES: Set<string> = new Set([
  'any',
  'string',
  'integer',
  'number',
  'boolean',
  'date',
  'datetime',
  'time',
  'year',
  'yearmonth',
  'duration',
  'geopoint',
  'geojson',
  'object',
  'array',
  'list',
]);

/** frictionless-py's Schema.metadata_transform: keys given as one name become lists. */
function normalised(schema: Record<string, unknown>): Record<string, unknown> {
  const out = { ...schema };
  if (out.primaryKey && !Array.isArray(out.primaryKey)) out.primaryKey = [out.primaryKey];
  if (Array.isArray(out.foreignKeys))
    out.foreignKeys = out.foreignKeys.map((fk) => {
      if (!isObject(fk)) return fk;
      const reference = isObject(fk.reference) ? { ...fk.reference } : ({} as Record<string, unknown>);
      reference.resource ??= '';
      reference.fields ??= [];
      if (!Array.isArray(reference.fields)) reference.fields = [reference.fields];
      const fields = fk.fields === undefined ? [] : Array.isArray(fk.fields) ? fk.fields : [fk.fields];
      return { ...fk, fields, reference };
    });
  return out;
}

/**
 * The metadata checks frictionless-py runs before reading: the profiles (schema-error for
 * the schema's own properties, field-error for a field's), then, when they pass, field types
 * and constraints the type supports, the v1 gates on exclusive bounds and object missing
 * values, "required" outside constraints, unique names, keys that match fields.
 */
export function checkSchema(schema: TableSchema, packageDescriptor?: { $schema?: unknown }): ReportError[] {
  if (!isObject(schema)) return [makeError('schema-error', `${pyRepr(schema)} is not of type 'object'`)];
  const descriptor = normalised(schema);
  const errors: ReportError[] = [];
  const schemaNotes: string[] = [];
  profileErrors(descriptor, SCHEMA_PROFILE, [], schemaNotes);
  for (const note of schemaNotes) errors.push(makeError('schema-error', note));
  const fieldList = Array.isArray(descriptor.fields) ? (descriptor.fields as unknown[]) : [];
  const v2 = isV2(schema as { $schema?: unknown }) || isV2(packageDescriptor);
  for (const field of fieldList) {
    if (!isObject(field)) {
      // frictionless-py fails on such an item later, outside its profile checks
      errors.push(makeError('field-error', "'name' is a required property"));
      continue;
    }
    const type = field.type ?? 'string';
    if (typeof type === 'string' && !FIELD_TYPES.has(type)) {
      errors.push(makeError('field-error', `field type "${type}" is not supported`));
      continue;
    }
    const notes: string[] = [];
    profileErrors(field, fieldProfile(String(type)), [], notes);
    if (notes.length) {
      for (const note of notes) errors.push(makeError('field-error', note));
      continue;
    }
    const supported = supportedConstraints(type as string);
    for (const name of Object.keys((field.constraints as object | undefined) ?? {})) {
      if (name !== 'unique' && !supported.includes(name))
        errors.push(makeError('field-error', `constraint "${name}" is not supported by type "${type}"`));
    }
    if (!v2) {
      if (Array.isArray(field.missingValues) && field.missingValues.some((v) => typeof v === 'object'))
        errors.push(makeError('field-error', 'missing values in object form require datapackage v2'));
      const constraints = field.constraints as Record<string, unknown> | undefined;
      for (const name of ['exclusiveMinimum', 'exclusiveMaximum'])
        if (constraints && name in constraints)
          errors.push(makeError('field-error', `constraint "${name}" requires datapackage v2`));
    }
    const example = field.example;
    if (pyTruthy(example)) {
      const probe = compileField({
        name: String(field.name),
        type: type as string,
        format: (field.format as string | undefined) ?? 'default',
        ...(type === 'boolean' && 'trueValues' in field ? { trueValues: field.trueValues as string[] } : {}),
        ...(type === 'boolean' && 'falseValues' in field
          ? { falseValues: field.falseValues as string[] }
          : {}),
      });
      if (probe.readValue(example) === FAIL)
        errors.push(
          makeError(
            'field-error',
            `example value "${pyStr(example)}" for field "${String(field.name)}" is not valid`,
          ),
        );
    }
    if ('required' in field)
      errors.push(makeError('field-error', '"required" should be set as "constraints.required"'));
  }
  if (errors.length) return errors;
  const names = schema.fields.map((f) => f.name);
  if (new Set(names).size !== names.length)
    return [makeError('schema-error', 'names of the fields are not unique')];
  const pk = (descriptor.primaryKey as string[] | undefined) ?? [];
  if (pk.some((name) => !names.includes(name)))
    errors.push(
      makeError('schema-error', `primary key "${pyRepr(pk)}" does not match the fields "${pyRepr(names)}"`),
    );
  for (const fk of (descriptor.foreignKeys as Array<{ fields: string[]; reference: { fields: string[] } }>) ??
    []) {
    if (fk.fields.some((name) => !names.includes(name)))
      errors.push(
        makeError('schema-error', `foreign key "${pyRepr(fk)}" does not match the fields "${pyRepr(names)}"`),
      );
    if (fk.fields.length !== fk.reference.fields.length)
      errors.push(
        makeError(
          'schema-error',
          `foreign key fields "${pyRepr(fk.fields)}" does not match the reference fields "${pyRepr(fk.reference.fields)}"`,
        ),
      );
  }
  return errors;
}
