import { ApiError, settle, unwrap, type components } from '@lm/api-client';
import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';

export type LawyerProfile = components['schemas']['LawyerProfileResponse'];
export type UpdateLawyerProfileInput = components['schemas']['UpdateLawyerProfileDto'];
export type AdminLawyer = components['schemas']['AdminLawyerResponse'];
export type PublicLawyer = components['schemas']['PublicLawyerProfileResponse'];
export type PublicOffering = components['schemas']['PublicOfferingResponse'];
export type LawyerStatusValue = LawyerProfile['status'];

export const lawyerKeys = {
  all: ['lawyers'] as const,
  own: () => [...lawyerKeys.all, 'own'] as const,
  admin: () => [...lawyerKeys.all, 'admin'] as const,
  adminList: (status: LawyerStatusValue | null, page: number, pageSize: number) =>
    [...lawyerKeys.admin(), 'list', { status, page, pageSize }] as const,
  public: (id: string) => [...lawyerKeys.all, 'public', id] as const,
  adminOne: (id: string) => [...lawyerKeys.admin(), 'one', id] as const,
  adminPhoto: (id: string, sha: string | null) => [...lawyerKeys.admin(), 'photo', id, sha] as const,
};

export const ownLawyerProfileQueryOptions = () =>
  queryOptions({
    queryKey: lawyerKeys.own(),
    queryFn: ({ signal }) => unwrap(api.GET('/api/lawyer/profile', { signal })),
  });

export const adminLawyersQueryOptions = (status: LawyerStatusValue | null, page: number, pageSize: number) =>
  queryOptions({
    queryKey: lawyerKeys.adminList(status, page, pageSize),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/admin/lawyers', { params: { query: { page, pageSize, ...(status ? { status } : {}) } }, signal })),
    placeholderData: keepPreviousData,
  });

/** `GET /api/admin/lawyers/{id}`: the full profile, whatever its status, with its licence's metadata. */
export const adminLawyerQueryOptions = (id: string) =>
  queryOptions({
    queryKey: lawyerKeys.adminOne(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/admin/lawyers/{id}', { params: { path: { id } }, signal })),
  });

/**
 * The lawyer's photo for an admin as an object URL (the request needs the access token, which
 * an <img src> cannot send); null without a photo. The caller revokes nothing: the blob lives
 * as long as the query's cache entry and the URL is small.
 */
export const adminLawyerPhotoQueryOptions = (id: string, sha: string | null) =>
  queryOptions({
    queryKey: lawyerKeys.adminPhoto(id, sha),
    enabled: sha !== null,
    staleTime: Infinity,
    queryFn: async ({ signal }) => {
      const { data, error, response } = await settle(
        api.GET('/api/admin/lawyers/{id}/photo', { params: { path: { id } }, parseAs: 'blob', signal }),
      );
      if (!response.ok || error !== undefined) throw ApiError.fromResponse(error, response);
      return URL.createObjectURL(data as unknown as Blob);
    },
  });

/** Downloads the licence document (each call is one audited download on the server). */
export async function downloadLicence(id: string): Promise<{ blob: Blob; response: Response }> {
  const { data, error, response } = await settle(api.GET('/api/admin/lawyers/{id}/licence', { params: { path: { id } }, parseAs: 'blob' }));
  if (!response.ok || error !== undefined) throw ApiError.fromResponse(error, response);
  return { blob: data as unknown as Blob, response };
}

export const LICENCE_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export const MAX_LICENCE_BYTES = 5 * 1024 * 1024;

/**
 * Uploads one file of the own profile as the raw request body (not multipart); the response is
 * the updated profile.
 */
function useUploadOwnProfileFile(path: '/api/lawyer/profile/licence' | '/api/lawyer/profile/photo') {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (file: File) =>
      unwrap(
        api.PUT(path, {
          params: { header: { 'content-type': file.type } },
          // openapi-typescript types a `format: binary` body as `string`; the File itself is the
          // body, so the serializer passes it through (fetch sends a Blob's bytes verbatim).
          body: file as unknown as string,
          bodySerializer: (body) => body,
        }),
      ),
    onSuccess: (profile) => {
      queryClient.setQueryData(lawyerKeys.own(), profile);
      return queryClient.invalidateQueries({ queryKey: lawyerKeys.all });
    },
  });
}

/** Uploads the licence document as the raw request body (not multipart). */
export const useUploadOwnLicence = () => useUploadOwnProfileFile('/api/lawyer/profile/licence');

export const publicLawyerQueryOptions = (id: string) =>
  queryOptions({
    queryKey: lawyerKeys.public(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/lawyers/{id}', { params: { path: { id } }, signal })),
  });

export function useUpdateOwnLawyerProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (body: UpdateLawyerProfileInput) => unwrap(api.PUT('/api/lawyer/profile', { body })),
    onSuccess: (profile) => {
      queryClient.setQueryData(lawyerKeys.own(), profile);
      return queryClient.invalidateQueries({ queryKey: lawyerKeys.all });
    },
  });
}

/** The photo types and size `PUT /api/lawyer/profile/photo` accepts (the server checks the bytes too). */
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const MAX_PHOTO_BYTES = 2 * 1024 * 1024;

/** Uploads the photo as the raw request body (not multipart). */
export const useUploadOwnLawyerPhoto = () => useUploadOwnProfileFile('/api/lawyer/profile/photo');

/** Verify, or reject with a reason; either changes the queue and the public visibility. */
export function useDecideLawyer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (decision: { id: string; verdict: 'verify' } | { id: string; verdict: 'reject'; reason: string }) =>
      decision.verdict === 'verify'
        ? unwrap(api.POST('/api/admin/lawyers/{id}/verify', { params: { path: { id: decision.id } } }))
        : unwrap(
            api.POST('/api/admin/lawyers/{id}/reject', {
              params: { path: { id: decision.id } },
              body: { reason: decision.reason },
            }),
          ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: lawyerKeys.all }),
  });
}

export type FreeTimes = components['schemas']['FreeTimesResponse'];

/** The public profile's read-only preview of an offering's next free times (cached a minute by the API too). */
export const freeTimesQueryOptions = (lawyerId: string, offeringId: string, limit = 6) =>
  queryOptions({
    queryKey: [...lawyerKeys.public(lawyerId), 'free-times', offeringId, limit] as const,
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/lawyers/{id}/free-times', { params: { path: { id: lawyerId }, query: { offeringId, limit } }, signal })),
    staleTime: 60_000,
  });
