import type { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';

/** One page of a list: the items and where they stand in the whole. */
export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * The response class of a paged list of `item`, for `?page=&pageSize=` endpoints (see
 * PageQueryDto): `export class UserPageResponse extends PagedResponse(UserResponse) {}`. The
 * subclass gives the schema its name in the OpenAPI document.
 */
export function PagedResponse<T>(item: Type<T>): Type<Paged<T>> {
  class Page implements Paged<T> {
    @ApiProperty({ type: [item] })
    items: T[];

    @ApiProperty({ type: 'integer', minimum: 0, description: 'Items matching the filters, across all pages.' })
    total: number;

    @ApiProperty({ type: 'integer', minimum: 1, description: 'This page (1-based).' })
    page: number;

    @ApiProperty({ type: 'integer', minimum: 1, description: 'Items per page.' })
    pageSize: number;
  }
  return Page;
}
