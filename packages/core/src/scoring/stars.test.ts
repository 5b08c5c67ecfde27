import { describe, expect, it } from 'vitest';
import {
  formatFacts,
  isKnownFormat,
  isMachineReadable,
  isNonProprietary,
  isProprietary,
  isRdfFormat,
  isTabularFormat,
} from './formats.ts';
import { datasetStars, opennessStars } from './stars.ts';

describe('opennessStars', () => {
  it.each([
    ['PDF', 1],
    ['DOCX', 1],
    ['HTML', 1],
    ['ZIP', 1],
    ['WMS', 1],
    ['XLS', 2],
    ['XLSX', 2],
    ['SHP', 2],
    ['CSV', 3],
    ['TSV', 3],
    ['JSON', 3],
    ['XML', 3],
    ['GEOJSON', 3],
    ['ODS', 3],
    ['PARQUET', 3],
    ['KML', 3],
    ['RDF', 4],
    ['TTL', 4],
    ['JSONLD', 4],
    ['json-ld', 4],
  ])('%s under an open licence → %d', (format, stars) => {
    expect(opennessStars({ licenceOpen: true, format })).toBe(stars);
  });

  it('gives 5 stars only to RDF linked to other data', () => {
    expect(opennessStars({ licenceOpen: true, format: 'TTL', linked: true })).toBe(5);
    expect(opennessStars({ licenceOpen: true, format: 'CSV', linked: true })).toBe(3);
  });

  it('gives nothing without an open licence, whatever the format', () => {
    expect(opennessStars({ licenceOpen: false, format: 'TTL', linked: true })).toBe(0);
    expect(opennessStars({ licenceOpen: null, format: 'CSV' })).toBe(0);
  });

  it('falls back to the media type when the format is missing', () => {
    expect(opennessStars({ licenceOpen: true, format: null, mediaType: 'text/csv' })).toBe(3);
    expect(opennessStars({ licenceOpen: true, format: null, mediaType: null })).toBe(1);
  });
});

describe('datasetStars', () => {
  it('takes the best resource that has a URL', () => {
    const licence = { isOpen: true };
    expect(
      datasetStars({
        licence,
        resources: [
          { format: 'PDF', url: 'https://x.example/a.pdf' },
          { format: 'XLSX', url: 'https://x.example/a.xlsx' },
          { format: 'TTL', url: null },
        ],
      }),
    ).toBe(2);
    expect(datasetStars({ licence, resources: [] })).toBe(0);
    expect(
      datasetStars({ licence: null, resources: [{ format: 'CSV', url: 'https://x.example/a.csv' }] }),
    ).toBe(0);
  });
});

describe('format tables', () => {
  it('classifies formats', () => {
    expect(isMachineReadable('CSV')).toBe(true);
    expect(isMachineReadable('PDF')).toBe(false);
    expect(isNonProprietary('ODS')).toBe(true);
    expect(isNonProprietary('XLSX')).toBe(false);
    expect(isProprietary('XLS')).toBe(true);
    expect(isProprietary('CSV')).toBe(false);
    expect(isProprietary('WMS')).toBe(false);
    expect(isRdfFormat('application/rdf+xml')).toBe(true);
    expect(isTabularFormat('text/csv')).toBe(true);
    expect(isTabularFormat('GEOJSON')).toBe(false);
    expect(isKnownFormat('Turtle')).toBe(true);
    expect(isKnownFormat('WMS')).toBe(false);
    expect(formatFacts('.xlsx')?.format).toBe('XLSX');
  });
});
