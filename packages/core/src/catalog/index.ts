export { ckanPackageSearchPage, ckanPackageShowResult, mapCkanOrganization, mapCkanPackage } from './ckan.ts';
export { mapDcatJsonLd } from './dcat-jsonld.ts';
export { dcatUsCatalog, mapDcatUsDataset } from './dcat-us.ts';
export { findKnownLicence, KNOWN_LICENCES, resolveLicence } from './licences.ts';
export {
  normaliseFormat,
  normaliseFrequency,
  normaliseMediaType,
  parseByteSize,
  parseCatalogDate,
  parseHash,
  parseSchema,
} from './normalise.ts';
export type * from './types.ts';
