import type { Tool } from '../../../preload/api';

/** One input of a tool, as the form draws it. */
export interface SchemaField {
  name: string;
  kind: 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'json';
  required: boolean;
  title?: string;
  description?: string;
  options?: string[];
  defaultValue?: unknown;
}

type JsonSchema = {
  type?: unknown;
  enum?: unknown;
  description?: unknown;
  title?: unknown;
  default?: unknown;
};

function kindOf(schema: JsonSchema): SchemaField['kind'] {
  if (Array.isArray(schema.enum) && schema.enum.every((value) => typeof value === 'string')) {
    return 'enum';
  }
  const type = Array.isArray(schema.type)
    ? schema.type.find((t) => t !== 'null')
    : (schema.type as string | undefined);
  if (type === 'string' || type === 'number' || type === 'integer' || type === 'boolean')
    return type;
  return 'json';
}

/** The fields of a tool's inputSchema (top-level properties), required first as declared. */
export function fieldsOf(tool: Tool): SchemaField[] {
  const schema = tool.inputSchema as {
    properties?: Record<string, JsonSchema>;
    required?: unknown;
  };
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  return Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const kind = kindOf(property);
    return {
      name,
      kind,
      required: required.includes(name),
      ...(typeof property.title === 'string' && { title: property.title }),
      ...(typeof property.description === 'string' && { description: property.description }),
      ...(kind === 'enum' && { options: property.enum as string[] }),
      ...(property.default !== undefined && { defaultValue: property.default }),
    };
  });
}

/** The form's starting values: defaults as text, booleans as 'true'/'false'. */
export function initialValues(fields: SchemaField[]): Record<string, string> {
  return Object.fromEntries(
    fields.map((field) => {
      const value = field.defaultValue;
      if (value === undefined) return [field.name, field.kind === 'boolean' ? 'false' : ''];
      return [field.name, typeof value === 'string' ? value : JSON.stringify(value)];
    }),
  );
}

/** Turns the typed text into arguments, or says per field what to change. */
export function parseArguments(
  fields: SchemaField[],
  values: Record<string, string>,
): { ok: true; args: Record<string, unknown> } | { ok: false; errors: Record<string, string> } {
  const args: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const text = values[field.name] ?? '';
    if (field.kind === 'boolean') {
      args[field.name] = text === 'true';
      continue;
    }
    if (text.trim() === '') {
      if (field.required) errors[field.name] = `${field.name} is required`;
      continue;
    }
    switch (field.kind) {
      case 'string':
      case 'enum':
        args[field.name] = text;
        break;
      case 'number': {
        const value = Number(text);
        if (Number.isFinite(value)) args[field.name] = value;
        else errors[field.name] = `${field.name} must be a number, e.g. 3.5`;
        break;
      }
      case 'integer': {
        const value = Number(text);
        if (Number.isInteger(value)) args[field.name] = value;
        else errors[field.name] = `${field.name} must be a whole number, e.g. 3`;
        break;
      }
      case 'json':
        try {
          args[field.name] = JSON.parse(text) as unknown;
        } catch {
          errors[field.name] = `${field.name} must be JSON, e.g. {"key": "value"} or [1, 2]`;
        }
        break;
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, args };
}
