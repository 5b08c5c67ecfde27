// The directory's input schemas are shared with the desk's administration forms (@quipu/http).
export { organisationBody, organisationPatch, teamBody, teamPatch, userBody, userPatch } from '@quipu/http';
