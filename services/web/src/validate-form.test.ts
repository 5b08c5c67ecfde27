import { complaintBody, transferBody, userBody } from '@quipu/http';
import { describe, expect, it } from 'vitest';
import { translator } from './i18n/index.ts';
import { parseForm } from './validate-form.ts';

const t = translator('es');
const intakeRules = {
  order: ['datasetUrl', 'category', 'title', 'description', 'email', 'name', 'consent'],
  fields: { 'reporter.email': 'email', 'reporter.name': 'name' },
  empty: { category: t('field.choose') },
  refused: { category: t('field.choose'), email: t('field.email'), consent: t('field.consent') },
};

describe('parseForm', () => {
  it('parses with the API schema: trimmed, empty fields absent, the nested reporter filled in', () => {
    const form = parseForm(
      complaintBody,
      {
        title: '  Faltan filas  ',
        description: 'El archivo de marzo tiene la mitad de filas.',
        reporter: { email: ' ana@example.pe ', name: '', language: 'es' },
        consent: true,
        category: 'wrong_data',
        datasetUrl: '',
      },
      t,
      intakeRules,
    );
    expect(form.errors).toBeNull();
    expect(form.data).toMatchObject({
      title: 'Faltan filas',
      reporter: { email: 'ana@example.pe', language: 'es' },
      consent: true,
    });
    expect(form.data).not.toHaveProperty('datasetUrl');
    expect(form.data?.reporter).not.toHaveProperty('name');
  });

  it("says what to fix in the reader's words, one message per field, in the form's order", () => {
    const form = parseForm(
      complaintBody,
      {
        title: 'abc',
        description: 'x'.repeat(5001),
        reporter: { email: 'not-an-address', name: '', language: 'es' },
        consent: false,
        category: '',
        datasetUrl: 'ftp://example.pe/file.csv',
      },
      t,
      intakeRules,
    );
    expect(form.data).toBeNull();
    expect(form.errors).toEqual({
      datasetUrl: t('field.url'),
      category: t('field.choose'),
      title: t('field.tooShort', { min: 5 }),
      description: t('field.tooLong', { max: 5000 }),
      email: t('field.email'),
      consent: t('field.consent'),
    });
    expect(Object.keys(form.errors!)).toEqual([
      'datasetUrl',
      'category',
      'title',
      'description',
      'email',
      'consent',
    ]);
  });

  it('asks for a required field left empty, or gives the message the form chose for it', () => {
    const required = parseForm(
      complaintBody,
      { reporter: { language: 'es' }, consent: true },
      t,
      intakeRules,
    );
    expect(required.errors).toMatchObject({
      category: t('field.choose'),
      title: t('field.required'),
      description: t('field.required'),
      email: t('field.required'),
    });
    const transfer = parseForm(transferBody, { organisation: '', reason: '  ' }, t, {
      order: ['organisation', 'reason'],
      empty: { organisation: t('field.choose'), reason: t('field.tooShort', { min: 3 }) },
    });
    expect(transfer.errors).toEqual({
      organisation: t('field.choose'),
      reason: t('field.tooShort', { min: 3 }),
    });
  });

  it('keeps the spaces of a password, and names a list field once for any bad entry', () => {
    const schema = userBody.pick({ name: true, roles: true, password: true });
    const rules = {
      order: ['name', 'roles', 'password'],
      keepSpaces: ['password'],
      refused: { roles: 'roles', password: 'password' },
    };
    const spaces = parseForm(
      schema,
      { name: 'Ana', roles: ['officer'], password: '  twelve chars  ' },
      t,
      rules,
    );
    expect(spaces.data?.password).toBe('  twelve chars  ');
    const bad = parseForm(
      schema,
      { name: 'Ana', roles: ['officer', 'root', 'chief'], password: '   ' },
      t,
      rules,
    );
    expect(bad.errors).toEqual({ roles: 'roles', password: 'password' });
    const none = parseForm(schema, { name: 'Ana', roles: [], password: '' }, t, rules);
    expect(none.errors).toEqual({ roles: 'roles' });
    expect(none.data).toBeNull();
  });
});
