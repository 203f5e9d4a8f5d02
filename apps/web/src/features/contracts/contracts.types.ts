import type { components, paths } from '@lm/api-client';

/** The contract API's shapes, from the generated schema (apps/api/openapi.json). */
type Schemas = components['schemas'];

export type ContractStatus = Schemas['ContractResponse']['status'];
export type PartyRole = Schemas['ContractPartyResponse']['role'];
export type ContractBlock = Schemas['ContractBlockResponse'];
export type SignerEvent = Schemas['ContractEventResponse'];
export type SignerEventType = SignerEvent['type'];
export type TemplateVariable = Schemas['TemplateVariableDto'];
export type TemplateSummary = Schemas['TemplateSummaryResponse'];
export type TemplateDetail = Schemas['TemplateResponse'];
export type TemplateInput = Schemas['SaveTemplateDto'];
export type PreviewInput = Schemas['PreviewTemplateDto'];
export type PrefillVariable = Schemas['PrefillVariableResponse'];
export type ContractSummary = Schemas['ContractSummaryResponse'];
export type ContractDetail = Schemas['ContractResponse'];
export type ContractParty = Schemas['ContractPartyResponse'];
export type SignInput = Schemas['SignContractDto'];
export type ContractsQuery = NonNullable<paths['/api/contracts']['get']['parameters']['query']>;
/** The list's `view`: to_sign, in_progress, executed (none: every contract). */
export type ContractListView = NonNullable<ContractsQuery['view']>;

/** A drawn signature as the API takes it: strokes of [x, y] points inside a width × height box. */
export interface SignatureDrawing {
  width: number;
  height: number;
  strokes: [number, number][][];
}
