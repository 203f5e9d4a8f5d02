import { ApiError, settle, type ApiResult } from '@lm/api-client';
import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { fileNameOf, saveBlob } from '../../lib/download';
import { hashFile } from '../verify/hash-file';
import type { DetailedApiError } from './contract-errors';
import type { ContractDetail, ContractsQuery, PreviewInput, SignInput, TemplateDetail, TemplateInput } from './contracts.types';

export interface PageQuery {
  page: number;
  pageSize: number;
}

export type TemplatesQuery = PageQuery & { includeArchived?: boolean };

export const contractKeys = {
  all: ['contracts'] as const,
  lists: () => [...contractKeys.all, 'list'] as const,
  list: (query: ContractsQuery) => [...contractKeys.lists(), query] as const,
  details: () => [...contractKeys.all, 'detail'] as const,
  detail: (id: string) => [...contractKeys.details(), id] as const,
  prefill: (sessionId: string, templateId: string) => [...contractKeys.all, 'prefill', sessionId, templateId] as const,
  templates: () => [...contractKeys.all, 'templates'] as const,
  templateList: (query: TemplatesQuery) => [...contractKeys.templates(), 'list', query] as const,
  template: (id: string) => [...contractKeys.templates(), 'detail', id] as const,
  preview: (input: PreviewInput) => [...contractKeys.all, 'preview', input] as const,
};

/**
 * Like `unwrap`, but a refusal keeps its body's `details` (the variable names of
 * CONTRACT_VARIABLES_MISSING and friends), which the forms list next to the fields.
 */
async function unwrapDetailed<R extends ApiResult>(pending: Promise<R>): Promise<NonNullable<R['data']>> {
  const { data, error, response } = await settle(pending);
  if (response.ok && error === undefined) return data as NonNullable<R['data']>;
  const failure: DetailedApiError = ApiError.fromResponse(error, response);
  const details = (error as { details?: unknown } | undefined)?.details;
  if (details && typeof details === 'object') failure.details = details as Record<string, unknown>;
  throw failure;
}

// ——— templates ———

/** `GET /api/contract-templates`: the platform's templates and the lawyer's own (archived ones only when asked). */
export const templatesQueryOptions = (query: TemplatesQuery) =>
  queryOptions({
    queryKey: contractKeys.templateList(query),
    queryFn: ({ signal }) => unwrapDetailed(api.GET('/api/contract-templates', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });

/** `GET /api/contract-templates/:id`: a template with its current version (body and variables). */
export const templateQueryOptions = (id: string) =>
  queryOptions({
    queryKey: contractKeys.template(id),
    queryFn: ({ signal }) => unwrapDetailed(api.GET('/api/contract-templates/{id}', { params: { path: { id } }, signal })),
  });

/**
 * `POST /api/contract-templates/preview`: the blocks the API renders from a body and values
 * (strict: the same refusals as saving). A query, not a mutation: it changes nothing, and the
 * editor's last answer per input is worth keeping while the lawyer types.
 */
export const previewQueryOptions = (input: PreviewInput) =>
  queryOptions({
    queryKey: contractKeys.preview(input),
    queryFn: ({ signal }) => unwrapDetailed(api.POST('/api/contract-templates/preview', { body: input, signal })),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    retry: false,
  });

/** `POST /api/contract-templates` (a new template of mine) or `POST …/:id/versions` (a new version of it). */
export function useSaveTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: ({ id, input }: { id: string | null; input: TemplateInput }): Promise<TemplateDetail> =>
      id
        ? unwrapDetailed(api.POST('/api/contract-templates/{id}/versions', { params: { path: { id } }, body: input }))
        : unwrapDetailed(api.POST('/api/contract-templates', { body: input })),
    onSuccess: (template) => {
      queryClient.setQueryData(contractKeys.template(template.id), template);
      return queryClient.invalidateQueries({ queryKey: [...contractKeys.templates(), 'list'] });
    },
  });
}

/** `POST /api/contract-templates/:id/archive`: no new contracts from it; existing ones keep their version. */
export function useArchiveTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (id: string) => unwrapDetailed(api.POST('/api/contract-templates/{id}/archive', { params: { path: { id } } })),
    onSuccess: (template) => {
      queryClient.setQueryData(contractKeys.template(template.id), template);
      return queryClient.invalidateQueries({ queryKey: contractKeys.templates() });
    },
  });
}

// ——— contracts ———

/** `GET /api/contracts/prefill`: the template's variables with what the session and profiles fill in. */
export const prefillQueryOptions = (sessionId: string, templateId: string) =>
  queryOptions({
    queryKey: contractKeys.prefill(sessionId, templateId),
    queryFn: ({ signal }) =>
      unwrapDetailed(api.GET('/api/contracts/prefill', { params: { query: { sessionId, templateId } }, signal })),
    // The form starts from these once; a refetch must not overwrite what the lawyer typed.
    staleTime: Infinity,
  });

/** `GET /api/contracts`: the contracts I am a party to. */
export const contractsQueryOptions = (query: ContractsQuery) =>
  queryOptions({
    queryKey: contractKeys.list(query),
    queryFn: ({ signal }) => unwrapDetailed(api.GET('/api/contracts', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });

/** `GET /api/contracts/:id`: document, parties, versions, signer events and what I may do now. */
export const contractQueryOptions = (id: string) =>
  queryOptions({
    queryKey: contractKeys.detail(id),
    queryFn: ({ signal }) => unwrapDetailed(api.GET('/api/contracts/{id}', { params: { path: { id } }, signal })),
  });

/** After any change: the answer is the contract as it is now; lists may have moved it between tabs. */
function useContractChanged() {
  const queryClient = useQueryClient();
  return (contract: ContractDetail) => {
    queryClient.setQueryData(contractKeys.detail(contract.id), contract);
    return queryClient.invalidateQueries({ queryKey: contractKeys.lists() });
  };
}

export interface CreateContractInput {
  sessionId: string;
  templateId: string;
  title?: string;
  values: Record<string, string>;
}

/** `POST /api/contracts`: a DRAFT with its first version. */
export function useCreateContract() {
  const changed = useContractChanged();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (input: CreateContractInput) => unwrapDetailed(api.POST('/api/contracts', { body: input })),
    onSuccess: changed,
  });
}

/** `PUT /api/contracts/:id/draft`: a new immutable version of the draft. */
export function useSaveDraft() {
  const changed = useContractChanged();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: ({ id, title, values }: { id: string; title?: string; values: Record<string, string> }) =>
      unwrapDetailed(api.PUT('/api/contracts/{id}/draft', { params: { path: { id } }, body: { title, values } })),
    onSuccess: changed,
  });
}

/** `POST /api/contracts/:id/send`: freezes the version and asks the client to sign. */
export function useSendContract() {
  const changed = useContractChanged();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (id: string) => unwrapDetailed(api.POST('/api/contracts/{id}/send', { params: { path: { id } } })),
    onSuccess: changed,
  });
}

/** `POST /api/contracts/:id/void` (lawyer) or `…/decline` (a party): closes it, with a reason. */
export function useCloseContract(kind: 'void' | 'decline') {
  const changed = useContractChanged();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      kind === 'void'
        ? unwrapDetailed(api.POST('/api/contracts/{id}/void', { params: { path: { id } }, body: { reason } }))
        : unwrapDetailed(api.POST('/api/contracts/{id}/decline', { params: { path: { id } }, body: { reason } })),
    onSuccess: changed,
  });
}

/** `POST /api/contracts/:id/viewed`: records that I have the version with this hash in front of me. */
export function useRecordViewed() {
  return useMutation({
    meta: { errorToast: false },
    mutationFn: ({ id, versionSha256 }: { id: string; versionSha256: string }) =>
      unwrapDetailed(api.POST('/api/contracts/{id}/viewed', { params: { path: { id } }, body: { versionSha256 } })),
  });
}

/** `POST /api/contracts/:id/sign`. */
export function useSignContract() {
  const changed = useContractChanged();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: ({ id, input }: { id: string; input: SignInput }) =>
      unwrapDetailed(api.POST('/api/contracts/{id}/sign', { params: { path: { id } }, body: input })),
    onSuccess: changed,
  });
}

/** Saves a signed-in PDF download under the server's file name; resolves to the file's SHA-256 (computed here). */
async function savePdf(pending: Promise<ApiResult>, fallbackName: string): Promise<string> {
  const { data, error, response } = await settle(pending);
  if (!response.ok || error !== undefined) throw ApiError.fromResponse(error, response);
  const blob = data as Blob;
  saveBlob(blob, fileNameOf(response, fallbackName));
  return hashFile(blob);
}

/** `GET /api/contracts/:id/executed.pdf`: the sealed copy (audited by the API). Resolves to the file's SHA-256. */
export function useDownloadExecuted() {
  return useMutation({
    mutationFn: ({ id, number }: { id: string; number: string }) =>
      savePdf(
        api.GET('/api/contracts/{id}/executed.pdf', { params: { path: { id } }, parseAs: 'blob' }),
        `${number}-executed.pdf`,
      ),
  });
}

/** `GET /api/contracts/:id/versions/:versionId/pdf`: one version's PDF (what the parties read and sign). */
export function useDownloadVersion() {
  return useMutation({
    mutationFn: ({ id, versionId, name }: { id: string; versionId: string; name: string }) =>
      savePdf(
        api.GET('/api/contracts/{id}/versions/{versionId}/pdf', {
          params: { path: { id, versionId } },
          parseAs: 'blob',
        }),
        name,
      ),
  });
}
