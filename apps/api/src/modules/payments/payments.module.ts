import { Module } from '@nestjs/common';

/** Skeleton: filled in by issue 4. */
@Module({})
export class PaymentsModule {}
