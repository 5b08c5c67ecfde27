import { describe, expect, it } from 'vitest';
import { resolveLicence } from './licences.ts';
import {
  httpUrl,
  normaliseFormat,
  normaliseFrequency,
  normaliseMediaType,
  parseByteSize,
  parseCatalogDate,
  parseHash,
  parseSchema,
  plainText,
} from './normalise.ts';

describe('normaliseFrequency', () => {
  it.each([
    ['R/P1D', 'daily'],
    ['R/P1W', 'weekly'],
    ['R/P2W', 'biweekly'],
    ['R/P1M', 'monthly'],
    ['R/P3M', 'quarterly'],
    ['R/P6M', 'semiannual'],
    ['R/P1Y', 'annual'],
    ['R/PT1H', 'hourly'],
    ['R/P0.5M', 'P0.5M'],
    ['R/P3D', 'P3D'],
    ['PT6H', 'PT6H'],
    ['irregular', 'irregular'],
    ['http://publications.europa.eu/resource/authority/frequency/DAILY', 'daily'],
    ['http://publications.europa.eu/resource/authority/frequency/ANNUAL_2', 'semiannual'],
    ['http://publications.europa.eu/resource/authority/frequency/IRREG', 'irregular'],
    ['http://publications.europa.eu/resource/authority/frequency/UPDATE_CONT', 'continuous'],
    ['http://purl.org/cld/freq/quarterly', 'quarterly'],
    ['Mensual', 'monthly'],
    ['Diaria', 'daily'],
    ['semestral', 'semiannual'],
    ['Anual', 'annual'],
    ['A demanda', 'irregular'],
    ['cada vez que llueve', 'unknown'],
    ['P', 'unknown'],
    ['', 'unknown'],
    [undefined, 'unknown'],
  ])('%j → %s', (input, expected) => {
    expect(normaliseFrequency(input)).toBe(expected);
  });
});

describe('parseCatalogDate', () => {
  it('reads ISO dates and date-times, taking a missing zone as UTC', () => {
    expect(parseCatalogDate('2024-02-12')).toBe('2024-02-12T00:00:00.000Z');
    expect(parseCatalogDate('2024-02-12T15:04:11.382913')).toBe('2024-02-12T15:04:11.382Z');
    expect(parseCatalogDate('2024-02-12T15:04:11-05:00')).toBe('2024-02-12T20:04:11.000Z');
    expect(parseCatalogDate('2024-02-12T15:04Z')).toBe('2024-02-12T15:04:00.000Z');
  });

  it('reads DKAN localised dates with the given offset, month first unless impossible', () => {
    expect(parseCatalogDate('Lun, 05/18/2020 - 15:16', '-05:00')).toBe('2020-05-18T20:16:00.000Z');
    expect(parseCatalogDate('Date changed  Mié, 04/29/2020 - 21:16')).toBe('2020-04-29T21:16:00.000Z');
    expect(parseCatalogDate('18/05/2020')).toBe('2020-05-18T00:00:00.000Z');
  });

  it('rejects impossible and unreadable dates', () => {
    expect(parseCatalogDate('2024-02-30')).toBeNull();
    expect(parseCatalogDate('2024-13-01')).toBeNull();
    expect(parseCatalogDate('ayer')).toBeNull();
    expect(parseCatalogDate(20240101)).toBeNull();
    expect(parseCatalogDate(null)).toBeNull();
  });
});

describe('parseByteSize', () => {
  it.each([
    [482113, 482113],
    ['12345', 12345],
    ['643.02 KB', 658452],
    ['1,5 MB', 1572864],
    ['2 GiB', 2147483648],
    ['', null],
    ['muy grande', null],
    ['12 parsecs', null],
    [-1, null],
  ])('%j → %j', (input, expected) => {
    expect(parseByteSize(input)).toBe(expected);
  });
});

describe('parseHash', () => {
  it('reads prefixed and bare digests', () => {
    expect(parseHash('md5:ABC123DEF')).toEqual({ algorithm: 'md5', value: 'abc123def' });
    expect(
      parseHash('sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08')?.algorithm,
    ).toBe('sha256');
    expect(parseHash('SHA-1:a94a8fe5ccb19ba61c4c0873d391e987982fbbd3')).toEqual({
      algorithm: 'sha1',
      value: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3',
    });
    expect(parseHash('d41d8cd98f00b204e9800998ecf8427e')).toEqual({
      algorithm: 'md5',
      value: 'd41d8cd98f00b204e9800998ecf8427e',
    });
    expect(parseHash('a94a8fe5ccb19ba61c4c0873d391e987982fbbd3')?.algorithm).toBe('sha1');
  });

  it('rejects what is not a digest', () => {
    expect(parseHash('')).toBeNull();
    expect(parseHash('not a hash')).toBeNull();
    expect(parseHash(12)).toBeNull();
    expect(parseHash('abc123')).toBeNull();
    expect(parseHash('md5:ab')).toBeNull();
  });
});

describe('parseSchema', () => {
  it('accepts inline objects with fields, JSON text and URLs', () => {
    expect(parseSchema({ fields: [{ name: 'a' }] })).toEqual({ fields: [{ name: 'a' }] });
    expect(parseSchema('{"fields": []}')).toEqual({ fields: [] });
    expect(parseSchema('https://example.org/schema.json')).toBe('https://example.org/schema.json');
  });

  it('rejects broken JSON, objects without fields and non-http strings', () => {
    expect(parseSchema('{"fields": [')).toBeNull();
    expect(parseSchema({ name: 'x' })).toBeNull();
    expect(parseSchema('file:///etc/passwd')).toBeNull();
    expect(parseSchema('esquema.json')).toBeNull();
  });
});

describe('normaliseFormat and normaliseMediaType', () => {
  it('upper-cases and folds aliases', () => {
    expect(normaliseFormat('csv', null, null)).toBe('CSV');
    expect(normaliseFormat('.xlsx', null, null)).toBe('XLSX');
    expect(normaliseFormat('JSON-LD', null, null)).toBe('JSONLD');
    expect(normaliseFormat('text/csv', null, null)).toBe('CSV');
    expect(normaliseFormat('Esri Shapefile', null, null)).toBe('SHP');
    expect(
      normaliseFormat('http://publications.europa.eu/resource/authority/file-type/RDF_XML', null, null),
    ).toBe('RDF');
    expect(normaliseFormat('WMS', null, null)).toBe('WMS');
  });

  it('derives placeholders from the media type, then from the URL extension', () => {
    expect(normaliseFormat('data', 'application/json', 'https://x.example/a')).toBe('JSON');
    expect(normaliseFormat('', null, 'https://x.example/files/a.geojson?download=1')).toBe('GEOJSON');
    expect(normaliseFormat(null, null, 'https://x.example/files/')).toBeNull();
  });

  it('keeps a declared XLS unless the media type or URL says XLSX', () => {
    expect(normaliseFormat('xls', null, 'https://x.example/a.xls')).toBe('XLS');
    expect(normaliseFormat('xls', null, 'https://x.example/a.xlsx')).toBe('XLSX');
  });

  it('normalises media types and rejects non-media-types', () => {
    expect(normaliseMediaType('Text/CSV; charset=UTF-8')).toBe('text/csv');
    expect(normaliseMediaType('https://www.iana.org/assignments/media-types/application/ld+json')).toBe(
      'application/ld+json',
    );
    expect(normaliseMediaType('data')).toBeNull();
    expect(normaliseMediaType('<script>/x')).toBeNull();
  });
});

describe('httpUrl', () => {
  it('accepts http(s) URLs and encodes what portals leave unencoded', () => {
    expect(httpUrl('https://datos.example.gob.pe/files/Información 2024.csv')).toBe(
      'https://datos.example.gob.pe/files/Informaci%C3%B3n%202024.csv',
    );
    expect(httpUrl(' http://x.example ')).toBe('http://x.example/');
  });

  it('rejects other schemes and junk', () => {
    expect(httpUrl('javascript:alert(1)')).toBeNull();
    expect(httpUrl('ftp://x.example/a.csv')).toBeNull();
    expect(httpUrl('https://')).toBeNull();
    expect(httpUrl('/files/a.csv')).toBeNull();
  });
});

describe('plainText', () => {
  it('strips tags and decodes entities', () => {
    expect(plainText('<p>Uno &amp; dos</p><p>tres&nbsp;&#241;&#xF1;</p>')).toBe('Uno & dos\ntres ññ');
    expect(plainText('<p> </p>')).toBeNull();
    expect(plainText('<!-- nota --><b>Menores</b> de edad < 5 y > 2')).toBe('Menores de edad < 5 y > 2');
  });
});

describe('resolveLicence', () => {
  it.each([
    'cc-by',
    'cc-by-sa',
    'cc-zero',
    'odc-by',
    'odc-pddl',
    'odc-odbl',
    'other-open',
    'other-pd',
    'other-at',
    'uk-ogl',
    'gfdl',
  ])('CKAN licence %s is open', (id) => {
    expect(resolveLicence({ id })).toMatchObject({ id, isOpen: true });
  });

  it.each(['cc-nc', 'other-nc', 'other-closed'])('CKAN licence %s is known and not open', (id) => {
    expect(resolveLicence({ id })).toMatchObject({ id, isOpen: false });
  });

  it('finds licences by id, SPDX id, URL or title', () => {
    expect(resolveLicence({ id: 'odc-odbl' })?.isOpen).toBe(true);
    expect(resolveLicence({ id: 'CC-BY-4.0' })?.id).toBe('cc-by');
    expect(resolveLicence({ url: 'https://creativecommons.org/licenses/by-sa/4.0/deed.es' })?.id).toBe(
      'cc-by-sa',
    );
    expect(resolveLicence({ url: 'http://publications.europa.eu/resource/authority/licence/CC0' })?.id).toBe(
      'cc-zero',
    );
    expect(
      resolveLicence({ title: 'Open Data Commons Public Domain Dedication and License (PDDL)' })?.id,
    ).toBe('odc-pddl');
  });

  it('knows closed licences as closed', () => {
    expect(resolveLicence({ id: 'cc-nc' })).toMatchObject({ id: 'cc-nc', isOpen: false });
    expect(resolveLicence({ url: 'https://creativecommons.org/licenses/by-nc-sa/4.0/' })).toMatchObject({
      id: 'cc-nc',
      isOpen: false,
    });
    expect(resolveLicence({ id: 'other-closed' })?.isOpen).toBe(false);
  });

  it('keeps unknown licences as not open, and "not specified" as no licence', () => {
    expect(resolveLicence({ title: 'Licencia municipal' })).toEqual({
      id: null,
      title: 'Licencia municipal',
      url: null,
      isOpen: false,
    });
    expect(resolveLicence({ id: 'notspecified', title: 'License not specified' })).toBeNull();
    expect(resolveLicence({})).toBeNull();
  });
});
